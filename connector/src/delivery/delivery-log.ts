import type { DeliveryDetail, DeliveryPage, DeliverySummary, EventType, AdminSubscription } from '../../../contract/index.js';
import { conflict, notFound } from '../errors.js';
import type { Db } from '../storage/db.js';
import { toAdminSubscription } from './subscriptions.js';

/** The delivery log as the admin page reads it, and the operator's hand tools. */

function summaryQuery(db: Db) {
  return db
    .selectFrom('deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .innerJoin('subscriptions as s', 's.id', 'd.subscription_id')
    .select([
      'd.id',
      'd.event_id',
      'e.type as event_type',
      'e.payload',
      'd.subscription_id',
      's.app_id',
      's.target_url',
      'd.status',
      'd.attempts',
      'd.created_at',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.last_status_code',
      'd.last_error',
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

function toSummary(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type as EventType,
    subscriptionId: row.subscription_id,
    appId: row.app_id,
    targetUrl: row.target_url,
    status: row.status,
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
  };
}

export interface DeliveryLogQuery {
  appId?: string;
  status?: DeliverySummary['status'];
  limit: number;
  before?: string;
}

/** Newest first (delivery ids sort by creation time); `before` continues after a page's last id. */
export async function listDeliveries(db: Db, query: DeliveryLogQuery): Promise<DeliveryPage> {
  const rows = await summaryQuery(db)
    .$if(query.appId !== undefined, (q) => q.where('s.app_id', '=', query.appId!))
    .$if(query.status !== undefined, (q) => q.where('d.status', '=', query.status!))
    .$if(query.before !== undefined, (q) => q.where('d.id', '<', query.before!))
    .orderBy('d.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return { data: page.map(toSummary), nextBefore: rows.length > query.limit ? page[page.length - 1]!.id : null };
}

export async function getDelivery(db: Db, id: string): Promise<DeliveryDetail> {
  const row = await summaryQuery(db).where('d.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('delivery', id);
  const attempts = await db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt').orderBy('started_at').execute();
  return {
    ...toSummary(row),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    attemptLog: attempts.map((a) => ({
      attempt: Number(a.attempt),
      startedAt: a.started_at,
      durationMs: Number(a.duration_ms),
      statusCode: a.status_code === null ? null : Number(a.status_code),
      error: a.error,
      outcome: a.outcome,
    })),
  };
}

/**
 * Makes a delivery due now. A failed one continues its retry schedule where it stopped; one
 * whose schedule was used up gets exactly one more attempt. A pending one is just brought
 * forward. On a disabled subscription this is refused unless `reactivate` is set, which
 * re-enables the subscription first: retrying should not silently undo an operator's (or the
 * failure rule's) decision to stop sending to that receiver.
 */
export async function retryDelivery(db: Db, id: string, options: { reactivate: boolean }): Promise<DeliverySummary> {
  await db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom('deliveries as d')
      .innerJoin('subscriptions as s', 's.id', 'd.subscription_id')
      .select(['d.status', 'd.subscription_id', 's.status as subscription_status', 's.ended_reason'])
      .where('d.id', '=', id)
      .executeTakeFirst();
    if (!found) throw notFound('delivery', id);
    if (found.status === 'delivered') throw conflict(`Delivery ${id} was delivered already; there is nothing to retry.`);
    if (found.subscription_status === 'ended') {
      throw conflict(
        `Delivery ${id} cannot be retried: its subscription ${found.subscription_id} has ended (${found.ended_reason ?? 'ended'}) and will receive nothing more.`,
      );
    }
    if (found.subscription_status === 'disabled') {
      if (!options.reactivate) {
        throw conflict(
          `Delivery ${id} belongs to subscription ${found.subscription_id}, which is disabled after failing for too long. Retry with ?reactivate=true to re-enable the subscription as well.`,
        );
      }
      await enableSubscriptionIn(trx, found.subscription_id);
    }
    await trx
      .updateTable('deliveries')
      .set({ status: 'pending', next_attempt_at: new Date().toISOString(), locked_until: null, locked_by: null, slot_ms: null })
      .where('id', '=', id)
      .execute();
  });
  return toSummary(await summaryQuery(db).where('d.id', '=', id).executeTakeFirstOrThrow());
}

/** Re-enables a subscription disabled for failing: it receives new events again, with a fresh failure clock. */
export async function enableSubscription(db: Db, id: string): Promise<AdminSubscription> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('subscription', id);
    if (row.status === 'ended') {
      throw conflict(`Subscription ${id} has ended (${row.ended_reason ?? 'ended'}) and cannot be re-enabled; the Zap subscribes anew when it is turned on.`);
    }
    if (row.status === 'disabled') await enableSubscriptionIn(trx, id);
    return toAdminSubscription(await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });
}

/** Re-enables a disabled subscription inside the caller's transaction, with a fresh failure clock. */
export async function enableSubscriptionIn(trx: Db, subscriptionId: string): Promise<void> {
  await trx
    .updateTable('subscriptions')
    .set({ status: 'active', ended_reason: null, failing_since: null })
    .where('id', '=', subscriptionId)
    .where('status', '=', 'disabled')
    .execute();
}
