import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ApiError } from '../../../contract/index.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { Storage } from '../../src/storage/db.js';
import { startConnector, TEST_ADMIN_TOKEN, type ConnectorDatabase, type TestConnector } from '../support/connector.js';
import { closeOnFailure } from '../support/teardown.js';
import { validTrigger, type Fixtures, type FuzzCase } from './generator.js';

/**
 * Runs the generator's requests against a real connector (HTTP on 127.0.0.1, a fresh seeded
 * database) and judges each answer: a 4xx, JSON in the contract's error shape, naming the field
 * where there is one, and not a single row of any table changed.
 */

/** Tables whose rows change on every call by design: the rate-limit counters. */
const BOOKKEEPING = new Set(['rate_limit_windows']);

export interface FuzzTarget {
  connector: TestConnector;
  fixtures: Fixtures;
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
  kind: 'server error' | 'not a 4xx' | 'not a JSON error' | 'field not named' | 'wrote data' | 'no answer';
  detail: string;
}

export async function startFuzzTarget(options: { database?: ConnectorDatabase } = {}): Promise<FuzzTarget> {
  const connector = await startConnector(
    { CONNECTOR_RATE_LIMIT_MAX: '1000000', CONNECTOR_LOG_LEVEL: 'silent' },
    { seed: true, database: options.database, resolveHost: async () => [{ address: '93.184.216.34', family: 4 }] },
  );
  const { fixtures, tables } = await closeOnFailure(connector, async () => ({
    fixtures: await makeFixtures(connector),
    tables: await tableNames(connector.deps.storage),
  }));

  const send = async (c: FuzzCase): Promise<Answer> => {
    const auth: Record<string, string> =
      c.as === 'admin' ? { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } : { 'x-app-id': connector.account.appId, authorization: `Bearer ${connector.account.appToken}` };
    const response = await fetch(`${connector.baseUrl}${c.request.path}`, {
      method: c.request.method,
      headers: { ...auth, ...c.request.headers },
      body: c.request.body,
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
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

  return { connector, fixtures, send, state, quickState, close: () => connector.close() };
}

/** What is wrong with this answer to this case (nothing, for a good refusal). */
export function judge(c: FuzzCase, answer: Answer | Error, before: State, after: State): Finding[] {
  const findings: Finding[] = [];
  if (before.digest !== after.digest) {
    const changed = Object.keys(after.counts).filter((t) => after.counts[t] !== before.counts[t]);
    findings.push({ kind: 'wrote data', detail: changed.length ? `row counts changed: ${changed.map((t) => `${t} ${before.counts[t]} → ${after.counts[t]}`).join(', ')}` : 'rows changed (same counts)' });
  }
  if (answer instanceof Error) return [...findings, { kind: 'no answer', detail: answer.message }];
  if (answer.status >= 500) findings.push({ kind: 'server error', detail: `${answer.status} ${answer.text.slice(0, 300)}` });
  else if (answer.status < 400) findings.push({ kind: 'not a 4xx', detail: `${answer.status} ${answer.text.slice(0, 300)}` });
  let error: ApiError['error'] | undefined;
  try {
    error = ApiError.parse(JSON.parse(answer.text)).error;
  } catch {
    findings.push({ kind: 'not a JSON error', detail: `${answer.contentType ?? 'no content type'}: ${answer.text.slice(0, 200)}` });
  }
  if (!answer.contentType?.startsWith('application/json')) findings.push({ kind: 'not a JSON error', detail: `content type ${answer.contentType ?? '(none)'}` });
  if (error && answer.status < 500 && c.fields.length > 0) {
    // Trigger rules name fields KF5's way (conditions.all[1].operator): read them as dotted paths.
    const named = (error.details ?? []).map((d) => d.field.replace(/\[(\d+)\]/g, '.$1'));
    const names = (field: string) => named.some((n) => n === field || n.startsWith(`${field}.`) || field.startsWith(`${n}.`)) || error.message.includes(field);
    if (!c.fields.some(names)) findings.push({ kind: 'field not named', detail: `expected one of ${c.fields.join(', ')}; got ${named.join(', ') || 'no details'}: ${error.message.slice(0, 200)}` });
  }
  return findings;
}

/** The request, as a curl command with placeholders for the credentials. */
export function reproduce(c: FuzzCase, baseUrl = 'http://localhost:8080'): string {
  const auth = c.as === 'admin' ? "-H 'Authorization: Bearer <ADMIN_TOKEN>'" : "-H 'X-App-Id: <App ID>' -H 'Authorization: Bearer <App Token>'";
  const headers = Object.entries(c.request.headers)
    .map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`)
    .join(' ');
  const body = c.request.body === undefined ? '' : c.request.body.length > 2000 ? ` --data-binary @<(node -e ${shellQuote(`process.stdout.write(${JSON.stringify(c.request.body.slice(0, 100))} + 'x'.repeat(${c.request.body.length - 100}))`)})` : ` --data-binary ${shellQuote(c.request.body)}`;
  return `curl -sS -X ${c.request.method} ${auth} ${headers}${body} ${shellQuote(`${baseUrl}${c.request.path}`)}`;
}

const shellQuote = (text: string) => `$'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/[\u0000-\u001f\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;

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
  const worker = createDeliveryWorker({ ...connector.deps, settings: { ...connector.deps.settings, delivery: { ...connector.deps.settings.delivery, retryScheduleMs: [0] } }, resolveHost: async () => [{ address: '127.0.0.1', family: 4 }] });
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
