import { eventSamples } from '../../../contract/index.js';
import { recordEvent } from '../../src/events/outbox.js';
import { FIRST_WORKSPACE_ID } from '../../src/workspace.js';
import { addAccount, call, subscribe } from './support/client.js';
import { createProcessDatabase, type ProcessDatabase } from './support/databases.js';
import { killLeftoverProcesses, spawnConnector, until, type ConnectorProcess } from './support/process.js';
import { closeAll } from '../support/teardown.js';
import { startFaultSink, type FaultSink } from './support/sink.js';
import { POSTGRES_MISSING } from '../support/databases.js';
import { allowedPerSecond, busiestSecond } from '../support/pace.js';

/**
 * "The same code runs on PostgreSQL with several connector instances sharing the work": two
 * and three real connector processes on one database deliver every event, each once; two keep
 * one target to its pace together; when one of three is killed mid-way, the others take over
 * what it had claimed once the claims expire.
 */

/** Webhook attempts this process made that delivered, from its /metrics. */
async function deliveredBy(connector: ConnectorProcess): Promise<number> {
  const text = (await call(connector.baseUrl, '/metrics')).text;
  return Number(/^connector_webhook_attempts_total\{outcome="delivered"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

/** What each process delivered, once all `events` are counted: each counts what it delivered once the attempt is recorded, just after the answer. */
const sharesOf = (connectors: ConnectorProcess[], events: number) =>
  until(
    async () => {
      const counted = await Promise.all(connectors.map(deliveredBy));
      return counted.reduce((a, b) => a + b, 0) === events && counted;
    },
    10_000,
    'every attempt being counted',
  );

/**
 * Records `count` tag.created events in one transaction, as the domain code does (each with
 * its deliveries), from outside the connector processes: none of them is woken for them, so
 * they all find them by polling the shared outbox, at once.
 */
async function recordTagEvents(database: ProcessDatabase, count: number): Promise<string[]> {
  const storage = await database.open();
  try {
    return await storage.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const payload = await recordEvent(trx, FIRST_WORKSPACE_ID, 'tag.created', (meta) => ({ ...eventSamples['tag.created'], ...meta, name: `Shared ${i}` }));
        ids.push(payload.eventId);
      }
      return ids;
    });
  } finally {
    await storage.close();
  }
}

describe('several connector processes on one PostgreSQL', () => {
  if (!process.env.TEST_DATABASE_URL) {
    it('has a PostgreSQL server to run on', () => {
      throw new Error(POSTGRES_MISSING);
    });
    return;
  }
  let database: ProcessDatabase;
  let sink: FaultSink;
  beforeEach(async () => {
    database = await createProcessDatabase('postgres');
  });
  afterEach(() => closeAll(killLeftoverProcesses, sink, () => database?.drop()));

  const startProcesses = async (count: number, env: Record<string, string> = {}) => {
    // Started one after another: the first creates the schema and the workspace.
    const connectors: ConnectorProcess[] = [];
    for (let i = 0; i < count; i++) connectors.push(await spawnConnector({ ...database.env, CONNECTOR_DELIVERY_CONCURRENCY: '8', ...env }));
    return connectors;
  };

  it.each([2, 3])(
    '%i processes deliver every event exactly once, sharing the outbox',
    async (count) => {
      const started = performance.now();
      sink = await startFaultSink(() => ({ status: 200, delayMs: 5 }));
      const connectors = await startProcesses(count);
      const account = await addAccount(connectors[0]!.baseUrl);
      // Subscribed through one process, known to all: the subscription lives in the database.
      await subscribe(connectors[count - 1]!.baseUrl, account, 'tag.created', sink.url);

      const events = 1000;
      const ready = performance.now();
      const ids = await recordTagEvents(database, events);
      await sink.waitForIds(ids, 30_000);
      const deliveredIn = Math.round(performance.now() - ready);

      const duplicates = [...sink.byId.values()].filter((hits) => hits.length > 1).length;
      expect(duplicates).toBe(0);
      expect(sink.hits).toHaveLength(events);
      const shares = await sharesOf(connectors, events);
      for (const share of shares) expect(share).toBeGreaterThan(0);
      console.info(
        `${count} processes: ${events} events delivered once each in ${deliveredIn} ms, shares ${shares.join(' / ')}, ${Math.round(performance.now() - started)} ms in all`,
      );
      for (const connector of connectors) expect(await connector.stop()).toBe(0);
    },
    120_000,
  );

  it("two processes share one target's pace: a burst arrives at 20 a second at most (+10% and one), each event once", async () => {
    sink = await startFaultSink(() => ({ status: 200 }));
    const connectors = await startProcesses(2, { CONNECTOR_DELIVERY_RATE_PER_TARGET: '20' });
    const account = await addAccount(connectors[0]!.baseUrl);
    await subscribe(connectors[0]!.baseUrl, account, 'tag.created', sink.url);

    const events = 60;
    const ids = await recordTagEvents(database, events);
    await sink.waitForIds(ids, 15_000);
    const times = sink.hits.map((hit) => hit.at);
    expect(busiestSecond(times)).toBeLessThanOrEqual(allowedPerSecond(20));
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan((59 / 20) * 1000 * 0.9);
    expect(sink.hits).toHaveLength(events);
    // Both sent some: the pace is the target's, not one process's.
    for (const share of await sharesOf(connectors, events)) expect(share).toBeGreaterThan(0);
    for (const connector of connectors) expect(await connector.stop()).toBe(0);
  }, 60_000);

  it('when one of three is killed mid-way, the other two finish its work once its claims expire', async () => {
    const started = performance.now();
    // 24 attempts in flight at 50 ms each: about two seconds of work for the three.
    sink = await startFaultSink(() => ({ status: 200, delayMs: 50 }));
    const connectors = await startProcesses(3);
    const account = await addAccount(connectors[0]!.baseUrl);
    await subscribe(connectors[0]!.baseUrl, account, 'tag.created', sink.url);

    const events = 1000;
    const ids = await recordTagEvents(database, events);

    await until(() => sink.byId.size >= events * 0.4, 30_000, '40 % of the events arriving');
    const victim = connectors[1]!;
    await victim.kill();
    const killedAt = performance.now();
    expect(sink.byId.size).toBeLessThan(events);

    // What it had claimed waits for its claims to expire (attempt timeout 1 s + 30 s), then the others send it.
    await sink.waitForIds(ids, 50_000);
    const duplicates = [...sink.byId.values()].reduce((sum, hits) => sum + hits.length - 1, 0);
    // Only what the killed process had in flight (at most its concurrency) can arrive twice.
    expect(duplicates).toBeLessThanOrEqual(8);
    const storage = await database.open();
    try {
      // What it had sent but not recorded goes out again after the claims expire: wait for those too.
      await until(
        async () => (await storage.db.selectFrom('deliveries').select('status').execute()).every((d) => d.status === 'delivered'),
        50_000,
        'every delivery recorded as delivered',
      );
    } finally {
      await storage.close();
    }
    console.info(
      `3 processes, one killed: ${events} events all delivered, ${duplicates} duplicates, the last ${Math.round((performance.now() - killedAt) / 1000)} s after the kill, ${Math.round(performance.now() - started)} ms in all`,
    );
    for (const connector of [connectors[0]!, connectors[2]!]) expect(await connector.stop()).toBe(0);
  }, 120_000);
});
