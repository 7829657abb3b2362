import { CompiledQuery } from 'kysely';
import type { Db, Storage } from './db.js';

/**
 * Hand-written SQL for the hot paths (the delivery worker's claims, recordings and pacing):
 * run for every delivery, building them with Kysely's query builder cost more CPU than running
 * them (`npm run bench:profile`). A list travels as one parameter (a JSON array read with
 * json_each on the embedded database, an array on PostgreSQL), so each statement has one text
 * whatever the list's length and stays prepared.
 */
export const runStatement = <Row>(db: Db, text: string, parameters: readonly unknown[]) => db.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]));

/** Parameter `n`: `$n` on PostgreSQL, `?n` on SQLite. */
export const parameter = (kind: Storage['kind'], n: number) => (kind === 'postgres' ? `$${n}` : `?${n}`);

/** The greatest of these SQL expressions. */
export const greatest = (kind: Storage['kind'], ...expressions: string[]) => `${kind === 'postgres' ? 'GREATEST' : 'max'}(${expressions.join(', ')})`;

/** Parameter `n` as a number of milliseconds (PostgreSQL types a bare parameter from its use, and `$2 + $3` has none). */
export const millisecondsParameter = (kind: Storage['kind'], n: number) => (kind === 'postgres' ? `$${n}::double precision` : `?${n}`);

/**
 * One statement on its own (autocommit), prepared by name on PostgreSQL (planned once per
 * connection, not on every run); on SQLite every statement is prepared once anyway
 * (node-sqlite-dialect.ts). Not for use inside a transaction: it takes a connection of its own.
 */
export async function runPrepared<Row>(storage: Storage, name: string, text: string, parameters: readonly unknown[]): Promise<{ rows: Row[] }> {
  if (storage.prepared) return storage.prepared<Row>(name, text, parameters);
  return runStatement<Row>(storage.db, text, parameters);
}
