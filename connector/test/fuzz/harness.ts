import { createHash } from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import pino from 'pino';
import { ApiError } from '../../../contract/index.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { Storage } from '../../src/storage/db.js';
import { startConnector, TEST_ADMIN_TOKEN, type ConnectorDatabase, type TestConnector } from '../support/connector.js';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll, closeOnFailure } from '../support/teardown.js';
import { validTrigger, type Caller, type Fixtures, type FuzzCase } from './generator.js';

/**
 * Runs the generator's requests against a real connector (HTTP on 127.0.0.1, a fresh seeded
 * database) and judges each answer: a 4xx, JSON in the contract's error shape, naming the field
 * where there is one, and not a single row of any table changed; the route probes' answers by
 * what each expects (never a 5xx, errors as JSON sentences, no stack trace). Every log line the
 * connector writes is kept, and none may show an export URL's secret, however it was spelled.
 */

/** Tables whose rows change on every call by design: the rate-limit and failed-authentication counters (named rate_limits from migration 006). */
const BOOKKEEPING = new Set(['rate_limit_windows', 'rate_limits']);

export interface FuzzTarget {
  connector: TestConnector;
  fixtures: Fixtures;
  /** The local server the export check's cases fetch: it answers every request with a redirect to the case's `redirectTo`. */
  redirector: Sink;
  /** The connector's log lines written since the last call. */
  takeLogLines(): string[];
  send(c: FuzzCase): Promise<Answer>;
  /** A digest of every row of every table (but bookkeeping), with the row counts. */
  state(): Promise<State>;
  /**
   * A cheaper stand-in for state() for long runs: on the embedded database, SQLite's count of
   * rows changed on the connector's connection (every write shows); on PostgreSQL, state().
   */
  quickState(): Promise<State>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

export interface State {
  digest: string;
  counts: Record<string, number>;
}

export interface Finding {
  kind:
    | 'server error'
    | 'not a 4xx'
    | 'not a JSON error'
    | 'field not named'
    | 'wrote data'
    | 'no answer'
    | 'stack trace'
    | 'check not failed'
    | 'secret in log';
  detail: string;
}

export async function startFuzzTarget(options: { database?: ConnectorDatabase } = {}): Promise<FuzzTarget> {
  // Redirects to the case's location. It is the connector's Base URL, the one origin the check
  // fetches although it is private: so each redirect is followed (or refused) from here.
  let location = '/';
  const redirector = await startSink(() => ({ status: 302, headers: { location } }));
  const connector = await closeOnFailure(redirector, () =>
    startConnector(
      // No limits: the wrong credentials the probes send on purpose would otherwise turn every later answer into a 429.
      {
        CONNECTOR_RATE_LIMIT_MAX: '1000000',
        CONNECTOR_AUTH_FAILURE_LIMIT: '1000000',
        CONNECTOR_LOG_LEVEL: 'silent',
        CONNECTOR_PUBLIC_BASE_URL: new URL(redirector.url).origin,
      },
      { seed: true, database: options.database, resolveHost: async () => [{ address: '93.184.216.34', family: 4 }] },
    ),
  );
  const close = () => closeAll(connector, redirector);
  const logLines = captureLogs(connector);
  const { fixtures, tables } = await closeOnFailure(close, async () => ({
    fixtures: await makeFixtures(connector),
    tables: await tableNames(connector.deps.storage),
  }));
  logLines.splice(0);

  const send = async (c: FuzzCase): Promise<Answer> => {
    if (c.redirectTo !== undefined) location = c.redirectTo;
    return request(connector.baseUrl, c.request.method, c.request.path, { ...credentials(c.as, connector), ...c.request.headers }, c.request.body);
  };

  const state = async (): Promise<State> => {
    const hash = createHash('sha256');
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const { rows } = await sql.raw<Record<string, unknown>>(`select * from "${table}"`).execute(connector.db);
      const lines = rows.map((row) => JSON.stringify(row)).sort();
      counts[table] = lines.length;
      hash.update(`${table}\n${lines.join('\n')}\n`);
    }
    return { digest: hash.digest('hex'), counts };
  };

  const quickState = async (): Promise<State> => {
    if (connector.deps.storage.kind !== 'sqlite') return state();
    const { rows } = await sql<{ n: number }>`select total_changes() as n`.execute(connector.db);
    return { digest: `rows changed so far: ${rows[0]!.n}`, counts: {} };
  };

  return { connector, fixtures, redirector, takeLogLines: () => logLines.splice(0), send, state, quickState, close };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The headers that present `caller`'s credentials. */
function credentials(caller: Caller, connector: TestConnector): Record<string, string> {
  const nearMiss = `${TEST_ADMIN_TOKEN.slice(0, -1)}X`;
  switch (caller) {
    case 'app':
      return { 'x-app-id': connector.account.appId, authorization: `Bearer ${connector.account.appToken}` };
    case 'admin':
      return { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    case 'admin-basic':
      return { authorization: basic('agent@example.com/token', TEST_ADMIN_TOKEN) };
    case 'wrong-bearer':
      return { authorization: `Bearer ${nearMiss}` };
    case 'wrong-basic':
      return { authorization: basic('agent@example.com', nearMiss) };
    case 'none':
      return {};
  }
}

/**
 * One request with node:http, not fetch: fetch would tidy the path (`/%2E/` and `/x/..` removed)
 * and refuses some methods and GET bodies, and the cases must reach the connector as written.
 */
function request(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const withLength = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const sent = http.request(`${baseUrl}${path}`, { method, headers: withLength, timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    sent.on('timeout', () => sent.destroy(new Error('no answer within 30 s')));
    sent.on('error', reject);
    sent.end(body);
  });
}

/**
 * Every line the connector's request logs write, as it would write them at level info.
 * startConnector's logger is silent and cannot be swapped: the app's own logger (whose children
 * log each request) is switched to info and given a stream of its own here.
 */
function captureLogs(connector: TestConnector): string[] {
  const lines: string[] = [];
  const logger = connector.app.log as unknown as Record<symbol, unknown> & { level: string };
  logger[pino.symbols.streamSym] = { write: (line: string) => void lines.push(line) };
  logger.level = 'info';
  return lines;
}

/** Sends one case and judges all of it: the answer, what it wrote (`before` against `measure()` after), and the log lines it made. */
export async function sendAndJudge(
  target: FuzzTarget,
  c: FuzzCase,
  before: State,
  measure: () => Promise<State>,
): Promise<{ answer: Answer | Error; after: State; findings: Finding[] }> {
  const answer = await target.send(c).catch((error: Error) => error);
  const after = await measure();
  const lines = target.takeLogLines();
  // A 5xx is reported with the connector's own account of it (pino's level 50: error).
  const errorLine = lines.find((line) => line.includes('"level":50'));
  const withLog = (finding: Finding) =>
    finding.kind === 'server error' && errorLine ? { ...finding, detail: `${finding.detail}\n    log: ${errorLine.trim().slice(0, 700)}` } : finding;
  return { answer, after, findings: [...judge(c, answer, before, after).map(withLog), ...judgeLogs(c, lines, target.fixtures)] };
}

/** What is wrong with this answer to this case (nothing, for a good refusal, or a good answer where the case expects one). */
export function judge(c: FuzzCase, answer: Answer | Error, before: State, after: State): Finding[] {
  const expected = c.expect ?? 'refusal';
  const findings: Finding[] = [];
  if (before.digest !== after.digest && expected !== 'answer-may-write') {
    const changed = Object.keys(after.counts).filter((t) => after.counts[t] !== before.counts[t]);
    findings.push({
      kind: 'wrote data',
      detail: changed.length
        ? `row counts changed: ${changed.map((t) => `${t} ${before.counts[t]} → ${after.counts[t]}`).join(', ')}`
        : 'rows changed (same counts)',
    });
  }
  if (answer instanceof Error) return [...findings, { kind: 'no answer', detail: answer.message }];
  if (answer.status >= 500) findings.push({ kind: 'server error', detail: `${answer.status} ${answer.text.slice(0, 300)}` });
  else if (answer.status < 400 && expected === 'refusal') findings.push({ kind: 'not a 4xx', detail: `${answer.status} ${answer.text.slice(0, 300)}` });
  if (STACK_TRACE.test(answer.text)) findings.push({ kind: 'stack trace', detail: answer.text.slice(0, 300) });
  if (expected === 'failed-check') return answer.status >= 500 ? findings : [...findings, ...judgeCheckReport(answer)];
  if (c.request.method === 'HEAD') return findings; // no body to judge
  if (expected === 'refusal' || answer.status >= 400) findings.push(...judgeError(c, answer));
  return findings;
}

/** A Node stack frame ("at fn (file.js:1:2)"), an internal module or a dependency's path. */
const STACK_TRACE = /\bat (async )?[\w.<>$]+ \(|\bat [^\s"]+:\d+:\d+|node:internal|\/node_modules\//;

/** Words a person can read, not a code or a fragment. */
const isSentence = (text: string) => text.trim().length >= 12 && /\S\s+\S/.test(text);

/** The contract's error shape, as JSON, with a sentence, naming the field where there is one. */
function judgeError(c: FuzzCase, answer: Answer): Finding[] {
  const findings: Finding[] = [];
  let error: ApiError['error'] | undefined;
  try {
    error = ApiError.parse(JSON.parse(answer.text)).error;
  } catch {
    findings.push({ kind: 'not a JSON error', detail: `${answer.contentType ?? 'no content type'}: ${answer.text.slice(0, 200)}` });
  }
  if (!answer.contentType?.startsWith('application/json'))
    findings.push({ kind: 'not a JSON error', detail: `content type ${answer.contentType ?? '(none)'}` });
  if (error && !isSentence(error.message))
    findings.push({ kind: 'not a JSON error', detail: `the message is not a sentence: ${JSON.stringify(error.message)}` });
  if (error && answer.status < 500 && c.fields.length > 0) {
    // Trigger rules name fields KF5's way (conditions.all[1].operator): read them as dotted paths.
    const named = (error.details ?? []).map((d) => d.field.replace(/\[(\d+)\]/g, '.$1'));
    const names = (field: string) => named.some((n) => n === field || n.startsWith(`${field}.`) || field.startsWith(`${n}.`)) || error.message.includes(field);
    if (!c.fields.some(names))
      findings.push({
        kind: 'field not named',
        detail: `expected one of ${c.fields.join(', ')}; got ${named.join(', ') || 'no details'}: ${error.message.slice(0, 200)}`,
      });
  }
  return findings;
}

/** The export check's answer to a URL it must not fetch to the end: a 200 report, not ok, saying why in words. */
function judgeCheckReport(answer: Answer): Finding[] {
  let report: { ok?: unknown; message?: unknown } = {};
  try {
    report = JSON.parse(answer.text);
  } catch {
    return [{ kind: 'not a JSON error', detail: `the check's report is not JSON: ${answer.text.slice(0, 200)}` }];
  }
  if (answer.status !== 200 || report.ok !== false || typeof report.message !== 'string' || !isSentence(report.message)) {
    return [{ kind: 'check not failed', detail: `${answer.status} ok=${String(report.ok)}: ${String(report.message).slice(0, 300)}` }];
  }
  return [];
}

/**
 * Log lines that show an export URL's secret (the real one, or the one the case made up), in
 * any spelling: as written, JSON-unescaped, percent-decoded (twice over), in any case.
 */
export function judgeLogs(c: FuzzCase, lines: string[], fixtures: Fixtures): Finding[] {
  const secrets = [fixtures.exportSecret, c.secret].filter((s): s is string => Boolean(s && s.length >= 12)).map((s) => s.toLowerCase());
  const leaking = lines.filter((line) => spellingsOf(line).some((text) => secrets.some((secret) => text.includes(secret))));
  return leaking.map((line) => ({ kind: 'secret in log', detail: line.trim().slice(0, 400) }));
}

function spellingsOf(line: string): string[] {
  let unescaped = line;
  try {
    unescaped = JSON.stringify(JSON.parse(line)); // \u0061 back to a
  } catch {
    // not JSON: read it as it is
  }
  const decoded = percentDecoded(unescaped);
  return [line, unescaped, decoded, percentDecoded(decoded)].map((text) => text.toLowerCase());
}

/** Each %XX as its byte, whatever surrounds it (decodeURIComponent gives up at the first bad one). */
const percentDecoded = (text: string) => text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The request, as a curl command with placeholders for the credentials. */
export function reproduce(c: FuzzCase, baseUrl = 'http://localhost:8080'): string {
  const auth = curlCredentials[c.as];
  const headers = Object.entries(c.request.headers)
    .map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`)
    .join(' ');
  const body =
    c.request.body === undefined
      ? ''
      : c.request.body.length > 2000
        ? ` --data-binary @<(node -e ${shellQuote(`process.stdout.write(${JSON.stringify(c.request.body.slice(0, 100))} + 'x'.repeat(${c.request.body.length - 100}))`)})`
        : ` --data-binary ${shellQuote(c.request.body)}`;
  const redirect = c.redirectTo === undefined ? '' : `# with <REDIRECTOR> (the Base URL) answering every request with 302 Location: ${c.redirectTo}\n    `;
  // --path-as-is: curl would tidy /%2E/ and /x/.. away, as fetch does.
  return `${redirect}curl -sS --path-as-is -X ${c.request.method} ${auth} ${headers}${body} ${shellQuote(`${baseUrl}${c.request.path}`)}`;
}

const curlCredentials: Record<Caller, string> = {
  app: "-H 'X-App-Id: <App ID>' -H 'Authorization: Bearer <App Token>'",
  admin: "-H 'Authorization: Bearer <ADMIN_TOKEN>'",
  'admin-basic': "-u 'agent@example.com/token:<ADMIN_TOKEN>'",
  'wrong-bearer': "-H 'Authorization: Bearer <not the ADMIN_TOKEN>'",
  'wrong-basic': "-u 'agent@example.com:<not the ADMIN_TOKEN>'",
  none: '',
};

const shellQuote = (text: string) =>
  `$'${text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point, they are written as \uXXXX so the printed curl command reproduces the fuzz case
    .replace(/[\u0000-\u001f\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;

async function tableNames(storage: Storage): Promise<string[]> {
  const rows =
    storage.kind === 'postgres'
      ? (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(storage.db)).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(storage.db)).rows;
  return rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith('kysely_migration') && !name.startsWith('sqlite_') && !BOOKKEEPING.has(name))
    .sort();
}

/** Records for the requests to name: the demo seed's, plus a subscription, an account and a delivery. */
async function makeFixtures(connector: TestConnector): Promise<Fixtures> {
  const first = async (path: string) => {
    const reply = await connector.call(path);
    if (reply.status !== 200 || !reply.body.data?.[0]) throw new Error(`fixtures: ${path} gave ${reply.status}`);
    return reply.body.data[0];
  };
  const created = async (path: string, body: unknown, as: 'admin' | undefined = undefined) => {
    const reply = await connector.call(path, { method: 'POST', body, ...(as ? { as } : {}) });
    if (reply.status !== 201) throw new Error(`fixtures: ${path} gave ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const contacts = (await connector.call('/v1/contacts?fullName=Mei%20Chan')).body.data;
  const other = (await connector.call('/v1/contacts?fullName=Tom%20Ho')).body.data;
  const subscription = await created('/v1/hooks', { event: 'tag.created', targetUrl: 'https://hooks.example.com/fixture' });
  const account = await created('/admin/api/zapier-accounts', { name: 'Fuzz target account' }, 'admin');
  // One delivery to name: a tag made while the subscription listens, sent by a worker that fails it at once.
  await created('/v1/tags', { name: 'Fixture tag', colorCode: '#000000' });
  const worker = createDeliveryWorker({
    ...connector.deps,
    settings: { ...connector.deps.settings, delivery: { ...connector.deps.settings.delivery, retryScheduleMs: [0] } },
    resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
  });
  worker.start();
  let delivery: { id: string; status: string } | undefined;
  try {
    for (let i = 0; i < 200 && delivery?.status !== 'failed'; i++) {
      delivery = await connector.db.selectFrom('deliveries').select(['id', 'status']).executeTakeFirst();
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    await worker.stop();
  }
  if (!delivery) throw new Error('fixtures: no delivery was made');
  const trigger = await created('/apiv2/triggers.json', { trigger: validTrigger() }, 'admin');
  const target = await created('/admin/api/targets', { title: 'Fixture target', url: 'https://93.184.216.34/hooks/fixture' }, 'admin');
  const exportUrl = await created('/admin/api/support-export/urls', { name: 'Fixture export' }, 'admin');
  return {
    triggerId: String(trigger.trigger.id),
    targetId: String(target.id),
    exportUrlId: exportUrl.id,
    exportSecret: /\/support-endpoint\/(.+)\.json$/.exec(exportUrl.url)![1]!,
    staffId: (await first('/v1/staff')).id,
    roomId: (await first('/v1/rooms')).id,
    tagId: (await first('/v1/tags')).id,
    contactId: contacts[0].id,
    otherContactId: other[0].id,
    enquiryId: (await first('/v1/enquiries?displayCaseNumber=HK-000001')).id,
    ticketId: (await first('/v1/tickets')).id,
    chatId: (await connector.db.selectFrom('chats').select('id').executeTakeFirstOrThrow()).id,
    agentLogin: (await first('/v1/agents')).login,
    subscriptionId: subscription.id,
    appId: account.appId,
    deliveryId: delivery.id,
  };
}
