import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { createNodeSqliteDialect } from './node-sqlite-dialect.js';
import { migrationProvider } from './migrations/index.js';
import type { AccountTables, ContactCentreTables, CoreTables, TriggerRuleTables } from './schema.js';

export type Database = CoreTables & ContactCentreTables & AccountTables & TriggerRuleTables;
export type Db = Kysely<Database>;

export interface StorageSettings {
  /** postgres://... to use PostgreSQL; otherwise the embedded database at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Pool size per process on PostgreSQL. */
  poolSize?: number;
  /** Told when PostgreSQL closes a connection (a restart, a failover); the pool opens a new one when needed. */
  onConnectionLost?: (error: Error) => void;
}

export interface Storage {
  db: Db;
  kind: 'sqlite' | 'postgres';
  /**
   * PostgreSQL only: runs one statement on its own (autocommit) as a named prepared statement,
   * planned once per connection. For the delivery worker's per-delivery statements, which
   * PostgreSQL otherwise plans on every run (storage/statements.ts).
   */
  prepared?: <Row>(name: string, text: string, values: readonly unknown[]) => Promise<{ rows: Row[] }>;
  close(): Promise<void>;
}

/**
 * How long a query waits for a PostgreSQL connection (a new one to be made, or a busy pool to
 * free one) before it fails, and its request gets a 503: a database that accepts connections
 * but never answers (hung, or behind a network dropping packets) must not hang every request.
 */
export const CONNECT_TIMEOUT_MS = 5000;

/** Opens the embedded database or PostgreSQL and brings its schema up to date. */
export async function openStorage(settings: StorageSettings): Promise<Storage> {
  const kind = settings.databaseUrl ? 'postgres' : 'sqlite';
  let db: Db;
  if (settings.databaseUrl) {
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize ?? 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // A connection the server closes (PostgreSQL restarting, a failover, pg_terminate_backend)
    // is reported as an 'error' event on its client, and on the pool when it was idle. Unheard,
    // Node ends the whole process. Heard, the query under way fails (and its request gets a
    // 503), and the pool drops the connection and opens a new one when needed.
    pool.on('connect', (client) => client.on('error', (error) => settings.onConnectionLost?.(error)));
    pool.on('error', () => undefined); // the client's own listener above has reported it
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db);
    const prepared = async <Row>(name: string, text: string, values: readonly unknown[]) => {
      const result = await pool.query({ name, text, values: [...values] });
      return { rows: result.rows as Row[] };
    };
    return { db, kind, prepared, close: () => db.destroy() };
  } else {
    if (settings.sqlitePath !== ':memory:') mkdirSync(dirname(settings.sqlitePath), { recursive: true });
    db = new Kysely<Database>({ dialect: createNodeSqliteDialect(settings.sqlitePath) });
    // WAL: readers never block the writer; NORMAL sync survives a killed process (not a power cut).
    for (const pragma of ['journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON', 'busy_timeout = 5000']) {
      await sqlPragma(db, pragma);
    }
  }
  await migrate(db);
  return { db, kind, close: () => db.destroy() };
}

async function sqlPragma(db: Db, pragma: string) {
  const { sql } = await import('kysely');
  await sql.raw(`PRAGMA ${pragma}`).execute(db);
}

export async function migrate(db: Db): Promise<void> {
  // Unordered: 004_trigger_rules was released after 005_export, and runs after it on databases that have 005 already.
  const { error, results } = await new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
