/**
 * The sliding-window stores behind the /v1 rate limit and the failed-authentication throttle:
 * in memory on the embedded database (one process), in the database on PostgreSQL (several).
 */
import { DatabaseRateLimitStore, MemoryRateLimitStore, type Limit, type RateLimitStore } from '../../src/accounts/rate-limit.js';
import { forEachDatabase, type TestDatabase } from '../support/databases.js';

const MINUTE = 60_000;
const limit: Limit = { max: 5, windowMs: MINUTE };
/** A moment well inside a minute, like any other. */
const T0 = Date.UTC(2026, 10, 29, 12, 0, 30);

async function storeFor(database: TestDatabase): Promise<{ store: RateLimitStore; second?: RateLimitStore }> {
  if (database.kind === 'sqlite') return { store: new MemoryRateLimitStore() };
  const storage = await database.open();
  // A second pool on the same database: another connector process, as far as PostgreSQL can tell.
  return { store: new DatabaseRateLimitStore(storage.db), second: new DatabaseRateLimitStore((await database.connect()).db) };
}

const takeMany = async (store: RateLimitStore, bucket: string, count: number, at: number) => {
  const verdicts = [];
  for (let i = 0; i < count; i++) verdicts.push(await store.take(bucket, limit, at));
  return verdicts;
};

forEachDatabase((database) => {
  it('admits max calls per bucket, then refuses with the time until one more is admitted', async () => {
    const { store } = await storeFor(database);
    const verdicts = await takeMany(store, 'a', 6, T0);
    expect(verdicts.map((v) => v.admitted)).toEqual([true, true, true, true, true, false]);
    expect(verdicts.map((v) => v.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    const refused = verdicts[5]!;
    // The calls were made at T0: they leave the window a minute (and at most one slot, 1 s) later.
    expect(refused.retryAfterMs).toBeGreaterThan(MINUTE - 1);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(MINUTE + 1000);
    expect((await store.take('b', limit, T0)).admitted).toBe(true); // another bucket has its own allowance
  });

  it('slides: calls made late in one minute still count early in the next, so no 60 s ever admits more than max', async () => {
    const { store } = await storeFor(database);
    const boundary = Math.ceil(T0 / MINUTE) * MINUTE;
    expect((await takeMany(store, 'edge', 5, boundary - 1000)).every((v) => v.admitted)).toBe(true);
    // A fixed window would start afresh at the boundary and admit five more here.
    expect((await store.take('edge', limit, boundary + 1000)).admitted).toBe(false);
    expect((await store.take('edge', limit, boundary + 30_000)).admitted).toBe(false);
    // Once the first calls have left the window (one slot later at most), room again.
    expect((await store.take('edge', limit, boundary - 1000 + MINUTE + 1000)).admitted).toBe(true);
  });

  it('holds the limit over any 60 s of a random stream of calls', async () => {
    const { store } = await storeFor(database);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const admittedAt: number[] = [];
    let at = T0;
    for (let i = 0; i < 300; i++) {
      at += Math.floor(random() * 3000); // about 40 calls a minute against a limit of 5
      if ((await store.take('stream', limit, at)).admitted) admittedAt.push(at);
    }
    const worst = Math.max(...admittedAt.map((t) => admittedAt.filter((u) => u > t - MINUTE && u <= t).length));
    expect(worst).toBeLessThanOrEqual(limit.max);
    expect(admittedAt.length).toBeGreaterThan(30); // and it did admit, about max per minute over ~7.5 minutes
  });

  it('peek answers what take would, and counts nothing', async () => {
    const { store } = await storeFor(database);
    await takeMany(store, 'p', 4, T0);
    for (let i = 0; i < 3; i++) expect(await store.peek('p', limit, T0)).toMatchObject({ admitted: true, remaining: 1 });
    await store.take('p', limit, T0);
    expect(await store.peek('p', limit, T0)).toMatchObject({ admitted: false, remaining: 0 });
    expect((await store.peek('never-seen', limit, T0)).admitted).toBe(true);
  });

  if (database.kind === 'postgres') {
    it('two processes taking from one bucket at once admit exactly max together', async () => {
      const { store, second } = await storeFor(database);
      const big: Limit = { max: 40, windowMs: MINUTE };
      const verdicts = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 ? store : second!).take('shared', big, T0)));
      expect(verdicts.filter((v) => v.admitted)).toHaveLength(40);
    });

    it('forgets buckets with no call in the last window', async () => {
      const storage = await database.open();
      const store = new DatabaseRateLimitStore(storage.db);
      await store.take('old', limit, T0);
      await store.take('recent', limit, T0 + 2 * MINUTE); // a window later: pruning runs
      const buckets = await storage.db.selectFrom('rate_limits').select('bucket').execute();
      expect(buckets.map((b) => b.bucket)).toEqual(['recent']);
    });
  }
});
