import { useId, useState } from 'preact/hooks';
import { ApiProblem, messageOf, type AdminApi, type SupportEndpointCheck, type SupportExportUrl, type SupportExportUrlWithSecret } from '../api.js';
import { Breadcrumb, ZAPIER_TRAIL } from '../ui/Breadcrumb.js';
import { CopyField } from '../ui/CopyField.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { Dialog, DoneActions } from '../ui/Dialog.js';
import { ErrorNote, TextField } from '../ui/Field.js';
import { plural } from '../ui/format.js';
import { LoadedList, useLoaded } from '../ui/Loaded.js';
import { Time } from '../ui/Time.js';
import { useToast } from '../ui/Toasts.js';

/** Each verdict of the check as a headline; a Record, so a new verdict in the contract fails the typecheck until worded here. */
const verdictHeadlines: Record<SupportEndpointCheck['verdict'], string> = {
  ok: 'Ferndesk can read this endpoint',
  invalid_url: 'This is not a URL Ferndesk can use',
  refused: 'This address may not be fetched',
  unreachable: 'The endpoint could not be reached',
  timeout: 'The endpoint took too long to answer',
  http_error: 'The endpoint answered with an HTTP error',
  authentication_required: 'The endpoint asks for a login',
  incomplete_response: 'The answer was cut off',
  too_large: 'The answer is too large',
  not_json: 'The answer is not JSON',
  invalid_format: "The JSON does not follow Ferndesk's format",
};

type Open = { kind: 'create' } | { kind: 'rotate'; url: SupportExportUrl } | { kind: 'delete'; url: SupportExportUrl } | null;

/** Conversation export for Ferndesk: secret export URLs (create, rotate, delete) and the "test" check. */
export function ExportScreen({ api }: { api: AdminApi }) {
  const loaded = useLoaded(() => api.listExportUrls(), [api]);
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);

  return (
    <section aria-labelledby="main-heading">
      <Breadcrumb trail={[...ZAPIER_TRAIL, { label: 'Ferndesk' }]} />
      <div class="screen-head">
        <div>
          <h1 id="main-heading" tabIndex={-1}>
            Conversation export
          </h1>
          <p class="lead">
            Ferndesk reads chats, tickets (without private notes) and enquiries from a secret export URL. In Ferndesk, paste it under Settings › Integrations ›
            Support endpoint › Source URL.
          </p>
        </div>
        <button type="button" class="button button-primary" disabled={!loaded.data} onClick={() => setOpen({ kind: 'create' })}>
          Create export URL
        </button>
      </div>

      <LoadedList
        items={loaded.data}
        error={loaded.error}
        failed="Could not load the export URLs"
        onRetry={loaded.reload}
        empty="No export URLs yet. Create one for Ferndesk."
      >
        {(urls) => (
          <div class="table-wrap">
            <table class="stack" data-testid="export-urls">
              <caption class="visually-hidden">Export URLs</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">URL (secret hidden)</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {urls.map((url) => (
                  <tr key={url.id} data-export-url-id={url.id}>
                    <th scope="row" data-label="Name">
                      {url.name}
                    </th>
                    <td data-label="URL (secret hidden)">
                      <code class="wrap">{url.maskedUrl}</code>
                    </td>
                    <td data-label="Created">
                      <Time iso={url.createdAt} />
                      {url.rotatedAt ? (
                        <span class="sub">
                          Secret replaced <Time iso={url.rotatedAt} />
                        </span>
                      ) : null}
                    </td>
                    <td data-label="Last used">{url.lastUsedAt ? <Time iso={url.lastUsedAt} /> : <span class="muted">never</span>}</td>
                    <td class="actions">
                      <button
                        type="button"
                        class="button button-small"
                        aria-label={`Rotate the secret of ${url.name}`}
                        onClick={() => setOpen({ kind: 'rotate', url })}
                      >
                        Rotate secret
                      </button>
                      <button
                        type="button"
                        class="button button-small button-danger"
                        aria-label={`Delete ${url.name}`}
                        onClick={() => setOpen({ kind: 'delete', url })}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadedList>

      <CheckPanel api={api} />

      {open?.kind === 'create' ? <CreateDialog api={api} onClose={close} onChanged={loaded.reload} /> : null}
      {open?.kind === 'rotate' ? <RotateDialog api={api} url={open.url} onClose={close} onChanged={loaded.reload} /> : null}
      {open?.kind === 'delete' ? (
        <DeleteDialog
          api={api}
          url={open.url}
          onClose={close}
          onChanged={loaded.reload}
          onDeleted={(id) => loaded.setData((list) => list?.filter((u) => u.id !== id))}
        />
      ) : null}
    </section>
  );
}

/** The check's answer in plain words: the verdict, what was found, and each problem by its place in the JSON. */
export function CheckResult({ result }: { result: SupportEndpointCheck }) {
  return (
    <div class={`check ${result.ok ? 'check-ok' : 'check-bad'}`} data-testid="check-result" data-verdict={result.verdict}>
      <p class="check-headline">
        <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
        {verdictHeadlines[result.verdict]}
      </p>
      <p>{result.message}</p>
      {result.summary ? (
        <p>
          {plural(result.summary.conversations, 'conversation')}, {plural(result.summary.messages, 'message')}
          {result.summary.newestLastMessageAt ? (
            <>
              ; the newest message <Time iso={result.summary.newestLastMessageAt} />
            </>
          ) : null}
          .
        </p>
      ) : null}
      {result.problems.length > 0 ? (
        <>
          <p class="check-subhead">Problems</p>
          <ul class="check-list">
            {result.problems.map((p, i) => (
              <li key={i}>
                {p.path ? <code>{p.path}</code> : null}
                {p.path ? ': ' : null}
                {p.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {result.warnings.length > 0 ? (
        <>
          <p class="check-subhead">Warnings</p>
          <ul class="check-list">
            {result.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
      <ul class="check-list sub" aria-label="Both fetches">
        <FetchLine label="As given" fetched={result.fetches.asGiven} />
        <FetchLine label="As Ferndesk builds it" fetched={result.fetches.asFerndesk} />
      </ul>
    </div>
  );
}

/** One of the check's two fetches: how it went, and the URL it fetched. */
function FetchLine({ label, fetched }: { label: string; fetched: SupportEndpointCheck['fetches']['asGiven'] }) {
  return (
    <li data-testid="check-fetch" data-verdict={fetched.verdict}>
      <span aria-hidden="true">{fetched.ok ? '✓ ' : '✗ '}</span>
      {label}: {fetched.ok ? 'works' : verdictHeadlines[fetched.verdict]}
      {fetched.httpStatus !== null ? ` · HTTP ${fetched.httpStatus}` : ''} · {fetched.durationMs} ms · <span class="wrap">{fetched.url}</span>
    </li>
  );
}

/** Runs the check on a URL and shows the answer in a live region next to the button. */
function useCheck(api: AdminApi) {
  const [result, setResult] = useState<SupportEndpointCheck | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async (url: string) => {
    setBusy(true);
    setError(undefined);
    setResult(null);
    try {
      setResult(await api.checkSupportEndpoint(url));
    } catch (problem) {
      setError(problem instanceof ApiProblem ? (problem.about('url') ?? problem.message) : messageOf(problem));
    } finally {
      setBusy(false);
    }
  };
  return { result, error, busy, run };
}

function CheckPanel({ api }: { api: AdminApi }) {
  const [url, setUrl] = useState('');
  const check = useCheck(api);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const submit = (event: Event) => {
    event.preventDefault();
    if (!url.trim()) {
      setFieldError('Enter the URL of a support endpoint.');
      return;
    }
    setFieldError(undefined);
    void check.run(url.trim());
  };
  return (
    <section class="panel" aria-labelledby="check-heading">
      <h2 id="check-heading">Test a support endpoint</h2>
      <p class="hint">
        Fetches the URL the way Ferndesk does and says whether Ferndesk can read it, and if not, why. Works for this connector's export URLs and for any other
        support endpoint. It fetches the URL twice: exactly as given, and as Ferndesk builds it, with a startDate 30 days back appended.
      </p>
      <form onSubmit={submit} noValidate class="check-form">
        <TextField
          label="Support endpoint URL"
          value={url}
          onInput={(v) => {
            setUrl(v);
            setFieldError(undefined);
          }}
          error={fieldError ?? check.error}
        />
        <button type="submit" class="button button-primary" disabled={check.busy}>
          {check.busy ? 'Testing…' : 'Test'}
        </button>
      </form>
      <div aria-live="polite">{check.result ? <CheckResult result={check.result} /> : null}</div>
    </section>
  );
}

interface DialogProps {
  api: AdminApi;
  onClose: () => void;
  onChanged: () => void;
}

/** The full URL, the one time it is shown: copy it, test it. */
function FullUrl({ api, url, rotated }: { api: AdminApi; url: SupportExportUrlWithSecret; rotated: boolean }) {
  const check = useCheck(api);
  const statusId = useId();
  return (
    <div class="credentials">
      <p class="notice notice-strong">
        {rotated
          ? 'This is the only time the new URL is shown. The old URL has stopped working: give this one to Ferndesk now.'
          : 'This is the only time the full URL is shown: its secret is the only credential Ferndesk needs. Copy it now and paste it into Ferndesk.'}
      </p>
      <CopyField label="Export URL" value={url.url} hint="Ferndesk adds ?startDate= to it. Anyone with this URL can read the export: keep it secret." />
      <div class="toolbar">
        <button type="button" class="button" onClick={() => check.run(url.url)} disabled={check.busy} aria-describedby={statusId}>
          {check.busy ? 'Testing…' : 'Test this URL'}
        </button>
      </div>
      <div id={statusId} aria-live="polite">
        <ErrorNote message={check.error} />
        {check.result ? <CheckResult result={check.result} /> : null}
      </div>
    </div>
  );
}

function CreateDialog({ api, onClose, onChanged }: DialogProps) {
  const [name, setName] = useState('Ferndesk');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<SupportExportUrlWithSecret | null>(null);
  const notify = useToast();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Enter a name, such as Ferndesk.');
      return;
    }
    setBusy(true);
    try {
      const url = await api.createExportUrl(name.trim());
      setCreated(url);
      notify('Export URL created');
      onChanged();
    } catch (problem) {
      setError(problem instanceof ApiProblem ? (problem.about('name') ?? problem.message) : messageOf(problem));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Dialog title={`Export URL “${created.name}” created`} onClose={onClose} wide>
        <FullUrl api={api} url={created} rotated={false} />
        <DoneActions onClose={onClose} />
      </Dialog>
    );
  }
  return (
    <Dialog title="Create an export URL" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Name"
          value={name}
          maxLength={100}
          autofocus
          onInput={(v) => {
            setName(v);
            if (error) setError(undefined);
          }}
          error={error}
          hint="What the URL is for, such as Ferndesk."
        />
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RotateDialog({ api, url, onClose, onChanged }: DialogProps & { url: SupportExportUrl }) {
  const notify = useToast();
  return (
    <ConfirmDialog
      title="Rotate the secret?"
      confirmLabel="Rotate secret"
      busyLabel="Rotating…"
      onClose={onClose}
      onConfirm={async () => {
        const rotated = await api.rotateExportUrl(url.id);
        notify('Export URL rotated');
        onChanged();
        return rotated;
      }}
      outcome={(rotated) => ({ title: `New URL for “${rotated.name}”`, content: <FullUrl api={api} url={rotated} rotated /> })}
    >
      <p class="warning">
        <strong>The current URL of “{url.name}” stops working at once.</strong> Ferndesk cannot read the export until it is given the new URL.
      </p>
    </ConfirmDialog>
  );
}

function DeleteDialog({ api, url, onClose, onChanged, onDeleted }: DialogProps & { url: SupportExportUrl; onDeleted: (id: string) => void }) {
  const notify = useToast();
  return (
    <ConfirmDialog
      title={`Delete “${url.name}”?`}
      confirmLabel="Delete URL"
      busyLabel="Deleting…"
      onClose={onClose}
      onConfirm={async () => {
        await api.deleteExportUrl(url.id);
        onDeleted(url.id);
        notify('Export URL deleted');
        onChanged();
      }}
    >
      <p class="warning">
        The URL stops working at once and Ferndesk can no longer read the export through it. <strong>This cannot be undone.</strong>
      </p>
    </ConfirmDialog>
  );
}
