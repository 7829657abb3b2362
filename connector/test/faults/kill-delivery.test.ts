import { Webhook } from 'standardwebhooks';
import { addAccount, call, inParallel, subscribe } from './support/client.js';
import { forEachProcessDatabase } from './support/databases.js';
import { killLeftoverProcesses, spawnConnector, until, type ConnectorProcess } from './support/process.js';
import { closeAll } from '../support/teardown.js';
import { startFaultSink, type FaultSink } from './support/sink.js';

/**
 * "A crash at any moment loses no event": the real connector process is killed with SIGKILL
 * twice while it delivers thousands of events, and restarted each time. Every event reaches
 * the receiver; the only harm allowed is a duplicate, which carries the same webhook-id (and
 * the same body, correctly signed) as the first delivery.
 */
const EVENTS = 2000;
const CONCURRENCY = 16;

forEachProcessDatabase((database) => {
  let sink: FaultSink;
  afterEach(() => closeAll(killLeftoverProcesses, sink));

  it(`delivers all ${EVENTS} events across two kill -9 and restarts, duplicates only with the same webhook-id`, async () => {
    const started = performance.now();
    // Slow while the events are made (at most 16 / 0.4 s = 40 a second), so that most are still
    // to deliver when the kills come.
    let delayMs = 400;
    sink = await startFaultSink(() => ({ status: 200, delayMs }));
    const env = { ...database().env, CONNECTOR_DELIVERY_CONCURRENCY: String(CONCURRENCY) };
    let connector: ConnectorProcess = await spawnConnector(env);
    const account = await addAccount(connector.baseUrl);
    const subscription = await subscribe(connector.baseUrl, account, 'tag.created', sink.url);

    const created = await inParallel(EVENTS, 16, async (i) => {
      const reply = await call(connector.baseUrl, '/v1/tags', { method: 'POST', body: { name: `Tag ${i}`, colorCode: '#1E88E5' }, as: account });
      if (reply.status !== 201) throw new Error(`create ${i}: ${reply.status} ${reply.text}`);
      return reply.body.id as string;
    });
    expect(created.filter((r) => r instanceof Error)).toEqual([]);
    const deliveredBeforeKills = sink.byId.size;
    const createdIn = Math.round(performance.now() - started);
    expect(deliveredBeforeKills).toBeLessThan(EVENTS * 0.7);

    // The kills come a third and two thirds of the way through what was left to deliver.
    delayMs = 1;
    let kills = 0;
    const left = EVENTS - deliveredBeforeKills;
    for (const share of [1 / 3, 2 / 3]) {
      const at = Math.round(deliveredBeforeKills + left * share);
      await until(() => sink.byId.size >= at, 30_000, `${at} events arriving`);
      await connector.kill();
      kills++;
      expect(await connector.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(sink.byId.size).toBeLessThan(EVENTS); // the kill came while it was still delivering
      connector = await spawnConnector(env);
    }

    // Every event the database holds arrives, whatever the kills interrupted.
    const storage = await database().open();
    try {
      const events = await storage.db.selectFrom('events').select(['id', 'payload']).where('type', '=', 'tag.created').execute();
      expect(events).toHaveLength(EVENTS);
      await sink.waitForIds(
        events.map((e) => e.id),
        50_000,
      );
      const payloadOf = new Map(events.map((e) => [e.id, e.payload]));
      const webhook = new Webhook(subscription.secret);
      let duplicates = 0;
      for (const [id, hits] of sink.byId) {
        expect(payloadOf.has(id)).toBe(true);
        duplicates += hits.length - 1;
        for (const hit of hits) {
          expect(hit.body).toBe(payloadOf.get(id));
          expect(() => webhook.verify(hit.body, hit.headers as Record<string, string>)).not.toThrow();
        }
      }
      // Only what was in flight (or claimed) at a kill can arrive twice, besides an attempt that
      // timed out (1 s here) after the receiver had it: at-least-once sends that one again too,
      // and a busy machine makes the receiver's 400 ms answers late now and then.
      const timedOut = (await storage.db.selectFrom('delivery_attempts').select('id').where('error', 'like', 'timed out%').execute()).length;
      expect(duplicates).toBeLessThanOrEqual(kills * CONCURRENCY + timedOut);

      await until(
        async () => {
          const rows = await storage.db.selectFrom('deliveries').select('status').execute();
          return rows.length === EVENTS && rows.every((r) => r.status === 'delivered');
        },
        // On PostgreSQL what the killed processes had claimed waits for the claims to expire
        // (attempt timeout + 30 s); the embedded database releases them at start.
        database().kind === 'postgres' ? 45_000 : 10_000,
        'every delivery being recorded as delivered',
      );
      console.info(
        `${database().kind}: ${EVENTS} events made in ${createdIn} ms, ${deliveredBeforeKills} delivered before the first kill, ${kills} kills, ${duplicates} duplicates (${timedOut} attempts timed out), ${Math.round(performance.now() - started)} ms`,
      );
    } finally {
      await storage.close();
    }
    expect(await connector.stop()).toBe(0);
  }, 90_000);
});
