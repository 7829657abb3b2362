import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '../../../src/storage/db.js';
import { POSTGRES_MISSING } from '../../support/databases.js';
import { asPostgresAdmin } from '../../support/postgres-database.js';

/**
 * A fresh database for connector processes: an embedded database file in a temp directory, or
 * a new PostgreSQL database on the test server (TEST_DATABASE_URL, which `npm run test:all` sets).
 */
export interface ProcessDatabase {
  kind: 'sqlite' | 'postgres';
  /** The settings that point a connector process at it. */
  env: Record<string, string>;
  /** Opens it from the test process, to inspect what the connector left (close it after). */
  open(): Promise<Storage>;
  /** Deletes it. */
  drop(): Promise<void>;
}

export async function createProcessDatabase(kind: 'sqlite' | 'postgres'): Promise<ProcessDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'connector-faults-'));
    const path = join(dir, 'connector.db');
    return {
      kind,
      env: { CONNECTOR_SQLITE_PATH: path },
      open: () => openStorage({ sqlitePath: path }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error(POSTGRES_MISSING);
  const name = `connector_faults_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asPostgresAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString() },
    open: () => openStorage({ databaseUrl: url.toString(), sqlitePath: '', poolSize: 4 }),
    drop: () => asPostgresAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * Runs the tests once per database kind, each describe block with its own fresh database
 * (made before the block, dropped after it). Without TEST_DATABASE_URL the PostgreSQL block
 * fails with a message saying how to run it, as the rest of the suite does.
 */
export function forEachProcessDatabase(tests: (database: () => ProcessDatabase) => void, kinds: Array<'sqlite' | 'postgres'> = ['sqlite', 'postgres']): void {
  for (const kind of kinds) {
    describe(kind === 'sqlite' ? 'on the embedded database' : 'on PostgreSQL', () => {
      if (kind === 'postgres' && !process.env.TEST_DATABASE_URL) {
        it('has a PostgreSQL server to run on', () => {
          throw new Error(POSTGRES_MISSING);
        });
        return;
      }
      let database: ProcessDatabase | undefined;
      beforeAll(async () => {
        database = await createProcessDatabase(kind);
      });
      afterAll(() => database?.drop());
      tests(() => database!);
    });
  }
}
