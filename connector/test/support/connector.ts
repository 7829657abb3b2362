import { mkdtempSync, rmSync } from 'node:fs';
import { eventPayloads, type EventPayload, type EventType } from '../../../contract/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp, type AppOptions } from '../../src/app.js';
import type { Scope } from '../../src/contact-centre/scope.js';
import { seedDemoWorkspace } from '../../src/demo/seed.js';
import type { ConnectorDeps } from '../../src/deps.js';
import type { HostResolver } from '../../src/delivery/ssrf.js';
import { settingsFromEnv } from '../../src/settings.js';
import { openStorage, type Db } from '../../src/storage/db.js';
import { POSTGRES_MISSING } from './databases.js';
import { createPostgresDatabase } from './postgres-database.js';
import { closeOnFailure, undoStack, type UndoStack } from './teardown.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** Which database a test connector runs on; unset: PostgreSQL when TEST_DATABASE_URL is set, else the embedded one. */
export type ConnectorDatabase = 'embedded' | 'postgres';
/** For `describe.each(connectorDatabases)`: the same tests on both (PostgreSQL fails, not skips, without TEST_DATABASE_URL). */
export const connectorDatabases: ConnectorDatabase[] = ['embedded', 'postgres'];

export interface Credentials {
  appId: string;
  appToken: string;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw body text (sent as is, e.g. broken JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Whose credentials: an account, 'admin', or 'none'. Defaults to the connector's first account. */
  as?: Credentials | 'admin' | 'none';
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestConnector {
  baseUrl: string;
  db: Db;
  deps: ConnectorDeps;
  app: FastifyInstance;
  /** The account created at start; calls use it unless told otherwise. */
  account: Credentials;
  workspaceId: string;
  /** The scope the contact-centre functions take, for setting things up directly. */
  scope(): Scope;
  call<T = any>(path: string, options?: CallOptions): Promise<CallResult<T>>;
  addAccount(name?: string): Promise<Credentials>;
  /** Events recorded since the last call, oldest first. */
  takeEvents(): Promise<{ type: string; payload: any }[]>;
  close(): Promise<void>;
}

/**
 * A real connector on port 0 with a fresh database, called over HTTP with fetch: the embedded
 * database in a temp directory, or, when TEST_DATABASE_URL is set (`npm run test:all`), a new
 * PostgreSQL database dropped at close. `env` overrides settings (e.g. CONNECTOR_RATE_LIMIT_MAX);
 * `resolveHost` stands in for DNS where hook targets' host names are checked.
 */
export async function startConnector(
  env: Record<string, string> = {},
  { seed = false, database, resolveHost, ...options }: AppOptions & { seed?: boolean; database?: ConnectorDatabase; resolveHost?: HostResolver } = {},
): Promise<TestConnector> {
  // Every part is undone (newest first) at close, and also when starting fails half-way.
  const parts = undoStack();
  return closeOnFailure(parts, () => start(parts, env, { seed, database, resolveHost, ...options }));
}

async function start(
  parts: UndoStack,
  env: Record<string, string>,
  { seed, database, resolveHost, ...options }: AppOptions & { seed: boolean; database?: ConnectorDatabase; resolveHost?: HostResolver },
): Promise<TestConnector> {
  const dir = mkdtempSync(join(tmpdir(), 'connector-app-test-'));
  parts.add(() => rmSync(dir, { recursive: true, force: true }));
  const settings = settingsFromEnv({
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    CONNECTOR_SQLITE_PATH: join(dir, 'connector.db'),
    CONNECTOR_PUBLIC_BASE_URL: 'https://connector.test',
    CONNECTOR_LOG_LEVEL: 'silent',
    CONNECTOR_SMS_SANDBOX_REPORT_DELAY_MS: '0',
    ...env,
  });
  if (database === 'postgres' && !process.env.TEST_DATABASE_URL) throw new Error(POSTGRES_MISSING);
  const usePostgres = database ? database === 'postgres' : Boolean(process.env.TEST_DATABASE_URL);
  const postgres = usePostgres ? await createPostgresDatabase(process.env.TEST_DATABASE_URL!, 'connector_app') : undefined;
  if (postgres) parts.add(() => postgres.drop());
  const storage = await openStorage({ sqlitePath: settings.sqlitePath, databaseUrl: postgres?.url });
  parts.add(() => storage.close().catch(() => undefined)); // a test may have closed it already
  const deps: ConnectorDeps = { db: storage.db, storage, settings, log: pino({ level: 'silent' }), resolveHost };
  const app = await buildApp(deps, options);
  parts.add(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  let seenEvents = 0;
  const connector: TestConnector = {
    baseUrl,
    db: storage.db,
    deps,
    app,
    account: { appId: '', appToken: '' },
    workspaceId: '',
    scope: () => ({ workspaceId: connector.workspaceId, baseUrl: settings.publicBaseUrl, casePrefix: settings.casePrefix }),
    async call(path, { method = 'GET', body, rawBody, headers = {}, as } = {}) {
      const who = as ?? connector.account;
      const auth: Record<string, string> =
        who === 'admin'
          ? { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }
          : who === 'none'
            ? {}
            : { 'x-app-id': who.appId, authorization: `Bearer ${who.appToken}` };
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...auth, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: payload,
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (e.g. /metrics): keep the text
      }
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
    async addAccount(name = 'Test Zaps') {
      const created = await connector.call('/admin/api/zapier-accounts', { method: 'POST', body: { name }, as: 'admin' });
      if (created.status !== 201) throw new Error(`could not add an account: ${created.status} ${JSON.stringify(created.body)}`);
      return { appId: created.body.appId, appToken: created.body.appToken };
    },
    async takeEvents() {
      const rows = await storage.db.selectFrom('events').select(['type', 'payload', 'id']).orderBy('occurred_at').orderBy('id').execute();
      const fresh = rows.slice(seenEvents);
      seenEvents = rows.length;
      return fresh.map((row) => ({ type: row.type, payload: JSON.parse(row.payload) }));
    },
    close: parts.close,
  };
  connector.account = await connector.addAccount();
  const workspace = await storage.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
  connector.workspaceId = workspace.id;
  if (seed) {
    await seedDemoWorkspace(storage.db, connector.scope());
    await connector.takeEvents();
  }
  return connector;
}

/** Reads the one event the last change recorded, failing unless there was exactly one of that type. */
export async function expectOneEvent<T extends EventType>(connector: TestConnector, type: T): Promise<EventPayload<T>> {
  const events = await connector.takeEvents();
  expect(events.map((e) => e.type)).toEqual([type]);
  return eventPayloads[type].parse(events[0]?.payload) as EventPayload<T>;
}

/** A refused request must leave no trace: no event. */
export async function expectNoEvent(connector: TestConnector): Promise<void> {
  expect(await connector.takeEvents()).toEqual([]);
}
