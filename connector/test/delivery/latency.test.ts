import { forEachDatabase } from '../support/databases.js';
import { depsFor, record, seedAccount, startWorker, subscribe, testDeliverySettings } from '../support/delivery-fixtures.js';
import { startSink } from '../support/sink.js';

const RATE_PER_SECOND = 200;
const SECONDS = 3;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/**
 * Change → delivery latency at a steady 200 events/s, one event per transaction as the domain
 * code records them. The worker is woken by the outbox, so latency is a few database round
 * trips plus the HTTP post. The poll interval is set far above that (5 s): if wake-ups broke,
 * deliveries would wait for the poll and the bound below would fail.
 *
 * Measured here on a quiet machine: p99 about 7-15 ms (embedded) and 15-35 ms (PostgreSQL). In a full,
 * parallel test run the machine is busy and the numbers are several times higher, so the
 * default bound is loose; set DELIVERY_LATENCY_P99_MS=50 to hold a quiet machine to the target.
 */
const POLL_MS = 5000;
const P99_BOUND_MS = Number(process.env.DELIVERY_LATENCY_P99_MS ?? 1000);
forEachDatabase((database) => {
  it(`delivers at ${RATE_PER_SECOND} events/s with a low change-to-delivery latency`, async () => {
    const storage = await database.open();
    const receiver = await startSink();
    database.afterThisTest(() => receiver.close());
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings({ pollMs: POLL_MS, concurrency: 32 })));

    // Warm up first (JIT, the first connection to the sink, zod compiling its parsers): the
    // first ~40 events of a cold process wait up to ~100 ms; steady state is what is measured.
    const warmUp = 50;
    for (let i = 0; i < warmUp; i++) await record(storage, owner, 'tag.created');
    await receiver.waitFor(warmUp);
    receiver.received.length = 0;

    const recordedAt = new Map<string, number>();
    const total = RATE_PER_SECOND * SECONDS;
    const started = performance.now();
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const changeAt = performance.now();
      const payload = await record(storage, owner, 'tag.created');
      recordedAt.set(payload.eventId, changeAt);
    }
    await receiver.waitFor(total, 10_000);

    const latencies = receiver.received.map((r) => r.at - recordedAt.get(String(r.headers['webhook-id']))!).sort((a, b) => a - b);
    const summary = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1]! };
    const achievedRate = total / ((performance.now() - started) / 1000);
    console.log(
      `${database.kind}: ${total} events at ${achievedRate.toFixed(0)}/s, change→delivery ms p50 ${summary.p50.toFixed(1)}, p99 ${summary.p99.toFixed(1)}, max ${summary.max.toFixed(1)}`,
    );
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(total);
    expect(summary.p99).toBeLessThan(P99_BOUND_MS);
  }, 30_000);
});

forEachDatabase((database) => {
  it('delivers a lone event without waiting for the poll', async () => {
    const storage = await database.open();
    const receiver = await startSink();
    database.afterThisTest(() => receiver.close());
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings({ pollMs: POLL_MS })));
    await record(storage, owner, 'tag.created');
    await receiver.waitFor(1);

    const latencies: number[] = [];
    for (let i = 1; i <= 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const changeAt = performance.now();
      await record(storage, owner, 'tag.created');
      const [, ...rest] = await receiver.waitFor(i + 1);
      latencies.push(rest[rest.length - 1]!.at - changeAt);
    }
    console.log(`${database.kind}: lone events, change→delivery ms ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    expect(Math.max(...latencies)).toBeLessThan(P99_BOUND_MS);
  });
});
