import { hostname } from 'node:os';
import { onEventsRecorded } from '../events/outbox.js';
import { metricsRegistry } from '../http/metrics.js';
import { newId } from '../ids.js';
import type { DeliveryDeps } from './deps.js';
import { deliveryMetrics, statusClass, type DeliveryMetrics } from './metrics.js';
import { decide, type AttemptOutcome } from './outcome.js';
import { paceClaims } from './pacing.js';
import { createHttpAgents, sendWebhook, type AttemptResult, type HttpAgents } from './sender.js';
import {
  claimDueDeliveries,
  countPendingDeliveries,
  nextDueAt,
  pruneEvents,
  recordAttempt,
  recordAttempts,
  releaseClaims,
  settleWithoutSending,
  type ClaimedDelivery,
  type FinishedAttempt,
  type RecordedEffect,
} from './store.js';

const DAY_MS = 24 * 3600 * 1000;
/** Pruning old events is housekeeping: once a while is enough. */
const PRUNE_EVERY_MS = 3600 * 1000;
/** Time a claim allows beyond the send timeout, for recording the outcome. */
const CLAIM_MARGIN_MS = 30_000;
/**
 * The outbox wakes us right after recording, which can be just before the recording
 * transaction commits (on PostgreSQL the claim runs on another connection and cannot see it
 * yet). If that wake finds nothing, look once more this soon rather than at the next poll.
 */
const RECHECK_AFTER_WAKE_MS = 25;
/**
 * After an attempt, claim more only once this share of the concurrency is free (or nothing is
 * in flight): one claim then serves several deliveries instead of one each, which under load
 * is most of what claiming costs. New events and polls still claim whatever room there is.
 */
const REFILL_SHARE = 1 / 2;

export interface DeliveryWorker {
  start(): void;
  /** Stops claiming, waits for the attempts in flight to be sent and recorded. */
  stop(): Promise<void>;
}

export interface DeliveryWorkerOptions {
  /** Names this worker in claims (locked_by); unique per process by default. */
  workerId?: string;
}

/**
 * Sends pending deliveries. It claims due deliveries in batches up to its concurrency, sends
 * each, and records the outcome. It wakes at once when events are recorded in this process,
 * when an attempt finishes (there may be more to do), and otherwise polls, which is how it
 * notices retries falling due and events recorded by other connector processes.
 */
export function createDeliveryWorker(deps: DeliveryDeps, options: DeliveryWorkerOptions = {}): DeliveryWorker {
  const settings = deps.settings.delivery;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${newId('wrk')}`;
  const lockMs = settings.timeoutMs + CLAIM_MARGIN_MS;
  const refillAt = Math.max(1, Math.floor(settings.concurrency * REFILL_SHARE));
  const intervalMs = 1000 / settings.ratePerTarget;
  const metrics = deliveryMetrics(deps.metricsRegistry ?? metricsRegistry);

  const inFlight = new Set<Promise<void>>();
  let running = false;
  let claiming = false;
  /** Something may have become due while we were claiming: claim again right after. */
  let wokenWhileClaiming = false;
  let pollTimer: NodeJS.Timeout | undefined;
  /** The one pump set for a moment before the next poll (a paced slot, a retry, a recheck), and that moment. */
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeTimerAt = 0;
  let pruneTimer: NodeJS.Timeout | undefined;
  let stopListening: (() => void) | undefined;
  let agents: HttpAgents | undefined;
  let pruning: Promise<void> | undefined;
  /** Finished attempts waiting for the recording under way to end; then they are recorded together. */
  let toRecord: { attempt: FinishedAttempt; resolve: (effect: RecordedEffect) => void; reject: (error: unknown) => void }[] = [];
  let recording = false;

  /**
   * Claims and starts what is due, as long as there is room. Returns how many it claimed, or
   * null when a claim already under way will look again for it.
   */
  async function pump(): Promise<number | null> {
    if (!running) return 0;
    if (claiming) {
      wokenWhileClaiming = true;
      return null;
    }
    claiming = true;
    let total = 0;
    let drained = false;
    try {
      do {
        wokenWhileClaiming = false;
        const room = settings.concurrency - inFlight.size;
        if (room <= 0) break;
        const claimed = await claimDueDeliveries(deps.storage, { workerId, limit: room, lockMs });
        if (!running) {
          await releaseClaims(
            deps.db,
            workerId,
            claimed.map((d) => d.id),
          );
          break;
        }
        // Deliveries whose target is ahead of its pace go back to the queue, due at their slots: no slot of ours waits for them.
        const { send, nextSlotMs } = await pace(claimed);
        send.forEach(track);
        total += send.length;
        if (nextSlotMs !== null) wakeAt(nextSlotMs);
        drained = claimed.length < room;
        if (!drained) wokenWhileClaiming = true; // a full batch: there may be more due
      } while (wokenWhileClaiming && running);
    } catch (error) {
      deps.log.error({ err: error }, 'claiming webhook deliveries failed; will try again');
    } finally {
      claiming = false;
    }
    // Nothing more was due: a wake-up for whatever falls due next, if before the poll. Looked up
    // after the claim is over, so an event recorded meanwhile starts a claim of its own at once.
    if (drained && running) void wakeForNextDue();
    return total;
  }

  /** The claimed deliveries to send now. Should pacing fail, they all go: sent unpaced once beats held until their claims expire. */
  async function pace(claimed: ClaimedDelivery[]): Promise<{ send: ClaimedDelivery[]; nextSlotMs: number | null }> {
    if (claimed.length === 0) return { send: [], nextSlotMs: null };
    try {
      return await paceClaims(deps.storage, claimed, { workerId, intervalMs });
    } catch (error) {
      deps.log.error({ err: error }, 'pacing claimed deliveries failed; sending them unpaced');
      return { send: claimed, nextSlotMs: null };
    }
  }

  /** Pumps at `atMs` (a paced delivery's slot, a retry falling due, a recheck) unless a pump is set for sooner; the poll is the fallback. */
  function wakeAt(atMs: number): void {
    const delay = Math.max(0, atMs - Date.now());
    if (delay >= settings.pollMs) return;
    if (wakeTimer && wakeTimerAt <= atMs) return;
    clearTimeout(wakeTimer);
    wakeTimerAt = atMs;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      void pump();
    }, delay);
  }

  /** After a pump with room to spare: when is the next pending delivery due (another process's deferral, a retry)? */
  async function wakeForNextDue(): Promise<void> {
    try {
      const next = await nextDueAt(deps.db);
      if (next !== null) wakeAt(next);
    } catch (error) {
      deps.log.error({ err: error }, 'looking up the next due delivery failed; the poll will find it');
    }
  }

  function wakeForRecordedEvents(): void {
    void pump().then((claimed) => {
      if (claimed === 0 && running) wakeAt(Date.now() + RECHECK_AFTER_WAKE_MS);
    });
  }

  function track(delivery: ClaimedDelivery): void {
    const attempt = attemptDelivery(delivery)
      .catch((error) =>
        deps.log.error({ err: error, deliveryId: delivery.id }, 'a webhook attempt could not be recorded; its claim will expire and it will be retried'),
      )
      .finally(() => {
        inFlight.delete(attempt);
        if (inFlight.size === 0 || settings.concurrency - inFlight.size >= refillAt) void pump();
      });
    inFlight.add(attempt);
  }

  async function attemptDelivery(delivery: ClaimedDelivery): Promise<void> {
    if (delivery.subscriptionStatus !== 'active') {
      await settleWithoutSending(deps.db, delivery, workerId);
      return;
    }
    const startedAt = new Date();
    const result = await sendWebhook(
      { id: delivery.eventId, body: delivery.payload, targetUrl: delivery.targetUrl, secret: delivery.secret },
      { allowPrivateTargets: settings.allowPrivateTargets, resolveHost: deps.resolveHost, timeoutMs: settings.timeoutMs, agents: agents! },
    );
    const decision = decide(result, delivery.attempts + 1, settings.retryScheduleMs);
    const effect = await record({
      workerId,
      delivery,
      result,
      decision,
      startedAt,
      disableAfterFailingMs: settings.disableAfterFailingMs,
      noticeEmail: settings.noticeEmail,
    });
    observe(metrics, delivery, result, decision.outcome);
    logAttempt(delivery, result, decision.outcome, effect);
  }

  /**
   * Records a finished attempt. Attempts that finish in the same turn of the event loop, or
   * while a recording is under way, are recorded together in one transaction (a group commit):
   * the commit, and on PostgreSQL each statement's round trip, is most of the cost, and a batch
   * of successes takes three statements whatever its size. Should that shared transaction
   * fail, each is recorded on its own, so one cannot hold back the others.
   */
  function record(attempt: FinishedAttempt): Promise<RecordedEffect> {
    return new Promise((resolve, reject) => {
      toRecord.push({ attempt, resolve, reject });
      if (recording) return;
      recording = true;
      // Let the other attempts that finished in this turn of the event loop join in.
      setImmediate(() => void recordWaiting());
    });
  }

  async function recordWaiting(): Promise<void> {
    while (toRecord.length > 0) {
      const batch = toRecord;
      toRecord = [];
      try {
        const effects = await recordAttempts(
          deps.storage,
          batch.map((entry) => entry.attempt),
        );
        batch.forEach((entry, i) => {
          entry.resolve(effects[i]!);
        });
      } catch {
        for (const entry of batch) await recordAttempt(deps.db, entry.attempt).then(entry.resolve, entry.reject);
      }
    }
    recording = false;
  }

  /** Successes only count in the metrics; everything else is worth a line in the log. */
  function logAttempt(delivery: ClaimedDelivery, result: AttemptResult, outcome: AttemptOutcome, effect: RecordedEffect): void {
    const details = {
      deliveryId: delivery.id,
      eventId: delivery.eventId,
      subscriptionId: delivery.subscriptionId,
      attempt: delivery.attempts + 1,
      statusCode: result.statusCode,
      error: result.error,
      outcome,
    };
    if (effect === 'subscription_disabled') metrics.notices.inc({ reason: 'failing' });
    if (effect === 'subscription_ended') metrics.notices.inc({ reason: 'gone' });
    if (effect === 'subscription_disabled') deps.log.warn(details, 'subscription disabled: its deliveries have been failing for too long');
    else if (effect === 'subscription_ended') deps.log.info(details, 'subscription ended: the receiver answered 410 Gone');
    else if (effect === 'lost_claim') deps.log.warn(details, 'webhook attempt finished after its claim was lost; recorded the attempt only');
    else if (outcome === 'failed') deps.log.warn(details, 'webhook delivery failed: retries used up');
    else if (outcome === 'retry') deps.log.info(details, 'webhook attempt failed; will retry');
  }

  async function pollForDue(): Promise<void> {
    await pump();
    if (running) pollTimer = setTimeout(() => void pollForDue(), settings.pollMs);
  }

  /** Deletes old events in batches, so that no single transaction holds the database for long. */
  async function pruneOldEvents(): Promise<void> {
    const before = new Date(Date.now() - settings.eventRetentionDays * DAY_MS).toISOString();
    let pruned = 0;
    try {
      let batch: number;
      do {
        batch = await pruneEvents(deps.db, before);
        pruned += batch;
      } while (batch > 0 && running);
    } catch (error) {
      deps.log.error({ err: error }, 'pruning old events failed');
    }
    if (pruned > 0) deps.log.info({ pruned, before }, 'pruned old events');
  }

  function prune(): void {
    pruning ??= pruneOldEvents().finally(() => (pruning = undefined));
  }

  return {
    start() {
      if (running) return;
      running = true;
      agents = createHttpAgents(settings.concurrency);
      metrics.countPending = () => countPendingDeliveries(deps.db);
      stopListening = onEventsRecorded(wakeForRecordedEvents);
      void pollForDue();
      pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
      pruneTimer.unref();
      prune();
    },
    async stop() {
      if (!running) return;
      running = false;
      stopListening?.();
      clearTimeout(pollTimer);
      clearTimeout(wakeTimer);
      clearInterval(pruneTimer);
      while (claiming || inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        if (claiming) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await pruning;
      agents?.destroy();
    },
  };
}

function observe(metrics: DeliveryMetrics, delivery: ClaimedDelivery, result: AttemptResult, outcome: AttemptOutcome): void {
  metrics.attempts.inc({ outcome });
  metrics.attemptSeconds.observe({ status_class: statusClass(result.statusCode) }, result.durationMs / 1000);
  if (outcome === 'delivered') metrics.deliveryLagSeconds.observe((Date.now() - Date.parse(delivery.occurredAt)) / 1000);
}
