import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { ApiFailure } from '../http/errors.js';
import type { Db } from '../storage/db.js';

/**
 * Counts calls per bucket (an App ID) in fixed windows. A fixed window is what LiveChat's
 * "100 calls per 60 seconds per connection" describes, and it needs one counter per bucket.
 */
export interface RateLimitStore {
  /** Adds one call to the bucket's window starting at `windowStart` and answers the calls so far. */
  hit(bucket: string, windowStart: number): Promise<number>;
}

/** For the embedded database: one process, so the counters can live in memory. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { start: number; hits: number }>();
  private currentStart = 0;

  async hit(bucket: string, windowStart: number): Promise<number> {
    if (windowStart !== this.currentStart) {
      this.currentStart = windowStart;
      for (const [key, window] of this.windows) if (window.start < windowStart) this.windows.delete(key);
    }
    const window = this.windows.get(bucket);
    if (window?.start === windowStart) return ++window.hits;
    this.windows.set(bucket, { start: windowStart, hits: 1 });
    return 1;
  }
}

/**
 * For PostgreSQL with several connector processes: one row per bucket and window, incremented
 * atomically by an upsert, so the limit holds across processes.
 */
export class DatabaseRateLimitStore implements RateLimitStore {
  private prunedBefore = 0;

  constructor(private readonly db: Db) {}

  async hit(bucket: string, windowStart: number): Promise<number> {
    const start = new Date(windowStart).toISOString();
    if (windowStart > this.prunedBefore) {
      this.prunedBefore = windowStart;
      await this.db.deleteFrom('rate_limit_windows').where('window_start', '<', start).execute();
    }
    const row = await this.db
      .insertInto('rate_limit_windows')
      .values({ bucket, window_start: start, hits: 1 })
      .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit_windows.hits + 1` }))
      .returning('hits')
      .executeTakeFirstOrThrow();
    return Number(row.hits);
  }
}

export interface RateLimitOptions {
  max: number;
  windowSeconds: number;
  store: RateLimitStore;
  now?: () => number;
}

/**
 * At most `max` calls per `windowSeconds` per App ID; the call over the limit gets 429 with
 * Retry-After (the app turns it into Zapier's ThrottledError). Register after the credential
 * check: it counts by `request.account.appId`.
 */
export function rateLimitByAppId(app: FastifyInstance, options: RateLimitOptions): void {
  const windowMs = options.windowSeconds * 1000;
  const now = options.now ?? Date.now;
  app.addHook('onRequest', async (request, reply) => {
    const at = now();
    const windowStart = Math.floor(at / windowMs) * windowMs;
    const hits = await options.store.hit(request.account.appId, windowStart);
    const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000));
    reply.headers({
      'x-ratelimit-limit': String(options.max),
      'x-ratelimit-remaining': String(Math.max(0, options.max - hits)),
      'x-ratelimit-reset': String(retryAfter),
    });
    if (hits > options.max) {
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
