import type { AdminSubscription } from '../../../contract/index.js';
import type { Db, Storage } from '../storage/db.js';
import { runPrepared, runStatement as run } from '../storage/statements.js';
import { newId } from '../ids.js';
import { recordNotice } from './notices.js';
import { pauseFor, pauseTarget } from './pacing.js';
import type { Decision } from './outcome.js';
import type { AttemptResult } from './sender.js';

/** A pending delivery this worker has claimed, with all it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: string;
  /** The stored JSON text, sent byte for byte. */
  payload: string;
  occurredAt: string;
  /** Attempts made before this one. */
  attempts: number;
  subscriptionId: string;
  subscriptionStatus: 'active' | 'disabled' | 'ended';
  targetUrl: string;
  secret: string;
  /** The subscription's run of failures when claimed (a success clears it). */
  failingSince: string | null;
  /** The pacing slot it was deferred to (pacing.ts), or null: it has not waited for one. */
  slotMs: number | null;
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  /** How long the claim holds; after that another worker may take the delivery over. */
  lockMs: number;
  now?: Date;
}

interface ClaimedRow {
  id: string;
  eventId: string;
  eventType: string;
  payload: string;
  occurredAt: string;
  attempts: number | string;
  subscriptionId: string;
  subscriptionStatus: ClaimedDelivery['subscriptionStatus'];
  targetUrl: string;
  secret: string;
  failingSince: string | null;
  slotMs: number | string | null;
}

const claimedDelivery = ({
  id,
  eventId,
  eventType,
  payload,
  occurredAt,
  attempts,
  subscriptionId,
  subscriptionStatus,
  targetUrl,
  secret,
  failingSince,
  slotMs,
}: ClaimedRow): ClaimedDelivery => ({
  id,
  eventId,
  eventType,
  payload,
  occurredAt,
  attempts: Number(attempts),
  subscriptionId,
  subscriptionStatus,
  targetUrl,
  secret,
  failingSince,
  slotMs: slotMs === null ? null : Number(slotMs),
});

const CLAIMED_COLUMNS = `d.id, d.event_id AS "eventId", e.type AS "eventType", e.payload, e.occurred_at AS "occurredAt", d.attempts, d.slot_ms AS "slotMs",
  d.subscription_id AS "subscriptionId", s.status AS "subscriptionStatus", s.target_url AS "targetUrl", s.secret, s.failing_since AS "failingSince"`;

const DUE = `SELECT id FROM deliveries
  WHERE status = 'pending' AND next_attempt_at <= :now AND (locked_until IS NULL OR locked_until <= :now)
  ORDER BY next_attempt_at LIMIT :limit`;

/** PostgreSQL: one round trip claims and loads; SKIP LOCKED lets other processes claim others at the same time. */
const CLAIM_POSTGRES = `WITH claimed AS (
  UPDATE deliveries SET locked_until = $1, locked_by = $2
  WHERE id IN (${DUE.replaceAll(':now', '$3').replace(':limit', '$4')} FOR UPDATE SKIP LOCKED)
  RETURNING id, event_id, attempts, subscription_id, next_attempt_at, slot_ms)
SELECT ${CLAIMED_COLUMNS}
FROM claimed d JOIN events e ON e.id = d.event_id JOIN subscriptions s ON s.id = d.subscription_id
ORDER BY d.next_attempt_at`;

/** The embedded database: one UPDATE holds the one write lock and answers the rows (SQLite's RETURNING takes no join). */
const CLAIM_SQLITE = `UPDATE deliveries SET locked_until = ?1, locked_by = ?2
  WHERE id IN (${DUE.replaceAll(':now', '?3').replace(':limit', '?4')})
  RETURNING id, event_id AS "eventId", attempts, subscription_id AS "subscriptionId", next_attempt_at AS "nextAttemptAt", slot_ms AS "slotMs",
    (SELECT type FROM events WHERE events.id = event_id) AS "eventType",
    (SELECT payload FROM events WHERE events.id = event_id) AS payload,
    (SELECT occurred_at FROM events WHERE events.id = event_id) AS "occurredAt",
    (SELECT status FROM subscriptions WHERE subscriptions.id = subscription_id) AS "subscriptionStatus",
    (SELECT target_url FROM subscriptions WHERE subscriptions.id = subscription_id) AS "targetUrl",
    (SELECT secret FROM subscriptions WHERE subscriptions.id = subscription_id) AS secret,
    (SELECT failing_since FROM subscriptions WHERE subscriptions.id = subscription_id) AS "failingSince"`;

/**
 * Claims up to `limit` due deliveries for this worker. One UPDATE statement marks them as
 * locked by us until `now + lockMs`; on PostgreSQL its subquery takes the rows with
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers (other processes) skip rows another is
 * claiming instead of waiting or taking them twice. On SQLite the statement holds the
 * database's write lock, which gives the same guarantee. A claim that is never finished
 * (the process was killed) expires and the delivery becomes due again.
 */
export async function claimDueDeliveries(storage: Storage, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  const { db } = storage;
  const now = (options.now ?? new Date()).toISOString();
  const lockedUntil = new Date(Date.parse(now) + options.lockMs).toISOString();
  const parameters = [lockedUntil, options.workerId, now, options.limit];
  if (storage.kind === 'postgres') return (await runPrepared<ClaimedRow>(storage, 'connector_claim', CLAIM_POSTGRES, parameters)).rows.map(claimedDelivery);
  // RETURNING answers in no particular order: oldest due first, as PostgreSQL's claim answers.
  const rows = (await run<ClaimedRow & { nextAttemptAt: string }>(db, CLAIM_SQLITE, parameters)).rows;
  return rows.sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : 0)).map(claimedDelivery);
}

export interface FinishedAttempt {
  workerId: string;
  delivery: ClaimedDelivery;
  result: AttemptResult;
  decision: Decision;
  startedAt: Date;
  /** A subscription failing for this long without a success is disabled. */
  disableAfterFailingMs: number;
  /** Where the notice of a subscription this attempt stops is emailed (null: recorded only). */
  noticeEmail?: string | null;
}

/** What recording an attempt did beyond the delivery itself. */
export type RecordedEffect = 'none' | 'lost_claim' | 'subscription_ended' | 'subscription_disabled';

/**
 * Records an attempt and its consequences in one transaction: the attempt row, the delivery's
 * new state, and the subscription's (failing since, ended by 410, disabled after failing too
 * long). If our claim was lost meanwhile (it expired and another worker took over, or the
 * subscription ended), only the attempt is recorded: the newer owner decides the rest.
 */
export async function recordAttempt(db: Db, attempt: FinishedAttempt): Promise<RecordedEffect> {
  return db.transaction().execute((trx) => recordAttemptIn(trx, attempt));
}

/**
 * Records several attempts in one transaction, each exactly as recordAttempt would: one commit
 * instead of one per attempt (a group commit), which is most of what recording costs. The
 * successes, nearly all of them in a healthy run, take one statement (PostgreSQL) or three
 * (SQLite) whatever their number (recordSuccesses).
 * Lock order as in recordAttemptIn, subscriptions first: on PostgreSQL the subscriptions this
 * batch may change are locked up front in id order, so two batches never wait on each other
 * in a circle.
 */
export async function recordAttempts(storage: Storage, attempts: FinishedAttempt[]): Promise<RecordedEffect[]> {
  const { kind } = storage;
  // PostgreSQL, successes only, none of them claimed while failing (the usual batch): one
  // statement, one round trip, atomic by itself.
  if (kind === 'postgres' && attempts.every((a) => a.decision.outcome === 'delivered' && a.delivery.failingSince === null)) {
    return effectsOf(
      attempts,
      (await runPrepared<{ id: string }>(storage, 'connector_settle_successes', SETTLE_SUCCESSES_POSTGRES, settleParameters(attempts))).rows,
    );
  }
  return storage.db.transaction().execute(async (trx) => {
    const effects: RecordedEffect[] = new Array(attempts.length).fill('none');
    const delivered = attempts.flatMap((attempt, i) => (attempt.decision.outcome === 'delivered' ? [{ attempt, i }] : []));
    const others = attempts.flatMap((attempt, i) => (attempt.decision.outcome === 'delivered' ? [] : [{ attempt, i }]));
    const failing = new Set(delivered.filter(({ attempt }) => attempt.delivery.failingSince !== null).map(({ attempt }) => attempt.delivery.subscriptionId));
    if (kind === 'postgres') {
      const changing = [...new Set([...failing, ...others.map(({ attempt }) => attempt.delivery.subscriptionId)])].sort();
      if (changing.length > 0) await run(trx, 'SELECT id FROM subscriptions WHERE id = ANY($1) ORDER BY id FOR UPDATE', [changing]);
    }
    for (const { attempt, i } of others) effects[i] = await recordAttemptIn(trx, attempt);
    if (delivered.length > 0) {
      for (const [i, effect] of (
        await recordSuccesses(
          trx,
          kind,
          delivered.map(({ attempt }) => attempt),
        )
      ).entries())
        effects[delivered[i]!.i] = effect;
    }
    return effects;
  });
}

/**
 * Successes, after the batch's other attempts: on PostgreSQL the one statement below; on SQLite
 * three (the subscriptions' failing runs end, the attempts are inserted, the deliveries settle).
 */
async function recordSuccesses(trx: Db, kind: Storage['kind'], attempts: FinishedAttempt[]): Promise<RecordedEffect[]> {
  if (kind === 'postgres') return effectsOf(attempts, (await run<{ id: string }>(trx, SETTLE_SUCCESSES_POSTGRES, settleParameters(attempts))).rows);
  // Claimed while failing, or maybe failing since: the statement costs nothing when none is.
  await run(trx, 'UPDATE subscriptions SET failing_since = NULL WHERE failing_since IS NOT NULL AND id IN (SELECT value FROM json_each(?1))', [
    JSON.stringify([...new Set(attempts.map((a) => a.delivery.subscriptionId))]),
  ]);
  return effectsOf(attempts, await settleSqlite(trx, successRows(attempts), attempts[0]!.workerId));
}

/** Each attempt's effect: settled, or its claim was lost meanwhile (the newer owner decides). */
const effectsOf = (attempts: FinishedAttempt[], settled: readonly { id: string }[]): RecordedEffect[] => {
  const kept = new Set(settled.map((r) => r.id));
  return attempts.map((a) => (kept.has(a.delivery.id) ? 'none' : 'lost_claim'));
};

const successRows = (attempts: FinishedAttempt[]): SuccessRow[] =>
  attempts.map((a) => ({
    attemptId: newId('att'),
    deliveryId: a.delivery.id,
    attempt: a.delivery.attempts + 1,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.result.durationMs,
    statusCode: a.result.statusCode,
    finishedAt: new Date(a.startedAt.getTime() + a.result.durationMs).toISOString(),
  }));

type SuccessRow = {
  attemptId: string;
  deliveryId: string;
  attempt: number;
  startedAt: string;
  durationMs: number;
  statusCode: number | null;
  finishedAt: string;
};

// The unary `+` keeps SQLite from driving the UPDATE by the status index (every pending
// delivery, each joined to the batch): the batch drives, each row found by its primary key.
async function settleSqlite(trx: Db, rows: SuccessRow[], workerId: string): Promise<{ id: string }[]> {
  const json = JSON.stringify(rows.map((r) => [r.attemptId, r.deliveryId, r.attempt, r.startedAt, r.durationMs, r.statusCode, r.finishedAt]));
  await run(
    trx,
    `INSERT INTO delivery_attempts (id, delivery_id, attempt, started_at, duration_ms, status_code, error, outcome)
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, NULL, 'delivered' FROM json_each(?1)`,
    [json],
  );
  const settled = await run<{ id: string }>(
    trx,
    `UPDATE deliveries SET status = 'delivered', attempts = j.value ->> 2, next_attempt_at = j.value ->> 6, delivered_at = j.value ->> 6,
       locked_until = NULL, locked_by = NULL, slot_ms = NULL, last_status_code = j.value ->> 5, last_error = NULL
     FROM json_each(?1) AS j
     WHERE deliveries.id = j.value ->> 1 AND +deliveries.locked_by = ?2 AND +deliveries.status = 'pending'
     RETURNING deliveries.id`,
    [json, workerId],
  );
  return settled.rows;
}

/**
 * Successes on PostgreSQL in one statement: the attempts inserted, the deliveries settled, and
 * any subscription failing since the claim cleared (which locks nothing when none is). Run on
 * its own (the usual batch: successes only, none claimed while failing) its parts take their
 * locks in no set order; should that ever deadlock with a subscription being disabled,
 * PostgreSQL aborts it and the worker records each attempt on its own. In a batch's transaction
 * the subscriptions are already locked.
 */
const SETTLE_SUCCESSES_POSTGRES = `WITH cleared AS (
    UPDATE subscriptions SET failing_since = NULL WHERE failing_since IS NOT NULL AND id = ANY($1)
  ), inserted AS (
    INSERT INTO delivery_attempts (id, delivery_id, attempt, started_at, duration_ms, status_code, error, outcome)
    SELECT id, delivery_id, attempt, started_at, duration_ms, status_code, NULL, 'delivered'
    FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[]) AS j(id, delivery_id, attempt, started_at, duration_ms, status_code)
  )
  UPDATE deliveries AS d SET status = 'delivered', attempts = j.attempt, next_attempt_at = j.finished_at, delivered_at = j.finished_at,
    locked_until = NULL, locked_by = NULL, slot_ms = NULL, last_status_code = j.status_code, last_error = NULL
  FROM unnest($3::text[], $4::int[], $8::text[], $7::int[]) AS j(id, attempt, finished_at, status_code)
  WHERE d.id = j.id AND d.locked_by = $9 AND d.status = 'pending'
  RETURNING d.id`;

function settleParameters(attempts: FinishedAttempt[]): unknown[] {
  const rows = successRows(attempts);
  const column = <K extends keyof SuccessRow>(key: K) => rows.map((r) => r[key]);
  return [
    [...new Set(attempts.map((a) => a.delivery.subscriptionId))],
    column('attemptId'),
    column('deliveryId'),
    column('attempt'),
    column('startedAt'),
    column('durationMs'),
    column('statusCode'),
    column('finishedAt'),
    attempts[0]!.workerId,
  ];
}

async function recordAttemptIn(trx: Db, attempt: FinishedAttempt): Promise<RecordedEffect> {
  const { delivery, result, decision } = attempt;
  const finishedAt = new Date(attempt.startedAt.getTime() + result.durationMs).toISOString();
  // Lock order: the subscription's row before any delivery's. Disabling a subscription or ending
  // it (410) finishes its other pending deliveries while holding its row; an attempt of one of
  // those recorded at the same moment must not hold its delivery's row while waiting for the
  // subscription's, or PostgreSQL aborts one of them as a deadlock and that attempt is lost
  // from the log. A success touches the subscription only if it was failing, so it locks
  // nothing then; every other outcome may change the subscription, so it takes its row first.
  if (decision.outcome === 'delivered') {
    await trx
      .updateTable('subscriptions')
      .set({ failing_since: null })
      .where('id', '=', delivery.subscriptionId)
      .where('failing_since', 'is not', null)
      .execute();
  } else {
    await trx
      .updateTable('subscriptions')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('id', '=', delivery.subscriptionId)
      .execute();
  }
  await trx
    .insertInto('delivery_attempts')
    .values({
      id: newId('att'),
      delivery_id: delivery.id,
      attempt: delivery.attempts + 1,
      started_at: attempt.startedAt.toISOString(),
      duration_ms: result.durationMs,
      status_code: result.statusCode,
      error: result.error,
      outcome: decision.outcome,
    })
    .execute();

  const updated = await trx
    .updateTable('deliveries')
    .set({
      status: decision.outcome === 'retry' ? 'pending' : decision.outcome === 'delivered' ? 'delivered' : 'failed',
      attempts: delivery.attempts + 1,
      next_attempt_at: decision.outcome === 'retry' ? new Date(Date.parse(finishedAt) + decision.delayMs).toISOString() : finishedAt,
      locked_until: null,
      locked_by: null,
      slot_ms: null,
      last_status_code: result.statusCode,
      last_error: result.error,
      delivered_at: decision.outcome === 'delivered' ? finishedAt : null,
    })
    .where('id', '=', delivery.id)
    .where('locked_by', '=', attempt.workerId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return 'lost_claim';
  if (result.statusCode === 429) await pauseTarget(trx, delivery.targetUrl, Date.parse(finishedAt) + pauseFor(result.retryAfterMs));

  if (decision.outcome === 'delivered') return 'none'; // failing_since was cleared above
  if (decision.outcome === 'gone') {
    await endSubscription(trx, delivery.subscriptionId, 'gone', 'the receiver answered 410 Gone');
    await recordNotice(trx, delivery.subscriptionId, 'gone', 'the receiver answered 410 Gone', attempt.noticeEmail);
    return 'subscription_ended';
  }
  const effect = await noteFailure(trx, delivery.subscriptionId, finishedAt, attempt.disableAfterFailingMs);
  if (effect === 'subscription_disabled') {
    const since = (await trx.selectFrom('subscriptions').select('failing_since').where('id', '=', delivery.subscriptionId).executeTakeFirstOrThrow())
      .failing_since;
    await recordNotice(
      trx,
      delivery.subscriptionId,
      'failing',
      `every delivery has failed since ${since} (the last: ${result.error ?? `HTTP ${result.statusCode}`})`,
      attempt.noticeEmail,
    );
  }
  return effect;
}

/** Starts (or continues) the subscription's run of failures; disables it when the run is too long. */
async function noteFailure(trx: Db, subscriptionId: string, now: string, disableAfterFailingMs: number): Promise<RecordedEffect> {
  await trx.updateTable('subscriptions').set({ failing_since: now }).where('id', '=', subscriptionId).where('failing_since', 'is', null).execute();
  const disableIfFailingSince = new Date(Date.parse(now) - disableAfterFailingMs).toISOString();
  const disabled = await trx
    .updateTable('subscriptions')
    .set({ status: 'disabled', ended_reason: 'failing' })
    .where('id', '=', subscriptionId)
    .where('status', '=', 'active')
    .where('failing_since', '<=', disableIfFailingSince)
    .returning('failing_since')
    .executeTakeFirst();
  if (!disabled) return 'none';
  await finishPendingDeliveries(trx, subscriptionId, 'failed', `subscription disabled: every attempt has failed since ${disabled.failing_since}`);
  return 'subscription_disabled';
}

/** Why a subscription ended for good ('failing' only disables it). */
export type EndedReason = Exclude<NonNullable<AdminSubscription['endedReason']>, 'failing'>;

/** Ends a subscription for good and cancels what it still had pending. Call inside a transaction. */
export async function endSubscription(trx: Db, subscriptionId: string, reason: EndedReason, why: string): Promise<void> {
  await trx
    .updateTable('subscriptions')
    .set({ status: 'ended', ended_reason: reason })
    .where('id', '=', subscriptionId)
    .where('status', '!=', 'ended')
    .execute();
  await finishPendingDeliveries(trx, subscriptionId, 'cancelled', `subscription ended: ${why}`);
}

/**
 * Ends every live subscription of one Zapier account and cancels what they still had pending
 * (the account was deleted, or its App Token regenerated). Call inside the transaction that
 * changes the account. Returns how many subscriptions it ended.
 */
export async function endAccountSubscriptions(trx: Db, appId: string, reason: EndedReason, why: string): Promise<number> {
  // Subscriptions before their deliveries: the order recordAttemptIn takes its locks in, so the
  // two never wait on each other in a circle.
  const ended = await trx
    .updateTable('subscriptions')
    .set({ status: 'ended', ended_reason: reason })
    .where('app_id', '=', appId)
    .where('status', '!=', 'ended')
    .executeTakeFirst();
  await trx
    .updateTable('deliveries')
    .set({ status: 'cancelled', last_error: `subscription ended: ${why}`, locked_until: null, locked_by: null })
    .where('status', '=', 'pending')
    .where('subscription_id', 'in', trx.selectFrom('subscriptions').select('id').where('app_id', '=', appId))
    .execute();
  return Number(ended.numUpdatedRows);
}

async function finishPendingDeliveries(trx: Db, subscriptionId: string, status: 'failed' | 'cancelled', why: string): Promise<void> {
  await trx
    .updateTable('deliveries')
    .set({ status, last_error: why, locked_until: null, locked_by: null })
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .execute();
}

/** A claimed delivery whose subscription stopped between recording and claiming: settle it unsent. */
export async function settleWithoutSending(db: Db, delivery: ClaimedDelivery, workerId: string): Promise<void> {
  const stopped = delivery.subscriptionStatus === 'ended' ? 'cancelled' : 'failed';
  await db
    .updateTable('deliveries')
    .set({ status: stopped, last_error: `not sent: the subscription is ${delivery.subscriptionStatus}`, locked_until: null, locked_by: null })
    .where('id', '=', delivery.id)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'pending')
    .execute();
}

/** Lets go of claims this worker will not use (it is stopping), so others need not wait for them to expire. */
export async function releaseClaims(db: Db, workerId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('deliveries').set({ locked_until: null, locked_by: null }).where('id', 'in', ids).where('locked_by', '=', workerId).execute();
}

/**
 * Lets go of every claim. Only for the embedded database at start: one connector process uses
 * it, so any claim found then was left by a process that died (kill -9, power cut) and its
 * deliveries can go out now instead of when the claim expires (timeout + 30 s later). If a
 * second process did share the file, the worst this does is send one of its deliveries twice,
 * with the same webhook-id, which delivery at least once allows. Returns how many it released.
 */
export async function releaseAllClaims(db: Db): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ locked_until: null, locked_by: null })
    .where('status', '=', 'pending')
    .where('locked_by', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** When the next pending delivery that is not due yet falls due (epoch ms), or null when none waits. */
export async function nextDueAt(db: Db, now = new Date()): Promise<number | null> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('next'))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.next ? Date.parse(row.next) : null;
}

export async function countPendingDeliveries(db: Db): Promise<number> {
  const row = await db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deletes events older than `before` that have nothing left to deliver, with their deliveries
 * and attempts, at most `batch` events per call. Returns how many events went.
 */
export async function pruneEvents(db: Db, before: string, batch = 500): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom('events as e')
      .select('e.id')
      .where('e.occurred_at', '<', before)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('deliveries as d').select('d.id').whereRef('d.event_id', '=', 'e.id').where('d.status', '=', 'pending'))))
      .limit(batch)
      .execute();
    const ids = old.map((row) => row.id);
    if (ids.length === 0) return 0;
    const deliveries = trx.selectFrom('deliveries').select('id').where('event_id', 'in', ids);
    await trx.deleteFrom('delivery_attempts').where('delivery_id', 'in', deliveries).execute();
    await trx.deleteFrom('deliveries').where('event_id', 'in', ids).execute();
    await trx.deleteFrom('events').where('id', 'in', ids).execute();
    return ids.length;
  });
}
