import type { RecoveryResult, RecoveryScope, RecoveryStatus } from '../../../contract/index.js';
import { invalidField, notFound } from '../errors.js';
import type { Db } from '../storage/db.js';
import { inTransaction } from '../storage/transactions.js';
import { enableSubscriptionIn } from './delivery-log.js';
import { announceDueDeliveries } from '../events/outbox.js';

/**
 * Recovery after an outage of a Zap's endpoint: every failed delivery, and every one waiting
 * for its next retry, of one Zapier account (or one of its subscriptions) whose event was made
 * since a time, is attempted again now. Safe to run twice: a delivery it made due is pending
 * and due, which a second run does not count (nor does it touch delivered or in-flight ones),
 * so nothing is sent twice because of it. Ended subscriptions stay ended; disabled ones are
 * re-enabled with their deliveries.
 */

/** The deliveries a recovery of this scope looks at: the account's (or one subscription's), not ended, since the time. */
function inScope(db: Db, appId: string, scope: RecoveryScope) {
  return db
    .selectFrom('deliveries as d')
    .innerJoin('subscriptions as s', 's.id', 'd.subscription_id')
    .where('s.app_id', '=', appId)
    .where('s.status', '!=', 'ended')
    .where('d.created_at', '>=', new Date(scope.since).toISOString())
    .$if(scope.subscriptionId !== undefined, (q) => q.where('s.id', '=', scope.subscriptionId!));
}

/** Failed, or pending but waiting for a later retry (not being sent right now, nor waiting for its target's pace). */
function toRetry(db: Db, appId: string, scope: RecoveryScope, now: string) {
  return inScope(db, appId, scope).where((eb) =>
    eb.or([
      eb('d.status', '=', 'failed'),
      eb.and([
        eb('d.status', '=', 'pending'),
        eb('d.next_attempt_at', '>', now),
        eb('d.slot_ms', 'is', null), // waiting for its target's pace, not for a retry
        eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<=', now)]),
      ]),
    ]),
  );
}

/** 404 unless the account exists (and the subscription is one of its own). */
async function checkScope(db: Db, appId: string, scope: RecoveryScope): Promise<void> {
  const account = await db.selectFrom('zapier_accounts').select('app_id').where('app_id', '=', appId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!account) throw notFound('Zapier account', appId, 'App ID');
  if (scope.subscriptionId !== undefined) {
    const subscription = await db
      .selectFrom('subscriptions')
      .select('id')
      .where('id', '=', scope.subscriptionId)
      .where('app_id', '=', appId)
      .executeTakeFirst();
    if (!subscription) throw notFound(`subscription of Zapier account ${appId}`, scope.subscriptionId);
  }
  if (Date.parse(scope.since) > Date.now()) throw invalidField('since', 'must not be in the future');
}

/** What a recovery would retry now, and how the deliveries since then stand. */
export async function recoveryStatus(db: Db, appId: string, scope: RecoveryScope): Promise<RecoveryStatus> {
  await checkScope(db, appId, scope);
  const now = new Date().toISOString();
  const [retry, reactivate, counts] = await Promise.all([
    toRetry(db, appId, scope, now)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    toRetry(db, appId, scope, now)
      .where('s.status', '=', 'disabled')
      .select((eb) => eb.fn.count<number>('s.id').distinct().as('n'))
      .executeTakeFirstOrThrow(),
    inScope(db, appId, scope)
      .select(['d.status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('d.status')
      .execute(),
  ]);
  const count = (status: string) => Number(counts.find((row) => row.status === status)?.n ?? 0);
  return {
    since: new Date(scope.since).toISOString(),
    subscriptionId: scope.subscriptionId ?? null,
    toRetry: Number(retry.n),
    toReactivate: Number(reactivate.n),
    // Pending ones not waiting for a retry are due or being sent.
    inFlight: count('pending') - (Number(retry.n) - count('failed')),
    delivered: count('delivered'),
    failed: count('failed'),
  };
}

/** Attempts again now what `recoveryStatus` counts in `toRetry`, re-enabling their disabled subscriptions, in one transaction. */
export async function recoverDeliveries(db: Db, appId: string, scope: RecoveryScope): Promise<RecoveryResult> {
  await checkScope(db, appId, scope);
  const { retried, reactivated } = await inTransaction(db, async (trx) => {
    const now = new Date().toISOString();
    const due = await toRetry(trx, appId, scope, now).select(['d.id', 'd.subscription_id', 's.status as subscription_status']).execute();
    const disabled = [...new Set(due.filter((d) => d.subscription_status === 'disabled').map((d) => d.subscription_id))];
    for (const subscriptionId of disabled) await enableSubscriptionIn(trx, subscriptionId);
    for (let i = 0; i < due.length; i += 500) {
      const ids = due.slice(i, i + 500).map((d) => d.id);
      await trx
        .updateTable('deliveries')
        .set({ status: 'pending', next_attempt_at: now, locked_until: null, locked_by: null, slot_ms: null })
        .where('id', 'in', ids)
        .execute();
    }
    return { retried: due.length, reactivated: disabled.length };
  });
  if (retried > 0) announceDueDeliveries();
  return { retried, reactivated, status: await recoveryStatus(db, appId, scope) };
}
