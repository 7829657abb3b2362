// Per-target pacing on both databases: a burst to one target URL arrives at its pace (in any
// second, at most the pace plus 10% and one), shared by two workers (on PostgreSQL, two
// connection pools: two processes as far as the database can tell); its waiting deliveries
// hold no worker slot, so another target's go out meanwhile; and a 429 with Retry-After
// pauses that target alone.
import { forEachDatabase, type TestDatabase } from '../support/databases.js';
import {
  attemptRows,
  depsFor,
  deliveryRows,
  eventually,
  type memoryLog,
  record,
  seedAccount,
  startWorker,
  subscribe,
  testDeliverySettings,
} from '../support/delivery-fixtures.js';
import { allowedPerSecond, busiestSecond } from '../support/pace.js';
import { sinksClosedAfterEach } from '../support/sink.js';
import type { DeliveryDeps } from '../../src/delivery/deps.js';
import type { Storage } from '../../src/storage/db.js';

/** What a worker logged as an error (its log is a memoryLog in these tests). */
const errorsOf = (deps: DeliveryDeps) => (deps.log as ReturnType<typeof memoryLog>).lines.filter((line) => line.level === 'error').map((line) => line.message);

forEachDatabase((database) => {
  const sink = sinksClosedAfterEach();

  /** A second worker's storage: another pool on PostgreSQL; on the embedded database (one process) the same. */
  const secondStorage = (db: TestDatabase, storage: Storage) => (db.kind === 'postgres' ? db.connect() : Promise.resolve(storage));

  it('sends a burst to one target at its pace, shared by two workers, without holding their slots', async () => {
    const rate = 20;
    const storage = await database.open();
    const busy = await sink();
    const other = await sink();
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'contact.created', targetUrl: busy.url });
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: other.url });
    for (let i = 0; i < 50; i++) await record(storage, owner, 'contact.created');

    // Two workers with two slots each: four slots in all, far fewer than the backlog.
    const settings = testDeliverySettings({ ratePerTarget: rate, concurrency: 2 });
    const workers = [depsFor(storage, settings), depsFor(await secondStorage(database, storage), settings)];
    startWorker(database, workers[0]!, 'pacing-a');
    startWorker(database, workers[1]!, 'pacing-b');

    // The backlog is given its slots at once (not claimed and put back a batch at a time): one per interval.
    const slots = await eventually(
      async () => {
        const rows = (await deliveryRows(storage)).filter((r) => r.status === 'pending');
        return rows.length > 0 && rows.every((r) => r.slot_ms !== null || r.locked_by !== null) && rows;
      },
      3000,
      'every waiting delivery holding a slot',
    );
    const sorted = slots.flatMap((r) => (r.slot_ms === null ? [] : [Number(r.slot_ms)])).sort((a, b) => a - b);
    expect(sorted.length).toBeGreaterThan(40);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(1000 / rate - 1e-6);

    // Meanwhile another target's events go out at once: the waiting deliveries hold no slot.
    for (let i = 0; i < 5; i++) await record(storage, owner, 'tag.created');
    await other.waitFor(5, 2000);
    expect(busy.received.length).toBeLessThan(25);

    await busy.waitFor(50, 10_000);
    const arrivals = busy.received.map((r) => r.at);
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(allowedPerSecond(rate));
    // ...and the pace is kept, not undercut: 50 at 20 a second take about 2.5 s.
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeGreaterThan((49 / rate) * 1000 * 0.9);

    // Each sent once, one attempt each: waiting for a slot is not an attempt.
    const rows = await eventually(async () => {
      const all = await deliveryRows(storage);
      return all.every((r) => r.status === 'delivered') && all;
    });
    expect(new Set(busy.received.map((r) => r.headers['webhook-id'])).size).toBe(50);
    for (const row of rows) expect(row).toMatchObject({ attempts: 1, slot_ms: null });
    // Paced, not sent unpaced because pacing failed (which the worker would log and carry on from).
    expect(workers.flatMap((deps) => errorsOf(deps))).toEqual([]);
  }, 20_000);

  it('a 429 with Retry-After pauses that target alone; its deliveries go out after the pause', async () => {
    const storage = await database.open();
    const limited = await sink((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const other = await sink();
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'contact.created', targetUrl: limited.url });
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: other.url });
    const deps = depsFor(storage, testDeliverySettings({ ratePerTarget: 1000, retryScheduleMs: [0, 10, 10] }));
    startWorker(database, deps);

    const first = await record(storage, owner, 'contact.created');
    database.afterThisTest(() => expect(errorsOf(deps)).toEqual([]));
    const [refused] = await limited.waitFor(1);
    await eventually(async () => (await attemptRows(storage, (await deliveryRows(storage))[0]!.id)).length === 1, 2000, 'the 429 recorded');
    for (let i = 0; i < 5; i++) {
      await record(storage, owner, 'contact.created');
      await record(storage, owner, 'tag.created');
    }
    // The other target is untouched: all five arrive while the limited one is paused.
    await other.waitFor(5, 2000);
    expect(limited.received.length).toBe(1);

    // After the second the target asked for, the refused delivery (same webhook-id) and the five others arrive.
    const all = await limited.waitFor(7, 5000);
    const resumed = Math.min(...all.slice(1).map((r) => r.at));
    expect(resumed - refused!.at).toBeGreaterThanOrEqual(950);
    expect(all.map((r) => r.headers['webhook-id'])).toContain(first.eventId);
    expect(Math.max(...other.received.map((r) => r.at))).toBeLessThan(resumed);
  }, 15_000);
});
