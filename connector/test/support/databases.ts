import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { sql } from 'kysely';
import { openStorage, type Storage } from '../../src/storage/db.js';
import { asPostgresAdmin } from './postgres-database.js';
import { undoStack } from './teardown.js';

/**
 * Runs a block of tests on every database the connector supports: the embedded one
 * (node:sqlite, a temp file per test) and PostgreSQL (one database per test file, created
 * from TEST_DATABASE_URL and dropped afterwards, emptied before each test).
 *
 *   forEachDatabase((database) => {
 *     it('...', async () => {
 *       const storage = await database.open();       // fresh and empty; closed after the test
 *       database.afterThisTest(() => worker.stop());  // runs before the storage is closed
 *     });
 *   });
 *
 * Without TEST_DATABASE_URL the PostgreSQL block fails (it does not skip: a skipped test
 * passes nothing) with a message saying how to run it: `npm run test:all`.
 */
export interface TestDatabase {
  kind: Storage['kind'];
  /** A fresh, empty, migrated database for this test. */
  open(): Promise<Storage>;
  /**
   * Another connection (pool) to the database of the last open(): a second connector
   * process, as far as the database can tell. Use on PostgreSQL; two connections to one
   * SQLite file in one process can deadlock (node:sqlite waits for locks synchronously).
   */
  connect(): Promise<Storage>;
  /** Cleanup after the current test, run last-registered first. */
  afterThisTest(cleanup: () => unknown): void;
}

export const POSTGRES_MISSING =
  'PostgreSQL tests need a server: run `npm run test:all` or `npm run test:connector` (they start a throwaway PostgreSQL 15 and set TEST_DATABASE_URL; `npm run test:jest` does not), or set TEST_DATABASE_URL to an admin connection URL yourself.';

export function forEachDatabase(tests: (database: TestDatabase) => void): void {
  describe('on the embedded database', () => tests(embeddedDatabase()));
  describe('on PostgreSQL', () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) {
      it('has a PostgreSQL server to run on', () => {
        throw new Error(POSTGRES_MISSING);
      });
      return;
    }
    tests(postgresDatabase(adminUrl));
  });
}

/** Cleanups registered during a test, run after it in reverse order (all of them, also when one fails). */
function cleanupStack() {
  const cleanups = undoStack();
  afterEach(() => cleanups.close());
  return cleanups.add;
}

function embeddedDatabase(): TestDatabase {
  const afterThisTest = cleanupStack();
  let dir = '';
  let path = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'connector-test-'));
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  const connect = async () => {
    const storage = await openStorage({ sqlitePath: path });
    afterThisTest(() => storage.close());
    return storage;
  };
  return {
    kind: 'sqlite',
    afterThisTest,
    connect,
    async open() {
      path = join(dir, `${randomBytes(6).toString('hex')}.db`);
      return connect();
    },
  };
}

function postgresDatabase(adminUrl: string): TestDatabase {
  const afterThisTest = cleanupStack();
  const name = `connector_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();

  const asAdmin = <T>(work: (client: pg.Client) => Promise<T>) => asPostgresAdmin(adminUrl, work);
  beforeAll(() => asAdmin((admin) => admin.query(`CREATE DATABASE ${name}`)));
  afterAll(() =>
    asAdmin(async (admin) => {
      // pg's pool.end() resolves before its sockets have closed; dropping a database with
      // connections still going makes those clients emit "terminating connection" errors.
      await untilNoConnections(admin, name);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  );

  const connect = async () => {
    const storage = await openStorage({ databaseUrl, sqlitePath: '', poolSize: 5 });
    afterThisTest(() => storage.close());
    return storage;
  };
  return {
    kind: 'postgres',
    afterThisTest,
    connect,
    async open() {
      const storage = await connect();
      await emptyAllTables(storage);
      return storage;
    },
  };
}

async function untilNoConnections(admin: pg.Client, database: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [database]);
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every table but the migration bookkeeping, so tables other parts add are emptied too. */
async function emptyAllTables(storage: Storage): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely_migration%'`.execute(storage.db);
  if (rows.length === 0) return;
  const tables = rows.map((r) => `"${r.tablename}"`).join(', ');
  await sql.raw(`TRUNCATE ${tables} CASCADE`).execute(storage.db);
}
