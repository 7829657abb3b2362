import { useEffect, useId, useState } from 'preact/hooks';
import { messageOf, type AdminApi, type AdminSubscription, type DeliveryStatus, type DeliverySummary } from '../api.js';
import { hrefOf } from '../router.js';
import { Breadcrumb, ZAPIER_TRAIL } from '../ui/Breadcrumb.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNote } from '../ui/Field.js';
import { plural } from '../ui/format.js';
import { LoadedList, LoadError, useLoaded } from '../ui/Loaded.js';
import { useRowAction } from '../ui/row-action.js';
import { Time } from '../ui/Time.js';
import { RecoverDialog } from './RecoverDialog.js';

/** Every delivery status in words; a Record so a status added to the contract fails the typecheck until named here. */
const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  pending: 'Waiting',
  delivered: 'Delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const deliveryStatuses = Object.keys(deliveryStatusLabels) as DeliveryStatus[];

const subscriptionStatusLabels: Record<AdminSubscription['status'], string> = { active: 'Active', disabled: 'Disabled', ended: 'Ended' };
const endedReasons: Record<NonNullable<AdminSubscription['endedReason']>, string> = {
  unsubscribed: 'the Zap was turned off or deleted',
  gone: 'the receiver answered 410 Gone',
  failing: 'disabled after failing for too long',
  account_deleted: 'the Zapier account was deleted',
  token_regenerated: 'App Token regenerated: turn the Zap off and on to subscribe again',
};

const PAGE_SIZE = 25;

/** One Zapier account: its REST-hook subscriptions and its delivery log, with the hand tools (retry, re-enable). */
export function AccountDetail({ api, appId }: { api: AdminApi; appId: string }) {
  const loaded = useLoaded(async () => {
    const [accounts, subscriptions] = await Promise.all([api.listAccounts(), api.listSubscriptions(appId)]);
    return { account: accounts.find((a) => a.appId === appId) ?? null, subscriptions };
  }, [api, appId]);
  // Undefined until loaded, null once it is known to be deleted.
  const account = loaded.data?.account;
  const subscriptions = loaded.data?.subscriptions;

  const title = account ? account.name : account === null ? 'Deleted Zapier account' : 'Zapier account';
  return (
    <section aria-labelledby="main-heading">
      <Breadcrumb trail={[...ZAPIER_TRAIL, { label: 'Zapier', href: hrefOf({ screen: 'accounts' }) }, { label: title }]} />
      <h1 id="main-heading" tabIndex={-1}>
        {title}
      </h1>
      <p class="lead">
        App ID <code class="wrap">{appId}</code>
        {account ? (
          <>
            {' '}
            · created <Time iso={account.createdAt} />
          </>
        ) : null}
      </p>
      {account === null ? (
        <p class="notice">This App ID belongs to no current Zapier account: it was deleted. Its past subscriptions and deliveries are listed below.</p>
      ) : null}
      <LoadError error={loaded.error} failed="Could not load this account" onRetry={loaded.reload} />
      <Subscriptions api={api} subscriptions={subscriptions} onChanged={loaded.reload} />
      <DeliveryLog api={api} appId={appId} subscriptions={subscriptions ?? []} onSubscriptionsChanged={loaded.reload} recoverable={Boolean(account)} />
    </section>
  );
}

function Filters({ filters }: { filters: Record<string, string> }) {
  const entries = Object.entries(filters);
  if (!entries.length) return <span class="muted">none</span>;
  return (
    <ul class="chips">
      {entries.map(([key, value]) => (
        <li key={key}>
          {key} = <code>{value}</code>
        </li>
      ))}
    </ul>
  );
}

function SubscriptionStatus({ subscription }: { subscription: AdminSubscription }) {
  return (
    <span>
      <span class={`badge badge-${subscription.status}`}>{subscriptionStatusLabels[subscription.status]}</span>
      {subscription.endedReason ? <span class="sub">{endedReasons[subscription.endedReason]}</span> : null}
      {subscription.failingSince ? (
        <span class="sub">
          failing since <Time iso={subscription.failingSince} />
        </span>
      ) : null}
    </span>
  );
}

function Subscriptions({ api, subscriptions, onChanged }: { api: AdminApi; subscriptions: AdminSubscription[] | undefined; onChanged: () => void }) {
  const enabling = useRowAction();
  const enable = (subscription: AdminSubscription) =>
    enabling.run(subscription.id, { action: () => api.enableSubscription(subscription.id), toast: 'Subscription re-enabled', after: onChanged });

  return (
    <section class="panel" aria-labelledby="subscriptions-heading">
      <h2 id="subscriptions-heading">REST-hook subscriptions</h2>
      <p class="hint">A Zap subscribes when it is turned on and unsubscribes when it is turned off. Ended subscriptions stay listed.</p>
      <LoadedList items={subscriptions} loading="Loading…" empty="No subscriptions yet: none of this account's Zaps has been turned on.">
        {(subscriptions) => (
          <div class="table-wrap">
            <table class="stack" data-testid="subscriptions">
              <caption class="visually-hidden">Subscriptions of this account</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Target</th>
                  <th scope="col">Filters</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {subscriptions.map((s) => (
                  <tr key={s.id} data-subscription-id={s.id}>
                    <td data-label="Event">
                      <code>{s.event}</code>
                    </td>
                    <td data-label="Target">
                      <span class="wrap url">{s.targetUrl}</span>
                    </td>
                    <td data-label="Filters">
                      <Filters filters={s.filters} />
                    </td>
                    <td data-label="Status">
                      <SubscriptionStatus subscription={s} />
                    </td>
                    <td data-label="Created">
                      <Time iso={s.createdAt} />
                    </td>
                    <td class="actions">
                      {s.status === 'disabled' ? (
                        <button
                          type="button"
                          class="button button-small"
                          disabled={enabling.isBusy(s.id)}
                          onClick={() => enable(s)}
                          aria-label={`Re-enable the ${s.event} subscription`}
                        >
                          Re-enable
                        </button>
                      ) : null}
                      <ErrorNote message={enabling.errorOf(s.id)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadedList>
    </section>
  );
}

function lastAnswer(d: Pick<DeliverySummary, 'lastStatusCode' | 'lastError'>) {
  if (d.lastStatusCode === null && !d.lastError) return <span class="muted">—</span>;
  // The error often repeats the status ("HTTP 503: busy"): say it once.
  if (d.lastStatusCode !== null && d.lastError?.startsWith(`HTTP ${d.lastStatusCode}`)) return <span class="mono">{d.lastError}</span>;
  return (
    <span>
      {d.lastStatusCode !== null ? <span class="mono">HTTP {d.lastStatusCode}</span> : null}
      {d.lastStatusCode !== null && d.lastError ? ' · ' : null}
      {d.lastError ? <span class="sub-inline">{d.lastError}</span> : null}
    </span>
  );
}

function DeliveryLog({
  api,
  appId,
  subscriptions,
  onSubscriptionsChanged,
  recoverable,
}: {
  api: AdminApi;
  appId: string;
  subscriptions: AdminSubscription[];
  onSubscriptionsChanged: () => void;
  /** A deleted account's deliveries can no longer be recovered. */
  recoverable: boolean;
}) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [details, setDetails] = useState<string | null>(null);
  const [recovering, setRecovering] = useState(false);
  const filterId = useId();
  const loaded = useLoaded(() => api.listDeliveries({ appId, status: status || undefined, limit: PAGE_SIZE }), [api, appId, status]);
  const load = loaded.reload;
  const rows = loaded.data?.data;
  const nextBefore = loaded.data?.nextBefore;
  const retrying = useRowAction();

  // While something is waiting, look again every few seconds: retries and first attempts land by themselves.
  const waiting = rows?.some((r) => r.status === 'pending') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [waiting, load]);

  const older = async () => {
    if (!nextBefore) return;
    try {
      const page = await api.listDeliveries({ appId, status: status || undefined, limit: PAGE_SIZE, before: nextBefore });
      loaded.setData((current) => ({ ...page, data: [...(current?.data ?? []), ...page.data] }));
    } catch (error) {
      loaded.setError(error);
    }
  };

  const subscriptionOf = (d: DeliverySummary) => subscriptions.find((s) => s.id === d.subscriptionId);

  const retry = (delivery: DeliverySummary, reactivate: boolean) =>
    retrying.run(delivery.id, {
      action: () => api.retryDelivery(delivery.id, reactivate),
      toast: reactivate ? 'Subscription re-enabled and delivery queued for another attempt' : 'Delivery queued for another attempt',
      after: async () => {
        if (reactivate) onSubscriptionsChanged();
        await load();
        setTimeout(() => void load(), 1200);
      },
    });

  return (
    <section class="panel" aria-labelledby="deliveries-heading">
      <div class="panel-head">
        <h2 id="deliveries-heading">Delivery log</h2>
        <div class="toolbar">
          <label for={filterId}>Status</label>
          <select id={filterId} value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as DeliveryStatus | '')}>
            <option value="">All</option>
            {deliveryStatuses.map((s) => (
              <option key={s} value={s}>
                {deliveryStatusLabels[s]}
              </option>
            ))}
          </select>
          <button type="button" class="button" onClick={load}>
            Refresh
          </button>
          {recoverable ? (
            <button type="button" class="button" onClick={() => setRecovering(true)}>
              Recover deliveries…
            </button>
          ) : null}
        </div>
      </div>
      <p class="hint">
        Every event sent to this account's Zaps, newest first. Failed deliveries can be retried by hand, one by one or all since a time (after a Zap's endpoint
        was down).
      </p>
      <LoadedList
        items={rows}
        error={loaded.error}
        failed="Could not load the delivery log"
        loading="Loading…"
        empty={status ? `No ${deliveryStatusLabels[status].toLowerCase()} deliveries.` : 'No deliveries yet.'}
      >
        {(rows) => (
          <div class="table-wrap">
            <table class="stack" data-testid="deliveries">
              <caption class="visually-hidden">Deliveries{status ? `, ${deliveryStatusLabels[status].toLowerCase()} only` : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Time</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Next retry</th>
                  <th scope="col">Last answer</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => {
                  const subscription = subscriptionOf(d);
                  const ended = subscription?.status === 'ended';
                  const disabled = subscription?.status === 'disabled';
                  const retryable = (d.status === 'failed' || d.status === 'pending') && !ended;
                  return (
                    <tr key={d.id} data-delivery-id={d.id} data-status={d.status}>
                      <td data-label="Event">
                        <code>{d.eventType}</code>
                      </td>
                      <td data-label="Time">
                        <Time iso={d.createdAt} />
                      </td>
                      <td data-label="Status">
                        <span class={`badge badge-${d.status}`}>{deliveryStatusLabels[d.status]}</span>
                      </td>
                      <td data-label="Attempts">{d.attempts}</td>
                      <td data-label="Next retry">{d.nextAttemptAt ? <Time iso={d.nextAttemptAt} relative /> : <span class="muted">—</span>}</td>
                      <td data-label="Last answer">{lastAnswer(d)}</td>
                      <td class="actions">
                        <button
                          type="button"
                          class="button button-small"
                          onClick={() => setDetails(d.id)}
                          aria-label={`Attempts of the ${d.eventType} delivery`}
                        >
                          Attempts
                        </button>
                        {retryable ? (
                          <button type="button" class="button button-small button-primary" disabled={retrying.isBusy(d.id)} onClick={() => retry(d, disabled)}>
                            {disabled ? 'Re-enable and retry' : 'Retry now'}
                          </button>
                        ) : null}
                        {d.status === 'failed' && ended ? <span class="sub">Subscription ended: nothing more is sent.</span> : null}
                        <ErrorNote message={retrying.errorOf(d.id)} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </LoadedList>
      {nextBefore ? (
        <button type="button" class="button" onClick={older}>
          Show older deliveries
        </button>
      ) : null}
      {details ? <AttemptsDialog api={api} id={details} onClose={() => setDetails(null)} /> : null}
      {recovering ? (
        <RecoverDialog
          api={api}
          appId={appId}
          subscriptions={subscriptions}
          onClose={() => setRecovering(false)}
          onRecovered={() => {
            onSubscriptionsChanged();
            void load();
          }}
        />
      ) : null}
    </section>
  );
}

function AttemptsDialog({ api, id, onClose }: { api: AdminApi; id: string; onClose: () => void }) {
  const loaded = useLoaded(() => api.getDelivery(id), [api, id]);
  const detail = loaded.data;
  return (
    <Dialog title={detail ? `${detail.eventType}: ${plural(detail.attemptLog.length, 'attempt')}` : 'Delivery attempts'} onClose={onClose} wide>
      <ErrorNote message={loaded.error === undefined ? undefined : messageOf(loaded.error)} />
      {detail ? (
        <>
          <p class="hint">
            Event <code class="wrap">{detail.eventId}</code> to <span class="wrap url">{detail.targetUrl}</span>
          </p>
          {detail.attemptLog.length === 0 ? <p class="empty">No attempt yet.</p> : null}
          <ol class="attempts">
            {detail.attemptLog.map((a) => (
              <li key={a.attempt}>
                <strong>Attempt {a.attempt}</strong> · <Time iso={a.startedAt} /> · {a.durationMs} ms ·{' '}
                {a.statusCode !== null ? <span class="mono">HTTP {a.statusCode}</span> : 'no answer'} · {a.outcome}
                {a.error ? <div class="sub">{a.error}</div> : null}
              </li>
            ))}
          </ol>
          <details>
            <summary>Payload, as delivered</summary>
            <pre class="payload">{JSON.stringify(detail.payload, null, 2)}</pre>
          </details>
        </>
      ) : null}
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
