import { useState } from 'preact/hooks';
import { ApiProblem, messageOf, type AdminApi, type CreatedWebhookTarget, type WebhookTarget, type WebhookTargetTestResult } from '../api.js';
import { Breadcrumb } from '../ui/Breadcrumb.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { CopyField } from '../ui/CopyField.js';
import { Dialog, DoneActions } from '../ui/Dialog.js';
import { ErrorNote, TextField } from '../ui/Field.js';
import { LoadedList, useLoaded } from '../ui/Loaded.js';
import { useRowAction } from '../ui/row-action.js';
import { useToast } from '../ui/Toasts.js';

/** A Record, so a new status in the contract fails the typecheck until worded here. */
const statusLabels: Record<WebhookTarget['status'], { label: string; why?: string }> = {
  active: { label: 'Active' },
  disabled: { label: 'Disabled', why: 'failing for too long' },
  ended: { label: 'Ended', why: 'it answered 410 Gone' },
};

type Open = { kind: 'create' } | { kind: 'edit'; target: WebhookTarget } | { kind: 'delete'; target: WebhookTarget } | null;

/** Helpdesk › Webhook targets: where the rules' `target` action sends, with a test per target. */
export function Targets({ api }: { api: AdminApi }) {
  const loaded = useLoaded(() => api.listTargets(), [api]);
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const replace = (updated: WebhookTarget) => loaded.setData((list) => list?.map((t) => (t.id === updated.id ? updated : t)));

  return (
    <section aria-labelledby="main-heading">
      <Breadcrumb trail={[{ label: 'Administration' }, { label: 'Helpdesk' }, { label: 'Webhook targets' }]} />
      <div class="screen-head">
        <div>
          <h1 id="main-heading" tabIndex={-1}>
            Webhook targets
          </h1>
          <p class="lead">
            Trigger rules with a “send a message to webhook target” action send to these URLs: signed with the target's secret and retried like every webhook
            delivery.
          </p>
        </div>
        <button type="button" class="button button-primary" disabled={!loaded.data} onClick={() => setOpen({ kind: 'create' })}>
          Add webhook target
        </button>
      </div>

      <LoadedList
        items={loaded.data}
        error={loaded.error}
        failed="Could not load the webhook targets"
        onRetry={loaded.reload}
        empty="No webhook targets yet. Add one, then send to it from a trigger rule."
      >
        {(targets) => (
          <TargetTable
            api={api}
            targets={targets}
            onEdit={(target) => setOpen({ kind: 'edit', target })}
            onDelete={(target) => setOpen({ kind: 'delete', target })}
          />
        )}
      </LoadedList>

      {open?.kind === 'create' ? <CreateDialog api={api} onClose={close} onCreated={() => void loaded.reload()} /> : null}
      {open?.kind === 'edit' ? <EditDialog api={api} target={open.target} onClose={close} onSaved={replace} /> : null}
      {open?.kind === 'delete' ? (
        <DeleteDialog api={api} target={open.target} onClose={close} onDeleted={(id) => loaded.setData((list) => list?.filter((t) => t.id !== id))} />
      ) : null}
    </section>
  );
}

interface TableProps {
  api: AdminApi;
  targets: WebhookTarget[];
  onEdit: (target: WebhookTarget) => void;
  onDelete: (target: WebhookTarget) => void;
}

function TargetTable({ api, targets, onEdit, onDelete }: TableProps) {
  const testing = useTargetTests(api);
  return (
    <div class="table-wrap">
      <table class="stack" data-testid="webhook-targets">
        <caption class="visually-hidden">Webhook targets</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">URL</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => (
            <tr key={target.id} data-target-id={target.id}>
              <th scope="row" data-label="Title">
                {target.title}
              </th>
              <td data-label="URL">
                <code class="wrap">{target.url}</code>
              </td>
              <td data-label="Status">
                <TargetStatus status={target.status} />
              </td>
              <td class="actions">
                <button
                  type="button"
                  class="button button-small"
                  aria-label={`Send a test to ${target.title}`}
                  disabled={testing.isBusy(target.id)}
                  onClick={() => testing.send(target)}
                >
                  {testing.isBusy(target.id) ? 'Sending…' : 'Send a test'}
                </button>
                <button type="button" class="button button-small" aria-label={`Edit ${target.title}`} onClick={() => onEdit(target)}>
                  Edit
                </button>
                <button type="button" class="button button-small button-danger" aria-label={`Delete ${target.title}`} onClick={() => onDelete(target)}>
                  Delete
                </button>
                {/* Always there, so a screen reader hears the answer when it arrives. */}
                <div aria-live="polite">
                  <ErrorNote message={testing.errorOf(target.id)} />
                  <TestAnswer result={testing.resultOf(target.id)} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TargetStatus({ status }: { status: WebhookTarget['status'] }) {
  const { label, why } = statusLabels[status];
  return (
    <>
      <span class={`badge badge-${status}`}>{label}</span>
      {why ? <span class="sub">{why}</span> : null}
    </>
  );
}

function TestAnswer({ result }: { result: WebhookTargetTestResult | undefined }) {
  if (!result) return null;
  return (
    <p class="sub wrap" data-testid="target-test-result" data-ok={result.ok ? 'true' : 'false'}>
      <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
      {result.message}
    </p>
  );
}

/** "Send a test" per row: the last answer of each target, shown next to its row until the next test. */
function useTargetTests(api: AdminApi) {
  const action = useRowAction();
  const [results, setResults] = useState<Map<number, WebhookTargetTestResult>>(new Map());
  const send = (target: WebhookTarget) => {
    setResults((known) => new Map([...known].filter(([id]) => id !== target.id)));
    return action.run(target.id, {
      action: () => api.testTarget(target.id),
      toast: (result) => (result.ok ? `“${target.title}” answered the test` : `The test to “${target.title}” failed`),
      after: (result) => setResults((known) => new Map(known).set(target.id, result)),
    });
  };
  return { send, isBusy: action.isBusy, errorOf: action.errorOf, resultOf: (id: number) => results.get(id) };
}

/**
 * A field's problem as a sentence: the connector's reason as it is when it is one ("The target
 * URL points into a private network: ..."), else the field's name before it ("URL must be ...").
 */
function problemWith(problem: unknown, field: 'title' | 'url'): { field?: string; form?: string } {
  if (!(problem instanceof ApiProblem)) return { form: messageOf(problem) };
  const detail = problem.details.find((d) => d.field === field || d.field.endsWith(`.${field}`));
  if (!detail) return { form: problem.message };
  const sentence = /^[A-Z]/.test(detail.message) ? detail.message : `${field === 'url' ? 'URL' : 'Title'} ${detail.message}.`;
  return { field: sentence };
}

/** The title and URL form, shared by create and edit; checks both are filled before sending. */
function TargetForm({
  initial,
  submitLabel,
  busyLabel,
  onSubmit,
  onCancel,
}: {
  initial: { title: string; url: string };
  submitLabel: string;
  busyLabel: string;
  /** Saves; throws to show the failure next to its field (or the form). */
  onSubmit: (values: { title: string; url: string }) => Promise<void>;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(initial.title);
  const [url, setUrl] = useState(initial.url);
  const [errors, setErrors] = useState<{ title?: string; url?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing = {
      ...(title.trim() ? {} : { title: 'Enter a title, such as Escalations channel.' }),
      ...(url.trim() ? {} : { url: 'Enter the URL to send to, starting with https://.' }),
    };
    if (missing.title || missing.url) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    try {
      await onSubmit({ title: title.trim(), url: url.trim() });
    } catch (problem) {
      const title = problemWith(problem, 'title');
      const url = problemWith(problem, 'url');
      setErrors({ title: title.field, url: url.field, form: title.field || url.field ? undefined : title.form });
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <TextField
        label="Title"
        value={title}
        maxLength={255}
        autofocus
        onInput={(v) => {
          setTitle(v);
          setErrors((e) => ({ ...e, title: undefined, form: undefined }));
        }}
        error={errors.title}
        hint="What the target is, as trigger rules will name it."
      />
      <TextField
        label="URL"
        value={url}
        onInput={(v) => {
          setUrl(v);
          setErrors((e) => ({ ...e, url: undefined, form: undefined }));
        }}
        error={errors.url}
        hint="Where the requests go: an http(s) address the connector can reach."
      />
      <ErrorNote message={errors.form} />
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}

function CreateDialog({ api, onClose, onCreated }: { api: AdminApi; onClose: () => void; onCreated: () => void }) {
  const [created, setCreated] = useState<CreatedWebhookTarget | null>(null);
  const notify = useToast();

  if (created) {
    return (
      <Dialog title={`Webhook target “${created.title}” added`} onClose={onClose} wide>
        <p class="notice notice-strong">
          This is the only time the signing secret is shown. Give it to the receiver now: it checks each request's Standard Webhooks signature with it.
        </p>
        <CopyField label="Signing secret" value={created.secret} hint="Anyone with this secret can sign requests as the connector: keep it secret." />
        <DoneActions onClose={onClose} />
      </Dialog>
    );
  }
  return (
    <Dialog title="Add a webhook target" onClose={onClose}>
      <TargetForm
        initial={{ title: '', url: '' }}
        submitLabel="Add"
        busyLabel="Adding…"
        onCancel={onClose}
        onSubmit={async ({ title, url }) => {
          setCreated(await api.createTarget(title, url));
          notify('Webhook target added');
          onCreated();
        }}
      />
    </Dialog>
  );
}

function EditDialog({
  api,
  target,
  onClose,
  onSaved,
}: {
  api: AdminApi;
  target: WebhookTarget;
  onClose: () => void;
  onSaved: (target: WebhookTarget) => void;
}) {
  const notify = useToast();
  return (
    <Dialog title={`Edit “${target.title}”`} onClose={onClose}>
      <TargetForm
        initial={target}
        submitLabel="Save"
        busyLabel="Saving…"
        onCancel={onClose}
        onSubmit={async ({ title, url }) => {
          // Only what changed: a URL left as it was is not checked again.
          const change = { ...(title !== target.title ? { title } : {}), ...(url !== target.url ? { url } : {}) };
          if (Object.keys(change).length > 0) {
            onSaved(await api.updateTarget(target.id, change));
            notify('Webhook target saved');
          }
          onClose();
        }}
      />
    </Dialog>
  );
}

function DeleteDialog({ api, target, onClose, onDeleted }: { api: AdminApi; target: WebhookTarget; onClose: () => void; onDeleted: (id: number) => void }) {
  const notify = useToast();
  return (
    <ConfirmDialog
      title={`Delete “${target.title}”?`}
      confirmLabel="Delete target"
      busyLabel="Deleting…"
      onClose={onClose}
      onConfirm={async () => {
        try {
          await api.deleteTarget(target.id);
        } catch (problem) {
          // 409: trigger rules still send to it; the connector names them.
          if (problem instanceof ApiProblem && problem.status === 409)
            throw new Error(`“${target.title}” cannot be deleted while trigger rules send to it. ${problem.message}`);
          throw problem;
        }
        onDeleted(target.id);
        notify('Webhook target deleted');
      }}
    >
      <p class="warning">
        Nothing more is sent to <code class="wrap">{target.url}</code>, and deliveries still waiting for it are cancelled.{' '}
        <strong>This cannot be undone.</strong>
      </p>
    </ConfirmDialog>
  );
}
