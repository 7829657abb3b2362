import { useEffect, useId, useState } from 'preact/hooks';
import { messageOf, type AdminApi, type AdminSubscription, type RecoveryStatus } from '../api.js';
import { Dialog, DoneActions } from '../ui/Dialog.js';
import { ErrorNote } from '../ui/Field.js';
import { plural } from '../ui/format.js';

const DAY_MS = 86_400_000;
const POLL_MS = 1000;

/** The value of a datetime-local input for this instant: the browser's wall-clock time, to the minute. */
function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant (ISO, UTC) a datetime-local value means in the browser's zone; undefined while it is empty or incomplete. */
function isoOfLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value); // a date-time without offset is local time
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** What the admin chose: since when, and which subscription (undefined: all of the account's). */
interface Scope {
  since: string;
  subscriptionId: string | undefined;
}

/** A recovery under way: what it retried, and the counts just before it, to tell its deliveries from earlier ones. */
interface Run {
  scope: Scope;
  retried: number;
  reactivated: number;
  before: RecoveryStatus;
  latest: RecoveryStatus;
}

/**
 * "Recover deliveries…": after a Zap's endpoint was down, every failed or waiting delivery of the
 * account since a time is attempted again in one action. The admin picks the scope and sees what
 * it would do, confirms, follows the progress, and gets a summary. The same <dialog> throughout.
 */
export function RecoverDialog({
  api,
  appId,
  subscriptions,
  onClose,
  onRecovered,
}: {
  api: AdminApi;
  appId: string;
  subscriptions: AdminSubscription[];
  onClose: () => void;
  /** Reloads what a recovery changes on the page: the delivery log and the subscriptions. */
  onRecovered: () => void;
}) {
  const [run, setRun] = useState<Run | null>(null);
  // Whatever the page shows is out of date once a recovery started, even if the dialog is closed before it ends.
  const close = () => {
    if (run) onRecovered();
    onClose();
  };
  return (
    <Dialog title="Recover deliveries" onClose={close}>
      {run ? (
        <RecoveryRun api={api} appId={appId} run={run} onFinished={onRecovered} onClose={close} />
      ) : (
        <RecoveryForm api={api} appId={appId} subscriptions={subscriptions} onStarted={setRun} onClose={close} />
      )}
    </Dialog>
  );
}

/** What a recovery of this scope would do, counted again whenever the scope changes; stale answers are dropped. */
function useRecoveryPreview(api: AdminApi, appId: string, scope: Scope | undefined) {
  const [preview, setPreview] = useState<{ status?: RecoveryStatus; error?: unknown }>({});
  const since = scope?.since;
  const subscriptionId = scope?.subscriptionId;
  useEffect(() => {
    setPreview({});
    if (!since) return;
    let current = true;
    api.recoveryStatus(appId, since, subscriptionId).then(
      (status) => current && setPreview({ status }),
      (error: unknown) => current && setPreview({ error }),
    );
    return () => {
      current = false;
    };
  }, [api, appId, since, subscriptionId]);
  return preview;
}

function RecoveryForm({
  api,
  appId,
  subscriptions,
  onStarted,
  onClose,
}: {
  api: AdminApi;
  appId: string;
  subscriptions: AdminSubscription[];
  onStarted: (run: Run) => void;
  onClose: () => void;
}) {
  const [sinceInput, setSinceInput] = useState(() => toLocalInput(new Date(Date.now() - DAY_MS)));
  const [subscriptionId, setSubscriptionId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const since = isoOfLocalInput(sinceInput);
  const scope = since ? { since, subscriptionId: subscriptionId || undefined } : undefined;
  const preview = useRecoveryPreview(api, appId, scope);
  const toRetry = preview.status?.toRetry ?? 0;

  const start = async (event: Event) => {
    event.preventDefault();
    if (!scope || !preview.status || toRetry === 0 || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      // Counted right before, not taken from the preview: deliveries that arrived meanwhile are not the recovery's.
      const before = await api.recoveryStatus(appId, scope.since, scope.subscriptionId);
      const result = await api.recoverDeliveries(appId, scope.since, scope.subscriptionId);
      onStarted({ scope, retried: result.retried, reactivated: result.reactivated, before, latest: result.status });
    } catch (problem) {
      setError(messageOf(problem));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={start} noValidate>
      <p class="hint">Failed deliveries, and those waiting for their next retry, are attempted again now. Ended subscriptions are left alone.</p>
      <SinceField value={sinceInput} onInput={setSinceInput} missing={!since} />
      <SubscriptionField subscriptions={subscriptions} value={subscriptionId} onChange={setSubscriptionId} />
      <RecoveryPreview status={preview.status} error={preview.error} counting={Boolean(scope) && !preview.status && preview.error === undefined} />
      <ErrorNote message={error} />
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        {toRetry > 0 ? (
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Starting…' : `Retry ${plural(toRetry, 'delivery', 'deliveries')}`}
          </button>
        ) : null}
      </div>
    </form>
  );
}

function SinceField({ value, onInput, missing }: { value: string; onInput: (value: string) => void; missing: boolean }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>Deliveries of events since</label>
      <p id={`${id}-hint`} class="hint">
        Your local time; by default 24 hours ago.
      </p>
      <input
        id={id}
        type="datetime-local"
        value={value}
        max={toLocalInput(new Date())}
        aria-describedby={missing ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={missing ? 'true' : undefined}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {missing ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          Enter the date and time to recover from.
        </p>
      ) : null}
    </div>
  );
}

/** "All subscriptions", or one of them by event and target; ended ones are not offered, a recovery leaves them alone. */
function SubscriptionField({ subscriptions, value, onChange }: { subscriptions: AdminSubscription[]; value: string; onChange: (id: string) => void }) {
  const id = useId();
  const recoverable = subscriptions.filter((s) => s.status !== 'ended');
  return (
    <div class="field">
      <label for={id}>Subscription</label>
      <select id={id} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">All subscriptions</option>
        {recoverable.map((s) => (
          <option key={s.id} value={s.id}>
            {s.event} → {s.targetUrl}
            {s.status === 'disabled' ? ' (disabled)' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}

/** What confirming would do, in words; plainly "nothing" when there is nothing to retry. */
function RecoveryPreview({ status, error, counting }: { status: RecoveryStatus | undefined; error: unknown; counting: boolean }) {
  if (error !== undefined) return <ErrorNote message={messageOf(error)} />;
  if (counting) return <p class="muted">Counting the deliveries to retry…</p>;
  if (!status) return null;
  if (status.toRetry === 0) {
    return (
      <p class="notice" data-testid="recovery-preview">
        Nothing to retry: no delivery of events since then failed or is waiting for a retry.
      </p>
    );
  }
  return (
    <p class="notice" data-testid="recovery-preview">
      {plural(status.toRetry, 'delivery', 'deliveries')} will be attempted again now.
      {status.toReactivate > 0 ? ` ${plural(status.toReactivate, 'disabled subscription')} will be re-enabled.` : ''}
    </p>
  );
}

/** Where a run stands: of the deliveries it retried, how many arrived, failed again, or are still being sent. */
function progressOf(run: Run) {
  const { latest, before, retried } = run;
  const stillGoing = Math.min(latest.inFlight, retried);
  return {
    // Nothing retried: nothing to wait for (what else is being sent is not this run's).
    finished: retried === 0 || latest.inFlight === 0,
    done: retried - stillGoing,
    stillGoing,
    delivered: Math.max(0, latest.delivered - before.delivered),
    // Those the run made due that failed again are failed, or waiting for their next retry: what a recovery would retry now.
    failedAgain: latest.toRetry,
  };
}

/** Polls the recovery's counts every second until nothing it retried is still being sent. */
function useRecoveryPolling(api: AdminApi, appId: string, initial: Run) {
  const [run, setRun] = useState(initial);
  const [error, setError] = useState<unknown>(undefined);
  const finished = progressOf(run).finished;
  useEffect(() => {
    if (finished) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const latest = await api.recoveryStatus(appId, run.scope.since, run.scope.subscriptionId);
        if (!stopped) {
          setRun((current) => ({ ...current, latest }));
          setError(undefined);
        }
      } catch (problem) {
        if (!stopped) setError(problem);
      }
      // One call at a time: the next one a second after this one answered.
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, appId, finished]);
  return { run, error };
}

function RecoveryRun({
  api,
  appId,
  run: started,
  onFinished,
  onClose,
}: {
  api: AdminApi;
  appId: string;
  run: Run;
  onFinished: () => void;
  onClose: () => void;
}) {
  const { run, error } = useRecoveryPolling(api, appId, started);
  const progress = progressOf(run);
  const labelId = useId();
  useEffect(() => {
    if (progress.finished) onFinished();
  }, [progress.finished]);

  return (
    <>
      {run.retried === 0 ? (
        <p class="notice">Nothing was retried: a recovery of these deliveries ran already, or they were sent meanwhile.</p>
      ) : (
        <div class="recovery-progress">
          <p id={labelId}>
            {progress.finished ? 'Finished' : 'Retrying'} {plural(run.retried, 'delivery', 'deliveries')}
            {run.reactivated > 0 ? ` (${plural(run.reactivated, 'subscription')} re-enabled)` : ''}
          </p>
          <progress max={run.retried} value={progress.done} aria-labelledby={labelId} />
          <p class="hint" data-testid="recovery-counts">
            {progress.delivered} delivered · {progress.failedAgain} failed again · {progress.stillGoing} still going
          </p>
        </div>
      )}
      <LoadErrorNote error={error} />
      {/* In place from the start, so screen readers announce the summary when it appears (not every second of progress). */}
      <div role="status" aria-live="polite" data-testid="recovery-summary">
        {progress.finished && run.retried > 0 ? (
          <p>
            <strong>
              {progress.delivered} delivered, {progress.failedAgain} failed again.
            </strong>{' '}
            {progress.failedAgain > 0 ? 'Those stay in the delivery log, to retry later.' : null}
          </p>
        ) : null}
      </div>
      {progress.finished ? (
        <DoneActions onClose={onClose} />
      ) : (
        <div class="dialog-actions">
          <p class="hint">Closing this leaves the recovery running.</p>
          <button type="button" class="button" onClick={onClose} data-autofocus>
            Close
          </button>
        </div>
      )}
    </>
  );
}

/** A failed poll: said, while the next poll tries again. */
function LoadErrorNote({ error }: { error: unknown }) {
  if (error === undefined) return null;
  return <ErrorNote message={`Could not check the progress (trying again): ${messageOf(error)}`} />;
}
