import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Runs `work` on a connection of the server's admin URL (TEST_DATABASE_URL), closed after. */
export async function asPostgresAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, uniquely named database on the PostgreSQL server of `adminUrl` (TEST_DATABASE_URL),
 * for one test file or one benchmark run; `drop()` removes it, ending its connections.
 */
export async function createPostgresDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const asAdmin = (statement: string) => asPostgresAdmin(adminUrl, (client) => client.query(statement)).then(() => undefined);
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
