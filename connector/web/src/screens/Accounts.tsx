import { MAX_ZAPIER_ACCOUNTS } from '../../../../contract/enums.js';
import { useState } from 'preact/hooks';
import { ApiProblem, messageOf, type AdminApi, type ZapierAccount, type ZapierAccountWithToken } from '../api.js';
import { hrefOf } from '../router.js';
import { Breadcrumb, ZAPIER_TRAIL } from '../ui/Breadcrumb.js';
import { CopyField } from '../ui/CopyField.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { Dialog, DoneActions } from '../ui/Dialog.js';
import { TextField } from '../ui/Field.js';
import { LoadedList, useLoaded } from '../ui/Loaded.js';
import { Time } from '../ui/Time.js';
import { useToast } from '../ui/Toasts.js';

type Open =
  | { kind: 'add' }
  | { kind: 'rename'; account: ZapierAccount }
  | { kind: 'regenerate'; account: ZapierAccount }
  | { kind: 'delete'; account: ZapierAccount }
  | null;

/** Administration > Service Integration > Third-party Integration > Zapier: the accounts and what can be done to them. */
export function Accounts({ api }: { api: AdminApi }) {
  const loaded = useLoaded(() => api.listAccounts(), [api]);
  const accounts = loaded.data;
  const [open, setOpen] = useState<Open>(null);

  const count = accounts?.length ?? 0;
  const atLimit = count >= MAX_ZAPIER_ACCOUNTS;
  const close = () => setOpen(null);

  return (
    <section aria-labelledby="main-heading">
      <Breadcrumb trail={[...ZAPIER_TRAIL, { label: 'Zapier' }]} />
      <div class="screen-head">
        <div>
          <h1 id="main-heading" tabIndex={-1}>
            Zapier accounts
          </h1>
          <p class="lead">Each Zapier account gets an App ID and an App Token. In Zapier, connect this app with them and the Base URL.</p>
        </div>
        <div class="add-box">
          <p class="count" id="account-count" aria-live="polite">
            {accounts ? `${count} of ${MAX_ZAPIER_ACCOUNTS}` : '…'} <span class="muted">Zapier accounts</span>
          </p>
          <button
            type="button"
            class="button button-primary"
            disabled={!accounts || atLimit}
            aria-describedby={atLimit ? 'limit-reason' : undefined}
            onClick={() => setOpen({ kind: 'add' })}
          >
            Add Zapier account
          </button>
        </div>
      </div>
      {atLimit ? (
        <p class="notice" id="limit-reason">
          This workspace has {MAX_ZAPIER_ACCOUNTS} Zapier accounts, the most it may have. Delete an account to add another.
        </p>
      ) : null}

      <LoadedList
        items={accounts}
        error={loaded.error}
        failed="Could not load the Zapier accounts"
        onRetry={loaded.reload}
        empty="No Zapier accounts yet. Add one to get an App ID and App Token for Zapier."
      >
        {(accounts) => (
          <div class="table-wrap">
            <table class="stack">
              <caption class="visually-hidden">Zapier accounts, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">App ID</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.appId} data-app-id={account.appId}>
                    <th scope="row" data-label="Name" class="account-name">
                      {account.name}
                    </th>
                    <td data-label="App ID">
                      <code class="wrap app-id">{account.appId}</code>
                    </td>
                    <td data-label="Created">
                      <Time iso={account.createdAt} />
                      {account.tokenRegeneratedAt ? (
                        <span class="sub">
                          Token regenerated <Time iso={account.tokenRegeneratedAt} />
                        </span>
                      ) : null}
                    </td>
                    <td class="actions">
                      <a
                        class="row-link"
                        href={hrefOf({ screen: 'account', appId: account.appId })}
                        aria-label={`Subscriptions and deliveries of ${account.name}`}
                      >
                        Subscriptions &amp; deliveries
                      </a>
                      <button
                        type="button"
                        class="button button-small"
                        aria-label={`Rename ${account.name}`}
                        onClick={() => setOpen({ kind: 'rename', account })}
                      >
                        Rename
                      </button>
                      <button
                        type="button"
                        class="button button-small"
                        aria-label={`Regenerate the App Token of ${account.name}`}
                        onClick={() => setOpen({ kind: 'regenerate', account })}
                      >
                        Regenerate token
                      </button>
                      <button
                        type="button"
                        class="button button-small button-danger"
                        aria-label={`Delete ${account.name}`}
                        onClick={() => setOpen({ kind: 'delete', account })}
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

      {open?.kind === 'add' ? <AddAccountDialog api={api} onClose={close} onChanged={loaded.reload} /> : null}
      {open?.kind === 'rename' ? <RenameDialog api={api} account={open.account} onClose={close} onChanged={loaded.reload} /> : null}
      {open?.kind === 'regenerate' ? <RegenerateDialog api={api} account={open.account} onClose={close} onChanged={loaded.reload} /> : null}
      {open?.kind === 'delete' ? (
        <DeleteDialog
          api={api}
          account={open.account}
          onClose={close}
          onChanged={loaded.reload}
          onDeleted={(appId) => loaded.setData((list) => list?.filter((a) => a.appId !== appId))}
        />
      ) : null}
    </section>
  );
}

interface DialogProps {
  api: AdminApi;
  onClose: () => void;
  onChanged: () => void;
}

/** The one time an App Token is visible: App ID, App Token and Base URL with copy buttons. */
function Credentials({ account, regenerated }: { account: ZapierAccountWithToken; regenerated: boolean }) {
  return (
    <div class="credentials">
      <p class="notice notice-strong" id="token-once">
        {regenerated
          ? 'This is the only time the new App Token is shown. Copy it now, reconnect the account in Zapier with it, then turn each Zap off and on so Zapier subscribes again.'
          : 'This is the only time the App Token is shown. Copy it now and paste it into Zapier together with the App ID and the Base URL.'}
      </p>
      <CopyField label="App ID" value={account.appId} />
      <CopyField label="App Token" value={account.appToken} hint="Shown only now. Only a hash of it is stored: if it is lost, regenerate it." />
      <CopyField label="Base URL" value={account.baseUrl} />
    </div>
  );
}

function AddAccountDialog({ api, onClose, onChanged }: DialogProps) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<ZapierAccountWithToken | null>(null);
  const notify = useToast();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Enter a name for the Zapier account.');
      return;
    }
    setBusy(true);
    try {
      const account = await api.addAccount(name.trim());
      setCreated(account);
      notify(`Zapier account “${account.name}” added`);
      onChanged();
    } catch (problem) {
      setError(problem instanceof ApiProblem ? (problem.about('name') ?? problem.message) : messageOf(problem));
      if (problem instanceof ApiProblem && problem.code === 'limit_reached') onChanged();
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Dialog title={`Zapier account “${created.name}” added`} onClose={onClose} wide>
        <Credentials account={created} regenerated={false} />
        <DoneActions onClose={onClose} />
      </Dialog>
    );
  }
  return (
    <Dialog title="Add a Zapier account" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Zapier account name"
          value={name}
          maxLength={100}
          autofocus
          onInput={(value) => {
            setName(value);
            if (error) setError(undefined);
          }}
          error={error}
          hint="Any name. Using the name of the Zapier account makes it easy to find later."
        />
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Confirm'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RenameDialog({ api, account, onClose, onChanged }: DialogProps & { account: ZapierAccount }) {
  const [name, setName] = useState(account.name);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const notify = useToast();

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Enter a name for the Zapier account.');
      return;
    }
    setBusy(true);
    try {
      await api.renameAccount(account.appId, name.trim());
      notify('Account name updated');
      onChanged();
      onClose();
    } catch (problem) {
      setError(problem instanceof ApiProblem ? (problem.about('name') ?? problem.message) : messageOf(problem));
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Rename “${account.name}”`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextField
          label="Zapier account name"
          value={name}
          maxLength={100}
          autofocus
          onInput={(v) => {
            setName(v);
            if (error) setError(undefined);
          }}
          error={error}
          hint="Only the name can be changed; the App ID and App Token stay the same."
        />
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RegenerateDialog({ api, account, onClose, onChanged }: DialogProps & { account: ZapierAccount }) {
  const notify = useToast();
  return (
    <ConfirmDialog
      title="Regenerate the App Token?"
      confirmLabel="Regenerate token"
      busyLabel="Regenerating…"
      onClose={onClose}
      onConfirm={async () => {
        const renewed = await api.regenerateToken(account.appId);
        notify('App Token regenerated');
        onChanged();
        return renewed;
      }}
      outcome={(renewed) => ({ title: `New App Token for “${renewed.name}”`, content: <Credentials account={renewed} regenerated /> })}
    >
      <p class="warning">
        <strong>Existing Zaps will be disconnected.</strong> The current App Token of “{account.name}” stops working at once: every Zap connected with it fails,
        and every REST-hook subscription made with it ends, so its Zaps receive no more events. The App ID and Base URL stay the same.
      </p>
      <p>
        <strong>Then each Zap owner:</strong> reconnects the account in Zapier with the new App Token, then turns each Zap off and on so Zapier subscribes
        again.
      </p>
    </ConfirmDialog>
  );
}

function DeleteDialog({ api, account, onClose, onChanged, onDeleted }: DialogProps & { account: ZapierAccount; onDeleted: (appId: string) => void }) {
  const notify = useToast();
  return (
    <ConfirmDialog
      title={`Delete “${account.name}”?`}
      confirmLabel="Delete account"
      busyLabel="Deleting…"
      onClose={onClose}
      onConfirm={async () => {
        await api.deleteAccount(account.appId);
        onDeleted(account.appId);
        notify('Account deleted');
        onChanged();
      }}
    >
      <p class="warning">
        Its App ID and App Token stop working at once, its Zaps are disconnected, its REST-hook subscriptions end and deliveries not yet made are cancelled.{' '}
        <strong>This cannot be undone.</strong>
      </p>
    </ConfirmDialog>
  );
}
