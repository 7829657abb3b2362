// The connector's benchmarks (issue 4), each against a baseline measured in the same run:
//
//   1. API: authenticated requests/s and latency of a read (Find Contact by email) and a write
//      (Create Contact) against the real connector, versus a bare Fastify handler answering
//      the same JSON.
//   2. Delivery: events/s from the outbox to a local sink, and the latency from the change to
//      the sink at a paced 200 events/s, versus a plain HTTP POST loop to the same sink.
//   2b. Pacing and fairness: one target's backlog drained at its pace (30/s) while another
//      target's events at 200/s keep their latency, against an idle run; on PostgreSQL with
//      one and two connector processes.
//   4. Scale-out (PostgreSQL): the drain with one and two connector processes, and the CPU
//      PostgreSQL itself used.
//   3. Growth: delivery with 1, 10 and 100 subscriptions per event; API latency with 10^4,
//      10^5 and 10^6 stored contacts.
//
// Usage: npm run bench [-- --quick] [--no-postgres] [--no-embedded] [--only api,delivery,pacing,scale,growth]   (bench/connector/run.ts)
// The embedded database always; PostgreSQL when TEST_DATABASE_URL names a server (npm run bench
// starts a throwaway one through scripts/with-postgres.sh).
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { BareFastifyCommands } from './bare-fastify-process.js';
import type { ConnectorCommands } from './connector-process.js';
import type { PostLoopCommands } from './post-loop-process.js';
import { benchContact } from './lib/contacts.js';
import { warmThenLoad, type LoadResult } from './lib/load.js';
import { startHelper, type Helper } from './lib/rpc.js';
import { startSink, type Sink } from './lib/sink.js';
import { createPostgresDatabase } from '../../connector/test/support/postgres-database.js';
import { busiestSecond } from '../../connector/test/support/pace.js';
import { postgresCpuMicros } from './lib/postgres-cpu.js';
import { fmt, ms, ratio, summarise, table } from './lib/stats.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
    'no-embedded': { type: 'boolean', default: false },
    /** Only these sections: api, delivery, pacing, scale (PostgreSQL), growth (comma-separated). */
    only: { type: 'string', default: 'api,delivery,pacing,scale,growth' },
  },
});
const sections = new Set(flags.only.split(',').map((s) => s.trim()));

const quick = flags.quick;
const config = {
  /** Measured seconds per API run, after a warm-up run of `warmupSeconds`. */
  apiSeconds: quick ? 3 : 10,
  warmupSeconds: quick ? 1 : 3,
  /** Connections of the throughput runs (section 1); the growth runs use one (unloaded latency). */
  connections: 10,
  contactLevels: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000],
  /** PostgreSQL's growth runs stop here (its bulk load is slower; the embedded database goes to the end). */
  postgresContactLevels: quick ? [10_000] : [10_000, 100_000],
  drainEvents: quick ? 3_000 : 10_000,
  /** Target A's backlog in the pacing run (drained at 30/s, it outlasts the run). */
  pacingBacklog: quick ? 2_000 : 10_000,
  pacedPerSecond: 200,
  pacedSeconds: quick ? 5 : 15,
  fanOut: [1, 10, 100],
  fanOutDeliveries: quick ? 3_000 : 10_000,
};

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const connectorEnv = { CONNECTOR_RATE_LIMIT_MAX: '1000000', CONNECTOR_LOG_LEVEL: 'warn' };

type Connector = Helper<ConnectorCommands>;
interface Started {
  connector: Connector;
  baseUrl: string;
  auth: Record<string, string>;
  kind: 'sqlite' | 'postgres';
  deliveryConcurrency: number;
}

const print = (text: string) => console.log(text);
const note = (text: string) => console.log(`  ... ${text}`);
const dbName = (kind: string) => (kind === 'sqlite' ? 'embedded' : 'PostgreSQL');

async function startConnector(databaseUrl?: string): Promise<Started> {
  const connector = startHelper<ConnectorCommands>(here('./connector-process.ts'));
  const info = await connector.call('start', { databaseUrl, env: connectorEnv });
  return {
    connector,
    baseUrl: `http://127.0.0.1:${info.port}`,
    auth: { 'x-app-id': info.appId, authorization: `Bearer ${info.appToken}` },
    kind: info.kind,
    deliveryConcurrency: info.deliveryConcurrency,
  };
}

// ---------------------------------------------------------------- 1 and 3: the API

const findPath = (total: number) => () => `/v1/contacts?email=${encodeURIComponent(benchContact(Math.floor(Math.random() * total)).email)}`;
const createBody = (run: string) => (n: number) =>
  JSON.stringify({
    first_name: 'Api',
    last_name: `Writer ${n}`,
    email_type: 'work',
    email_address: `api.${run}.${n}@write.bench.example`,
    phone_type: 'mobile',
    phone_number: `+8526${String(n % 10_000_000).padStart(7, '0')}`,
    company: 'Bench Ltd',
  });

/** Checks the loaded data answers as expected before timing anything. */
async function checkFind(s: Started, total: number): Promise<unknown> {
  const n = total - 1;
  const response = await fetch(`${s.baseUrl}/v1/contacts?email=${encodeURIComponent(benchContact(n).email)}`, { headers: s.auth });
  const body = (await response.json()) as { data?: { email: string }[] };
  if (response.status !== 200 || body.data?.length !== 1 || body.data[0]?.email !== benchContact(n).email) {
    throw new Error(`Find Contact did not find bulk contact ${n}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  return body;
}

function mustSucceed(what: string, result: LoadResult): LoadResult {
  if (result.failed > 0) throw new Error(`${what}: ${result.failed} requests failed (non-2xx, errors or timeouts); the numbers would mean nothing`);
  return result;
}

async function apiThroughput(s: Started, total: number): Promise<void> {
  note(`API throughput on the ${dbName(s.kind)} database (${fmt(total)} contacts), ${config.connections} connections, ${config.apiSeconds} s per run`);
  const findBody = await checkFind(s, total);
  const sampleCreate = await fetch(`${s.baseUrl}/v1/contacts`, {
    method: 'POST',
    headers: { ...s.auth, 'content-type': 'application/json' },
    body: createBody('sample')(0),
  });
  if (sampleCreate.status !== 201) throw new Error(`Create Contact answered ${sampleCreate.status}`);
  const created = await sampleCreate.json();

  const bare = startHelper<BareFastifyCommands>(here('./bare-fastify-process.ts'));
  const { port } = await bare.call('start', { findBody, createBody: created });
  const bareUrl = `http://127.0.0.1:${port}`;
  const run = (url: string, method: 'GET' | 'POST', headers: Record<string, string>, tag: string) =>
    warmThenLoad(
      {
        url,
        method,
        headers,
        connections: config.connections,
        seconds: config.apiSeconds,
        path: method === 'GET' ? findPath(total) : () => '/v1/contacts',
        ...(method === 'POST' ? { body: createBody(tag) } : {}),
      },
      config.warmupSeconds,
    );

  const since = new Date().toISOString();
  const results = {
    bareRead: mustSucceed('bare Fastify GET', await run(bareUrl, 'GET', {}, 'x')),
    read: mustSucceed('connector GET /v1/contacts', await run(s.baseUrl, 'GET', s.auth, 'x')),
    bareWrite: mustSucceed('bare Fastify POST', await run(bareUrl, 'POST', {}, randomBytes(3).toString('hex'))),
    write: mustSucceed('connector POST /v1/contacts', await run(s.baseUrl, 'POST', s.auth, randomBytes(3).toString('hex'))),
  };
  await bare.stop();
  await s.connector.call('forgetSince', { since });

  const row = (what: string, r: LoadResult, base?: LoadResult) => [
    what,
    fmt(r.perSecond),
    ms(r.p50),
    ms(r.p99),
    base ? ratio(r.perSecond / base.perSecond) : 'baseline',
  ];
  print(
    `\n## 1. API on the ${dbName(s.kind)} database (${fmt(total)} contacts; ${config.connections} connections, pipelining 1, ${config.apiSeconds} s after ${config.warmupSeconds} s warm-up)\n\n` +
      table(
        ['request', 'req/s', 'p50', 'p99', 'vs bare Fastify'],
        [
          row('bare Fastify: GET /v1/contacts (same JSON)', results.bareRead),
          row('connector: GET /v1/contacts?email=', results.read, results.bareRead),
          row('bare Fastify: POST /v1/contacts (same JSON)', results.bareWrite),
          row('connector: POST /v1/contacts', results.write, results.bareWrite),
        ],
      ),
  );
}

async function apiGrowth(s: Started, levels: number[]): Promise<void> {
  const rows: string[][] = [];
  let first: { read: LoadResult; write: LoadResult } | undefined;
  for (const total of levels) {
    const load = await s.connector.call('loadContacts', { total });
    if (load.loaded > 0)
      note(
        `loaded ${fmt(load.loaded)} contacts into the ${dbName(s.kind)} database in ${fmt(load.seconds, 1)} s (${fmt(load.loaded / load.seconds)} contacts/s)`,
      );
    await checkFind(s, total);
    const since = new Date().toISOString();
    const run = (method: 'GET' | 'POST') =>
      warmThenLoad(
        {
          url: s.baseUrl,
          method,
          headers: s.auth,
          connections: 1,
          seconds: config.apiSeconds,
          path: method === 'GET' ? findPath(total) : () => '/v1/contacts',
          ...(method === 'POST' ? { body: createBody(randomBytes(3).toString('hex')) } : {}),
        },
        config.warmupSeconds,
      );
    const read = mustSucceed(`find at ${total}`, await run('GET'));
    const write = mustSucceed(`create at ${total}`, await run('POST'));
    await s.connector.call('forgetSince', { since });
    first ??= { read, write };
    rows.push([
      fmt(total),
      ms(read.p50),
      ms(read.p99),
      fmt(read.perSecond),
      ms(write.p50),
      ms(write.p99),
      fmt(write.perSecond),
      `${(read.p50 / first.read.p50).toFixed(2)}x / ${(write.p50 / first.write.p50).toFixed(2)}x`,
    ]);
    note(`${fmt(total)} contacts: find p50 ${ms(read.p50)}, create p50 ${ms(write.p50)}`);
  }
  print(
    `\n## 3b. API latency by stored contacts, ${dbName(s.kind)} database (1 connection, ${config.apiSeconds} s per run)\n\n` +
      table(['contacts', 'find p50', 'find p99', 'find req/s', 'create p50', 'create p99', 'create req/s', 'p50 vs first (find / create)'], rows),
  );
}

// ---------------------------------------------------------------- 2 and 3: delivery

const drainTimeout = (count: number) => 60_000 + count * 10; // at least 100 a second, or it is broken
/** Throughput runs send to one target as fast as they can: the per-target pace (30/s by default) is lifted for them. */
const UNPACED = { ratePerTarget: 1_000_000 };

/** Records `count` events with the worker stopped, then starts it and times the sink receiving all `deliveries`. */
async function drain(s: Started, sink: Sink, count: number, deliveries: number) {
  await s.connector.call('clearOutbox');
  const recorded = await s.connector.call('produce', { count, concurrency: s.kind === 'postgres' ? 8 : 1 });
  const received = sink.expect(deliveries, drainTimeout(deliveries));
  const cpuBefore = await s.connector.call('cpu');
  const started = Date.now();
  await s.connector.call('startWorker', UNPACED);
  const got = await received;
  const cpuMicros = (await s.connector.call('cpu')) - cpuBefore;
  await s.connector.call('stopWorker');
  const counts = await s.connector.call('deliveryCounts');
  if (counts.delivered !== deliveries) throw new Error(`expected ${deliveries} delivered, the database says ${JSON.stringify(counts)}`);
  const seconds = (got.lastAt - started) / 1000;
  return {
    recordedPerSecond: count / recorded.seconds,
    deliveriesPerSecond: deliveries / seconds,
    eventsPerSecond: count / seconds,
    paths: got.paths.size,
    cpuPerDelivery: cpuMicros / deliveries,
  };
}

async function paced(s: Started, sink: Sink, count: number) {
  await s.connector.call('clearOutbox');
  await s.connector.call('startWorker', UNPACED);
  const received = sink.expect(count, drainTimeout(count));
  await s.connector.call('produce', { count, perSecond: config.pacedPerSecond });
  const got = await received;
  await s.connector.call('stopWorker');
  return summarise(got.latencies);
}

async function baselineLoop(loop: Helper<PostLoopCommands>, sink: Sink, payload: string, count: number, concurrency: number, perSecond?: number) {
  const received = sink.expect(count, drainTimeout(count));
  const started = Date.now();
  const sent = await loop.call('run', { urls: [`${sink.url}/s0`], payload, count, concurrency, perSecond });
  if (sent.failures > 0) throw new Error(`the POST loop saw ${sent.failures} failures`);
  const got = await received;
  return { perSecond: count / ((got.lastAt - started) / 1000), latency: summarise(got.latencies), cpuPerRequest: sent.cpuMicros / count };
}

async function deliveryBench(s: Started, sink: Sink): Promise<void> {
  const name = dbName(s.kind);
  note(`delivery on the ${name} database: ${fmt(config.drainEvents)} events drained, then ${config.pacedPerSecond}/s for ${config.pacedSeconds} s`);
  await s.connector.call('subscribe', { count: 1, targetBase: sink.url });
  const payload = await s.connector.call('samplePayload');
  const concurrency = s.deliveryConcurrency;
  const pacedCount = config.pacedPerSecond * config.pacedSeconds;

  const loop = startHelper<PostLoopCommands>(here('./post-loop-process.ts'));
  await baselineLoop(loop, sink, payload, 1000, concurrency); // warm-up
  const baseFlood = await baselineLoop(loop, sink, payload, config.drainEvents, concurrency);
  const basePaced = await baselineLoop(loop, sink, payload, pacedCount, concurrency, config.pacedPerSecond);
  await loop.stop();

  await drain(s, sink, 1000, 1000); // warm-up
  const flood = await drain(s, sink, config.drainEvents, config.drainEvents);
  const latency = await paced(s, sink, pacedCount);

  print(
    `\n## 2. Delivery on the ${name} database (1 subscription, ${concurrency} deliveries in flight; the sink is a plain node:http server answering 200)\n\n` +
      table(
        ['run', 'events/s', 'vs POST loop', `p50 at ${config.pacedPerSecond}/s`, `p99 at ${config.pacedPerSecond}/s`],
        [
          ['plain HTTP POST loop, same sink and concurrency', fmt(baseFlood.perSecond), 'baseline', ms(basePaced.latency.p50), ms(basePaced.latency.p99)],
          [
            `connector: outbox -> worker -> sink (${fmt(config.drainEvents)} events)`,
            fmt(flood.eventsPerSecond),
            ratio(flood.eventsPerSecond / baseFlood.perSecond),
            ms(latency.p50),
            ms(latency.p99),
          ],
        ],
      ) +
      `\n\nThe worker drained events recorded beforehand (Create Contact, one transaction each: ${fmt(flood.recordedPerSecond)}/s), using ${fmt(flood.cpuPerDelivery)} µs of the connector's CPU per delivery ` +
      `(the POST loop: ${fmt(baseFlood.cpuPerRequest)} µs per request, so ${(flood.cpuPerDelivery / baseFlood.cpuPerRequest).toFixed(2)}x). ` +
      `Latency: from the event's occurredAt (the change) to the sink's receipt, events made at ${config.pacedPerSecond}/s while the worker runs; max ${ms(latency.max)} (POST loop ${ms(basePaced.latency.max)}).`,
  );

  const rows: string[][] = [];
  let one = 0;
  for (const subscriptions of config.fanOut) {
    await s.connector.call('subscribe', { count: subscriptions, targetBase: sink.url });
    const events = Math.ceil(config.fanOutDeliveries / subscriptions);
    const result = await drain(s, sink, events, events * subscriptions);
    if (result.paths !== subscriptions) throw new Error(`expected deliveries to ${subscriptions} paths, the sink saw ${result.paths}`);
    one ||= result.deliveriesPerSecond;
    rows.push([
      String(subscriptions),
      fmt(events),
      fmt(result.recordedPerSecond),
      fmt(result.eventsPerSecond),
      fmt(result.deliveriesPerSecond),
      ratio(result.deliveriesPerSecond / one),
      fmt(result.cpuPerDelivery),
    ]);
    note(`${subscriptions} subscriptions: ${fmt(result.deliveriesPerSecond)} deliveries/s`);
  }
  // Later runs measure the API alone: no subscription, nothing left in the outbox.
  await s.connector.call('subscribe', { count: 0, targetBase: sink.url });
  await s.connector.call('clearOutbox');
  print(
    `\n## 3a. Fan-out on the ${name} database (each subscription its own sink path; ~${fmt(config.fanOutDeliveries)} deliveries per run)\n\n` +
      table(['subscriptions per event', 'events', 'events recorded/s', 'events delivered/s', 'deliveries/s', 'deliveries/s vs 1', 'CPU µs/delivery'], rows),
  );
}

// ---------------------------------------------------------------- 2b and 4: pacing, fairness, scale-out

/** Extra connector processes on the same database (their workers share the queue with the first's). */
async function moreConnectors(count: number, databaseUrl: string | undefined): Promise<Connector[]> {
  const started: Connector[] = [];
  for (let i = 0; i < count; i++) {
    const helper = startHelper<ConnectorCommands>(here('./connector-process.ts'));
    await helper.call('start', { databaseUrl, env: connectorEnv });
    started.push(helper);
  }
  return started;
}

/**
 * Target A has a backlog, drained at its pace (the default, 30/s); target B gets events at
 * 200/s meanwhile. B's latency is compared with an idle run (no backlog) in the same run.
 */
async function pacingBench(s: Started, sink: Sink, databaseUrl: string | undefined, processes: number) {
  const backlog = config.pacingBacklog;
  // The other Zaps: 10 targets, each under its pace, 200 deliveries a second together.
  const others = 10;
  const bEvents = (config.pacedPerSecond / others) * config.pacedSeconds;
  const bCount = bEvents * others;
  await s.connector.call('subscribe', { count: 1, targetBase: sink.url, event: 'contact.created', path: 'a' });
  for (let k = 0; k < others; k++) await s.connector.call('subscribe', { count: 1, targetBase: sink.url, event: 'tag.created', path: `b${k}`, keep: true });
  const extra = await moreConnectors(processes - 1, databaseUrl);
  const workers = [s.connector, ...extra];
  try {
    const runB = async () => {
      const received = sink.expect(bCount, drainTimeout(bCount), '/b');
      await s.connector.call('produce', { count: bEvents, perSecond: config.pacedPerSecond / others, kind: 'tag' });
      return received;
    };
    // Idle: B alone.
    await s.connector.call('clearOutbox');
    for (const w of workers) await w.call('startWorker');
    const idle = await runB();
    for (const w of workers) await w.call('stopWorker');

    // Busy: A's backlog queued first, draining at its pace while B runs.
    await s.connector.call('clearOutbox');
    await s.connector.call('produce', { count: backlog, concurrency: s.kind === 'postgres' ? 8 : 1 });
    for (const w of workers) await w.call('startWorker');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = await runB();
    for (const w of workers) await w.call('stopWorker');
    const aTimes = busy.arrivals.get('/a') ?? [];
    const aWindow = aTimes.filter((t) => t >= busy.firstAt && t <= busy.lastAt);
    return {
      idle: summarise(idle.latencies),
      busy: summarise(busy.latencies),
      aPerSecond: aWindow.length / ((busy.lastAt - busy.firstAt) / 1000),
      aBusiest: busiestSecond(aTimes),
    };
  } finally {
    for (const helper of extra) await helper.stop();
    await s.connector.call('clearOutbox');
  }
}

async function pacingSection(s: Started, sink: Sink, databaseUrl: string | undefined): Promise<void> {
  const name = dbName(s.kind);
  const runs = s.kind === 'postgres' ? [1, 2] : [1];
  const rows: string[][] = [];
  for (const processes of runs) {
    note(
      `pacing on the ${name} database, ${processes} process(es): ${fmt(config.pacingBacklog)} events queued for target A, target B at ${config.pacedPerSecond}/s`,
    );
    const r = await pacingBench(s, sink, databaseUrl, processes);
    rows.push([
      String(processes),
      `${ms(r.idle.p50)} / ${ms(r.idle.p99)}`,
      `${ms(r.busy.p50)} / ${ms(r.busy.p99)}`,
      `${(r.busy.p99 / r.idle.p99).toFixed(2)}x`,
      fmt(r.aPerSecond, 1),
      String(r.aBusiest),
    ]);
  }
  print(
    `\n## 2b. Pacing and fairness on the ${name} database (pace 30/s per target, the default; ${fmt(config.pacingBacklog)} events queued for target A, then ${config.pacedPerSecond} deliveries/s for ${config.pacedSeconds} s to 10 other targets, B)\n\n` +
      table(['processes', 'B p50 / p99, A idle', 'B p50 / p99, A draining', 'B p99 vs idle', 'A delivered/s meanwhile', 'A busiest second'], rows) +
      `\n\nB's latency is from the change to the sink's receipt (each tag event goes to the 10 targets, 20/s each, under their pace). A's waiting deliveries hold no worker slot; its busiest second is counted at the sink over the whole run (the pace allows 30; the stated tolerance is 10% and one, 34).`,
  );
}

/** PostgreSQL: the same drain with one and with two connector processes, and what PostgreSQL itself used. */
async function scaleOutSection(s: Started, sink: Sink, databaseUrl: string): Promise<void> {
  await s.connector.call('subscribe', { count: 1, targetBase: sink.url });
  const count = config.drainEvents;
  const rows: string[][] = [];
  let one = 0;
  for (const processes of [1, 2]) {
    note(`scale-out on PostgreSQL: ${fmt(count)} events drained by ${processes} process(es)`);
    const others = await moreConnectors(processes - 1, databaseUrl);
    const workers = [s.connector, ...others];
    try {
      await s.connector.call('clearOutbox');
      await s.connector.call('produce', { count, concurrency: 8 });
      const received = sink.expect(count, drainTimeout(count));
      const cpuBefore = await Promise.all(workers.map((w) => w.call('cpu')));
      const pgBefore = postgresCpuMicros();
      const started = Date.now();
      for (const w of workers) await w.call('startWorker', UNPACED);
      const got = await received;
      const pgMicros = pgBefore === null ? null : postgresCpuMicros()! - pgBefore;
      const cpuAfter = await Promise.all(workers.map((w) => w.call('cpu')));
      for (const w of workers) await w.call('stopWorker');
      const connectorMicros = cpuAfter.reduce((sum, t, i) => sum + t - cpuBefore[i]!, 0);
      const perSecond = count / ((got.lastAt - started) / 1000);
      one ||= perSecond;
      rows.push([
        String(processes),
        fmt(perSecond),
        ratio(perSecond / one),
        fmt(connectorMicros / count),
        pgMicros === null ? 'n/a' : fmt(pgMicros / count),
        pgMicros === null ? 'n/a' : `${((100 * pgMicros) / (pgMicros + connectorMicros)).toFixed(0)}%`,
      ]);
    } finally {
      for (const other of others) await other.stop();
    }
  }
  await s.connector.call('subscribe', { count: 0, targetBase: sink.url });
  await s.connector.call('clearOutbox');
  print(
    `\n## 4. Scale-out on PostgreSQL (${fmt(count)} events, 1 subscription, pace lifted; each process ${s.deliveryConcurrency} in flight)\n\n` +
      table(
        ['connector processes', 'events/s', 'vs 1 process', 'connector CPU µs/delivery', 'PostgreSQL CPU µs/delivery', "PostgreSQL's share of the CPU"],
        rows,
      ) +
      `\n\nThis machine has ${cpus().length} cores shared by the sink, the connector processes and PostgreSQL: a second process helps only while a core is idle.`,
  );
}

// ---------------------------------------------------------------- the run

async function benchOn(sink: Sink, levels: number[], databaseUrl?: string): Promise<void> {
  const s = await startConnector(databaseUrl);
  try {
    if (sections.has('api')) {
      await s.connector.call('loadContacts', { total: levels[0]! });
      await apiThroughput(s, levels[0]!);
    }
    if (sections.has('delivery')) await deliveryBench(s, sink);
    if (sections.has('pacing')) await pacingSection(s, sink, databaseUrl);
    if (sections.has('scale') && databaseUrl) await scaleOutSection(s, sink, databaseUrl);
    if (sections.has('growth')) await apiGrowth(s, levels);
  } finally {
    await s.connector.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const cpu = cpus();
  print(
    `# Connector benchmarks${quick ? ' (--quick)' : ''}\n\n` +
      `${new Date().toISOString().slice(0, 10)}; Node ${process.version}; ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}); ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
      `load generator, sink and each server in separate processes; connector log level warn, rate limit raised to 1,000,000 per minute`,
  );
  const busy = loadavg()[0]!;
  print(`Load average at start: ${busy.toFixed(2)}${busy > cpu.length * 0.5 ? ' (the machine is busy with other work: expect lower, noisier numbers)' : ''}`);
  const sink = await startSink();
  try {
    if (!flags['no-embedded']) await benchOn(sink, config.contactLevels);
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (flags['no-postgres']) print('\n(PostgreSQL skipped: --no-postgres)');
    else if (!adminUrl) print('\n(PostgreSQL skipped: TEST_DATABASE_URL is not set; `npm run bench` starts one)');
    else {
      const database = await createPostgresDatabase(adminUrl, 'connector_bench');
      try {
        await benchOn(sink, config.postgresContactLevels, database.url);
      } finally {
        await database.drop();
      }
    }
  } finally {
    await sink.close();
  }
  print(`\nDone in ${fmt((Date.now() - started) / 1000, 0)} s; load average at the end: ${loadavg()[0]!.toFixed(2)}.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
