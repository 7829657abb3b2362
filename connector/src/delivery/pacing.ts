import type { Db, Storage } from '../storage/db.js';
import { greatest, millisecondsParameter, parameter, runPrepared, runStatement } from '../storage/statements.js';

/**
 * Per-target pacing. Zapier takes at most 30 hook calls a second per Zap, so the deliveries to
 * one target URL are spaced `intervalMs` apart (1000 / CONNECTOR_DELIVERY_RATE_PER_TARGET) by a
 * GCRA kept in the database (target_paces): each target's row holds its next free slot, and
 * reserving k slots moves it k intervals on in one atomic upsert, so processes sharing the
 * database share the pace. A claimed delivery whose slot is still ahead is not held in a worker
 * slot: it goes back to the queue, due at its slot and carrying it (deliveries.slot_ms), and is
 * sent then without reserving again. When a target had to wait, its other waiting deliveries
 * are given their slots at once, so a backlog of thousands is rescheduled in one statement
 * instead of being claimed and put back a batch at a time ahead of every other target's.
 * A 429 pauses the target alone (Retry-After, else a second).
 */

/** How long a 429 without Retry-After pauses its target. */
export const DEFAULT_429_PAUSE_MS = 1000;
/** A Retry-After longer than this is taken as this (a target asking for a day still gets its retries on the schedule). */
export const MAX_429_PAUSE_MS = 10 * 60 * 1000;
/**
 * A slot this close ahead is sent now: timers and clocks are not finer than a few milliseconds,
 * and at high paces a batch's slots all fall within it (deferring them would cost more than the
 * wait). At 30 a second it lets a delivery go at most 5 ms early.
 */
export const EARLY_MS = 5;
/**
 * A delivery claimed this long after its slot takes a new one instead of going at once: sent
 * late, it would go out together with the deliveries of the slots after it, and the target would
 * get more than its pace in that second (a busy process falls behind its slots).
 */
export const LATE_MS = 50;
/** How many of a target's waiting deliveries one backlog pass reschedules; a longer backlog takes several passes. */
const BACKLOG_PASS = 10_000;

/** What pacing reads of a claimed delivery (store.ts ClaimedDelivery). */
export interface PacedDelivery {
  id: string;
  targetUrl: string;
  /** The slot it was deferred to, or null. */
  slotMs: number | null;
}

export interface PaceOptions {
  workerId: string;
  intervalMs: number;
  now?: number;
}

/**
 * Reserves `count` consecutive slots of a target, no earlier than `now` nor its pause; returns
 * the first. One statement: concurrent reservations (other processes) get disjoint slots.
 */
async function reserveSlots(
  on: { storage: Storage } | { trx: Db; kind: Storage['kind'] },
  targetUrl: string,
  count: number,
  intervalMs: number,
  now: number,
): Promise<number> {
  const kind = 'storage' in on ? on.storage.kind : on.kind;
  const [target, at, span] = [parameter(kind, 1), millisecondsParameter(kind, 2), millisecondsParameter(kind, 3)];
  const text = `INSERT INTO target_paces (target_url, next_slot_ms, paused_until_ms) VALUES (${target}, ${at} + ${span}, 0)
     ON CONFLICT (target_url) DO UPDATE SET next_slot_ms = ${greatest(kind, 'target_paces.next_slot_ms', at, 'target_paces.paused_until_ms')} + ${span}
     RETURNING next_slot_ms`;
  const parameters = [targetUrl, now, count * intervalMs];
  const { rows } =
    'storage' in on
      ? await runPrepared<{ next_slot_ms: number | string }>(on.storage, 'connector_reserve_slots', text, parameters)
      : await runStatement<{ next_slot_ms: number | string }>(on.trx, text, parameters);
  return Number(rows[0]!.next_slot_ms) - count * intervalMs;
}

interface Deferral {
  id: string;
  slotMs: number;
}

/** Puts deliveries back in the queue, each due at its slot and carrying it; only those still held by `workerId` (null: unclaimed ones). */
async function defer(db: Db, kind: Storage['kind'], deferrals: readonly Deferral[], workerId: string | null): Promise<void> {
  if (deferrals.length === 0) return;
  const ids = deferrals.map((d) => d.id);
  const dues = deferrals.map((d) => new Date(d.slotMs).toISOString());
  const slots = deferrals.map((d) => d.slotMs);
  if (kind === 'postgres') {
    await runStatement(
      db,
      `UPDATE deliveries AS d SET next_attempt_at = j.due, slot_ms = j.slot, locked_until = NULL, locked_by = NULL
       FROM unnest($1::text[], $2::text[], $3::double precision[]) AS j(id, due, slot)
       WHERE d.id = j.id AND d.status = 'pending' AND d.locked_by IS NOT DISTINCT FROM $4`,
      [ids, dues, slots, workerId],
    );
    return;
  }
  // The unary `+`: the batch drives the update, each row found by its key (not every pending row scanned).
  await runStatement(
    db,
    `UPDATE deliveries SET next_attempt_at = j.value ->> 1, slot_ms = j.value ->> 2, locked_until = NULL, locked_by = NULL
     FROM json_each(?1) AS j
     WHERE deliveries.id = j.value ->> 0 AND +deliveries.status = 'pending' AND +deliveries.locked_by IS ?2`,
    [JSON.stringify(deferrals.map((d, i) => [d.id, dues[i], d.slotMs])), workerId],
  );
}

/**
 * Of freshly claimed deliveries, the ones to send now; the others are deferred to their slots.
 * Deliveries that already hold a slot (they were deferred to it) go now, unless they come too
 * late for it (LATE_MS). Returns the earliest slot deferred to, so the worker can wake then.
 */
export async function paceClaims<Claimed extends PacedDelivery>(
  storage: Storage,
  claimed: readonly Claimed[],
  options: PaceOptions,
): Promise<{ send: Claimed[]; nextSlotMs: number | null }> {
  const { db, kind } = storage;
  const now = options.now ?? Date.now();
  const byTarget = new Map<string, Claimed[]>();
  for (const delivery of claimed) {
    const same = byTarget.get(delivery.targetUrl);
    if (same) same.push(delivery);
    else byTarget.set(delivery.targetUrl, [delivery]);
  }

  const send: Claimed[] = [];
  const deferrals: Deferral[] = [];
  const waitingTargets: string[] = [];
  for (const [targetUrl, deliveries] of byTarget) {
    const onTime = (d: Claimed) => d.slotMs !== null && d.slotMs >= now - LATE_MS;
    const fresh = deliveries.filter((d) => !onTime(d));
    send.push(...deliveries.filter(onTime));
    if (fresh.length === 0) continue;
    const first = await reserveSlots({ storage }, targetUrl, fresh.length, options.intervalMs, now);
    fresh.forEach((delivery, i) => {
      const slotMs = first + i * options.intervalMs;
      if (slotMs <= now + EARLY_MS) send.push(delivery);
      else deferrals.push({ id: delivery.id, slotMs });
    });
    if (first + (fresh.length - 1) * options.intervalMs > now + EARLY_MS) waitingTargets.push(targetUrl);
  }
  await defer(db, kind, deferrals, options.workerId);
  let nextSlotMs = deferrals.length > 0 ? Math.min(...deferrals.map((d) => d.slotMs)) : null;
  for (const targetUrl of waitingTargets) {
    const first = await scheduleBacklog(storage, targetUrl, options.intervalMs, now);
    if (first !== null) nextSlotMs = Math.min(nextSlotMs ?? first, first);
  }
  return { send, nextSlotMs };
}

/**
 * Gives each of a target's waiting deliveries (due, unclaimed, without a slot) its slot, oldest
 * first, in one pass of up to BACKLOG_PASS: they leave the head of the queue, where they would
 * otherwise be claimed and put back ahead of every other target's deliveries. Returns the first slot.
 */
async function scheduleBacklog(storage: Storage, targetUrl: string, intervalMs: number, now: number): Promise<number | null> {
  const { kind } = storage;
  const [target, at, limit] = [parameter(kind, 1), parameter(kind, 2), parameter(kind, 3)];
  // One transaction, the rows locked (SKIP LOCKED on PostgreSQL; SQLite runs one transaction at
  // a time): two workers seeing the same backlog must not both reserve slots for it.
  return storage.db.transaction().execute(async (trx) => {
    const { rows } = await runStatement<{ id: string }>(
      trx,
      `SELECT d.id FROM deliveries d
       WHERE d.status = 'pending' AND d.next_attempt_at <= ${at} AND d.slot_ms IS NULL AND d.locked_by IS NULL
         AND d.subscription_id IN (SELECT id FROM subscriptions WHERE target_url = ${target})
       ORDER BY d.next_attempt_at, d.id LIMIT ${limit}${kind === 'postgres' ? ' FOR UPDATE OF d SKIP LOCKED' : ''}`,
      [targetUrl, new Date(now).toISOString(), BACKLOG_PASS],
    );
    if (rows.length === 0) return null;
    const first = await reserveSlots({ trx, kind }, targetUrl, rows.length, intervalMs, now);
    await defer(
      trx,
      kind,
      rows.map((row, i) => ({ id: row.id, slotMs: first + i * intervalMs })),
      null,
    );
    return first;
  });
}

/**
 * A 429 from a target: nothing more goes to it until `untilMs` (its Retry-After, within bounds),
 * and its deliveries already given later slots take new ones after the pause. Its other
 * targets' deliveries, and other targets, are untouched. Call in the recording transaction.
 */
export async function pauseTarget(db: Db, targetUrl: string, untilMs: number): Promise<void> {
  await db
    .insertInto('target_paces')
    .values({ target_url: targetUrl, next_slot_ms: untilMs, paused_until_ms: untilMs })
    .onConflict((conflict) =>
      conflict.column('target_url').doUpdateSet((eb) => ({
        // Both from the row as it was: the later pause wins, and the slots start again after it
        // (every slot given out is taken back below, so none is counted twice).
        paused_until_ms: eb.case().when('target_paces.paused_until_ms', '>', untilMs).then(eb.ref('target_paces.paused_until_ms')).else(untilMs).end(),
        next_slot_ms: eb.case().when('target_paces.paused_until_ms', '>', untilMs).then(eb.ref('target_paces.paused_until_ms')).else(untilMs).end(),
      })),
    )
    .execute();
  await db
    .updateTable('deliveries')
    .set({ slot_ms: null })
    .where('status', '=', 'pending')
    .where('slot_ms', 'is not', null)
    .where('subscription_id', 'in', db.selectFrom('subscriptions').select('id').where('target_url', '=', targetUrl))
    .execute();
}

/** How long a 429 pauses its target: its Retry-After within bounds, else a second. */
export const pauseFor = (retryAfterMs: number | null) => Math.min(Math.max(retryAfterMs ?? DEFAULT_429_PAUSE_MS, 0), MAX_429_PAUSE_MS);
