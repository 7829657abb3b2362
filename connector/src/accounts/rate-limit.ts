import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { ApiFailure } from '../errors.js';
import type { Db } from '../storage/db.js';

/** At most `max` in any `windowMs` milliseconds. */
export interface Limit {
  max: number;
  windowMs: number;
}

export interface Verdict {
  /** Whether this call was (for `take`) or would be (for `peek`) admitted. */
  admitted: boolean;
  /** Calls still admitted before the window slides. */
  remaining: number;
  /** Milliseconds until one more call is admitted: 0 when one is now. */
  retryAfterMs: number;
  /** Milliseconds until the whole allowance is back (the last logged call leaves the window). */
  resetMs: number;
}

/**
 * A sliding window per bucket, kept as counts of admitted calls in slots of a sixtieth of the
 * window. A call is admitted when the slots that overlap the window before it hold fewer than
 * `max`: so no stretch of `windowMs` ever admits more than `max` (fixed windows admitted twice
 * the limit across their boundary), and a bucket costs at most 61 counters whatever the limit.
 * Counting whole slots errs on the safe side: at most one slot's worth is refused early.
 */
export interface RateLimitStore {
  /** Admits a call to the bucket at `at` when the window before it has room, and counts it. */
  take(bucket: string, limit: Limit, at: number): Promise<Verdict>;
  /** What `take` would answer, counting nothing. */
  peek(bucket: string, limit: Limit, at: number): Promise<Verdict>;
}

const SLOTS_PER_WINDOW = 60;

/** The slot arithmetic of a limit at a moment: slot numbers are epoch milliseconds / slotMs. */
function slotsAt({ windowMs }: Limit, at: number) {
  const slotMs = Math.max(1, Math.ceil(windowMs / SLOTS_PER_WINDOW));
  return { slotMs, current: Math.floor(at / slotMs), oldest: Math.floor((at - windowMs) / slotMs) };
}

/** Slot number → admitted calls in it. */
type SlotCounts = Map<number, number>;

/** The verdict for counts already cut to the window. */
function verdictOf(counts: SlotCounts, admitted: boolean, limit: Limit, at: number): Verdict {
  const { slotMs } = slotsAt(limit, at);
  const slots = [...counts.keys()].sort((a, b) => a - b);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  // A slot stops counting once the window no longer overlaps it.
  const leavesWindow = (slot: number) => Math.max(1, (slot + 1) * slotMs + limit.windowMs - at);
  let freedAfter = 0;
  for (let i = 0, left = total; i < slots.length && left >= limit.max; i++) {
    left -= counts.get(slots[i]!)!;
    freedAfter = leavesWindow(slots[i]!);
  }
  return {
    admitted,
    remaining: Math.max(0, limit.max - total),
    retryAfterMs: total >= limit.max ? freedAfter : 0,
    resetMs: slots.length > 0 ? leavesWindow(slots[slots.length - 1]!) : 0,
  };
}

function withinWindow(counts: Iterable<[number, number]>, limit: Limit, at: number): SlotCounts {
  const { oldest } = slotsAt(limit, at);
  return new Map([...counts].filter(([slot]) => slot >= oldest));
}

const totalOf = (counts: SlotCounts) => [...counts.values()].reduce((sum, n) => sum + n, 0);

/** For the embedded database: one process, so the counts can live in memory. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, SlotCounts>();
  private sweptAt = 0;

  async take(bucket: string, limit: Limit, at: number): Promise<Verdict> {
    this.sweep(limit, at);
    const counts = withinWindow(this.buckets.get(bucket) ?? [], limit, at);
    const admitted = totalOf(counts) < limit.max;
    if (admitted) {
      const { current } = slotsAt(limit, at);
      counts.set(current, (counts.get(current) ?? 0) + 1);
    }
    this.buckets.set(bucket, counts);
    return verdictOf(counts, admitted, limit, at);
  }

  async peek(bucket: string, limit: Limit, at: number): Promise<Verdict> {
    const counts = withinWindow(this.buckets.get(bucket) ?? [], limit, at);
    return verdictOf(counts, totalOf(counts) < limit.max, limit, at);
  }

  /** Once a window, forget buckets that went quiet, so many callers cannot grow the map for ever. */
  private sweep(limit: Limit, at: number): void {
    if (at - this.sweptAt < limit.windowMs) return;
    this.sweptAt = at;
    for (const [bucket, counts] of this.buckets) if (withinWindow(counts, limit, at).size === 0) this.buckets.delete(bucket);
  }
}

/** The stored form of slot counts: a JSON object, slot number → count. */
const countsFromJson = (json: string): SlotCounts => new Map(Object.entries(JSON.parse(json) as Record<string, number>).map(([slot, n]) => [Number(slot), n]));

/**
 * For PostgreSQL with several connector processes: one row per bucket holding its slot counts
 * as a JSON object. One upsert cuts them to the window, decides, and counts the call; the row
 * lock of ON CONFLICT DO UPDATE makes that atomic across processes, so the limit holds exactly.
 */
export class DatabaseRateLimitStore implements RateLimitStore {
  private prunedAt = 0;

  constructor(private readonly db: Db) {}

  async take(bucket: string, limit: Limit, at: number): Promise<Verdict> {
    await this.prune(limit, at);
    const { current, oldest } = slotsAt(limit, at);
    const slot = String(current);
    // Over the row being updated: its counts cut to the window, and their sum.
    const kept = sql`(select coalesce(jsonb_object_agg(s.key, s.value), '{}'::jsonb) from jsonb_each(rate_limits.slot_counts::jsonb) as s where s.key::bigint >= ${oldest})`;
    const total = sql`(select coalesce(sum(s.value::text::bigint), 0) from jsonb_each(rate_limits.slot_counts::jsonb) as s where s.key::bigint >= ${oldest})`;
    const counted = sql`${kept} || jsonb_build_object(${slot}::text, coalesce((rate_limits.slot_counts::jsonb ->> ${slot}::text)::bigint, 0) + 1)`;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ bucket, slot_counts: JSON.stringify({ [slot]: 1 }), last_at: at, admitted: true })
      .onConflict((oc) =>
        oc.column('bucket').doUpdateSet({
          slot_counts: sql<string>`(case when ${total} < ${limit.max} then ${counted} else ${kept} end)::text`,
          admitted: sql<boolean>`${total} < ${limit.max}`,
          last_at: sql<number>`greatest(rate_limits.last_at, ${at}::bigint)`,
        }),
      )
      .returning(['slot_counts', 'admitted'])
      .executeTakeFirstOrThrow();
    return verdictOf(countsFromJson(row.slot_counts), Boolean(row.admitted), limit, at);
  }

  async peek(bucket: string, limit: Limit, at: number): Promise<Verdict> {
    const row = await this.db.selectFrom('rate_limits').select('slot_counts').where('bucket', '=', bucket).executeTakeFirst();
    const counts = withinWindow(row ? countsFromJson(row.slot_counts) : [], limit, at);
    return verdictOf(counts, totalOf(counts) < limit.max, limit, at);
  }

  /** Once a window, drop the rows of buckets with no call in it. */
  private async prune(limit: Limit, at: number): Promise<void> {
    if (at - this.prunedAt < limit.windowMs) return;
    this.prunedAt = at;
    await this.db
      .deleteFrom('rate_limits')
      .where('last_at', '<=', at - limit.windowMs)
      .execute();
  }
}

export interface RateLimitOptions {
  max: number;
  windowSeconds: number;
  store: RateLimitStore;
  now?: () => number;
}

/**
 * At most `max` calls in any `windowSeconds` per App ID; the call over the limit gets 429 with
 * Retry-After (the app turns it into Zapier's ThrottledError). Register after the credential
 * check: it counts by `request.account.appId`.
 */
export function rateLimitByAppId(app: FastifyInstance, options: RateLimitOptions): void {
  const limit: Limit = { max: options.max, windowMs: options.windowSeconds * 1000 };
  const now = options.now ?? Date.now;
  app.addHook('onRequest', async (request, reply) => {
    const verdict = await options.store.take(`app:${request.account.appId}`, limit, now());
    const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    reply.headers({
      'x-ratelimit-limit': String(options.max),
      'x-ratelimit-remaining': String(verdict.remaining),
      'x-ratelimit-reset': String(Math.ceil(verdict.resetMs / 1000)),
    });
    if (!verdict.admitted) {
      throw new ApiFailure(
        429,
        'rate_limited',
        `This App ID made more than ${options.max} calls in ${options.windowSeconds} seconds; try again in ${retryAfter} seconds.`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
  });
}
