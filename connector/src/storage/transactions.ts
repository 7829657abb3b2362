import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * Runs `work` in a transaction, or inside the caller's one when `db` already is a transaction
 * (Kysely has no nested transactions), so functions compose: the simulator can run several in one.
 */
export const inTransaction = <T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> => (db.isTransaction ? work(db) : db.transaction().execute(work));

/**
 * The next value of a per-workspace sequence (case numbers, ticket numbers, rule ids). An atomic
 * upsert: concurrent transactions on PostgreSQL wait for each other on the row, and never share a value.
 */
export async function nextInSequence(trx: Db, workspaceId: string, name: string, start = 1): Promise<number> {
  const row = await trx
    .insertInto('counters')
    .values({ workspace_id: workspaceId, name, value: start })
    .onConflict((oc) => oc.columns(['workspace_id', 'name']).doUpdateSet({ value: sql<number>`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
