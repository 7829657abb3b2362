import { createServer, type Socket } from 'node:net';
import { ApiError } from '../../../contract/index.js';
import { openStorage } from '../../src/storage/db.js';
import { addAccount, call, inParallel, subscribe, type Credentials, type Reply } from './support/client.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { killLeftoverProcesses, spawnConnector, until, type ConnectorProcess } from './support/process.js';
import { closeAll } from '../support/teardown.js';
import { startFaultSink, type FaultSink } from './support/sink.js';

/**
 * The database goes away for a while (its own PostgreSQL cluster, stopped with pg_ctl and
 * started again) under a running connector process. Meanwhile every request gets a prompt 503
 * with the JSON error body (never a hang, never a 500 or a stack trace) and the process stays
 * up; afterwards it recovers by itself (/health 503 → 200, writes work), and nothing written
 * before the outage is lost: every event is still delivered.
 */
describe('the database unavailable for a while', () => {
  let cluster: Cluster | undefined;
  let sink: FaultSink | undefined;
  let blackHole: { close(): Promise<void> } | undefined;
  afterEach(() => closeAll(killLeftoverProcesses, sink, blackHole, () => cluster?.destroy()));

  it.each(['fast', 'immediate', 'unresponsive'] as const)(
    '%s: prompt 503s while it is down, recovery without a restart, nothing lost',
    async (mode) => {
      const started = performance.now();
      cluster = await startCluster();
      // Slow enough (4 in flight, 200 ms each: 20 a second) that deliveries are still waiting when the database goes.
      sink = await startFaultSink(() => ({ status: 200, delayMs: 200 }));
      const connector: ConnectorProcess = await spawnConnector({ DATABASE_URL: cluster.url, CONNECTOR_DB_POOL_SIZE: '4', CONNECTOR_DELIVERY_CONCURRENCY: '4' });
      const account = await addAccount(connector.baseUrl);
      await subscribe(connector.baseUrl, account, 'tag.created', sink.url);
      const before = await createTags(connector, account, 'Before', 150);
      const deliveredBefore = sink.byId.size;
      expect(deliveredBefore).toBeLessThan(150);

      // fast: pg_ctl stop -m fast (sessions ended, clean shutdown); immediate: -m immediate (a
      // crash); unresponsive: stopped, and something takes its port that accepts connections but
      // never answers (a hung server, a network that drops packets).
      await cluster.stop(mode === 'immediate' ? 'immediate' : 'fast');
      blackHole = mode === 'unresponsive' ? await silentListener(cluster.port) : undefined;
      const downAt = performance.now();
      const answers: Array<{ what: string; reply: Reply; ms: number }> = [];
      // For three seconds (and at least once), everything a client or an operator might call, all at once.
      do {
        await Promise.all(
          requestsDuringOutage(account).map(async ([what, path, options]) => {
            const t = performance.now();
            const reply = await call(connector.baseUrl, path, { ...options, timeoutMs: 15_000 });
            answers.push({ what, reply, ms: performance.now() - t });
          }),
        );
      } while (performance.now() - downAt < 3000);
      expect(connector.running()).toBe(true);
      for (const { what, reply, ms } of answers) {
        const context = `${what}: ${reply.status} ${reply.text.slice(0, 200)}`;
        expect({ context, status: reply.status }).toEqual({ context, status: 503 });
        expect(ms).toBeLessThan(10_000);
        expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
        expect(reply.text).not.toMatch(/ at |\.ts:|\.js:|stack/i);
        if (what === 'health') {
          expect(reply.body).toEqual({ status: 'unavailable', database: { kind: 'postgres', reachable: false } });
        } else {
          expect(ApiError.parse(reply.body).error).toMatchObject({
            code: 'unavailable',
            message: 'The connector cannot reach its database right now; try again in a moment.',
          });
          expect(reply.headers.get('retry-after')).toBe('5');
        }
      }

      await blackHole?.close();
      blackHole = undefined;
      await cluster.start();
      const upAt = performance.now();
      await until(async () => (await call(connector.baseUrl, '/health').catch(() => undefined))?.status === 200, 20_000, '/health answering 200 again');
      const recoveredIn = Math.round(performance.now() - upAt);
      expect(connector.running()).toBe(true);
      const after = await createTags(connector, account, 'After', 10);

      // Nothing lost: every tag acknowledged before and after is there, and every event arrives.
      const storage = await openStorage({ databaseUrl: cluster.url, sqlitePath: '', poolSize: 2 });
      try {
        const tags = new Set((await storage.db.selectFrom('tags').select('id').execute()).map((t) => t.id));
        for (const id of [...before, ...after]) expect(tags.has(id)).toBe(true);
        const events = await storage.db.selectFrom('events').select('id').where('type', '=', 'tag.created').execute();
        expect(events).toHaveLength(160);
        await sink.waitForIds(
          events.map((e) => e.id),
          50_000,
        );
      } finally {
        await storage.close();
      }
      console.info(
        `-m ${mode}: ${deliveredBefore} of 150 events delivered before the outage; ${answers.length} requests during the outage, all 503 in at most ${Math.round(Math.max(...answers.map((a) => a.ms)))} ms; healthy ${recoveredIn} ms after the restart; ${sink.byId.size} events delivered; ${Math.round(performance.now() - started)} ms in all`,
      );
      expect(await connector.stop()).toBe(0);
    },
    90_000,
  );
});

async function createTags(connector: ConnectorProcess, as: Credentials, prefix: string, count: number): Promise<string[]> {
  const ids = await inParallel(count, 8, async (i) => {
    const reply = await call(connector.baseUrl, '/v1/tags', { method: 'POST', body: { name: `${prefix} ${i}`, colorCode: '#1E88E5' }, as });
    if (reply.status !== 201) throw new Error(`creating a tag: ${reply.status} ${reply.text}`);
    return reply.body.id as string;
  });
  for (const id of ids) if (id instanceof Error) throw id;
  return ids as string[];
}

/** A TCP listener that accepts connections and never says a word. */
async function silentListener(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  let open = true;
  return {
    close: () =>
      new Promise<void>((done) => {
        if (!open) return done();
        open = false;
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

function requestsDuringOutage(account: Credentials): Array<[string, string, Parameters<typeof call>[2]]> {
  return [
    ['health', '/health', {}],
    ['me', '/v1/me', { as: account }],
    ['list tags', '/v1/tags', { as: account }],
    ['create tag', '/v1/tags', { as: account, method: 'POST', body: { name: 'During the outage', colorCode: '#000000' } }],
    ['create contact', '/v1/contacts', { as: account, method: 'POST', body: { first_name: 'Outage', last_name: 'Contact' } }],
    ['subscribe', '/v1/hooks', { as: account, method: 'POST', body: { event: 'contact.created', targetUrl: 'http://127.0.0.1:9/hook' } }],
    ['admin list accounts', '/admin/api/zapier-accounts', { as: 'admin' }],
    ['admin add account', '/admin/api/zapier-accounts', { as: 'admin', method: 'POST', body: { name: 'During the outage' } }],
    ['admin delivery log', '/admin/api/deliveries', { as: 'admin' }],
  ];
}
