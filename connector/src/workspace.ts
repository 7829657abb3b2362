import { seedWorkspaceEssentials } from './contact-centre/essentials.js';
import type { Db } from './storage/db.js';

export interface Workspace {
  id: string;
  name: string;
}

/** The id of the workspace created at first start. Fixed, so that two processes starting together agree on it. */
export const FIRST_WORKSPACE_ID = 'ws_default';

/**
 * The connector serves one workspace for now: the oldest, created at first start. Every row
 * still carries its workspace_id, so data can never cross workspaces once there are several.
 * Two processes starting at once on an empty PostgreSQL both try to insert the first workspace:
 * the primary key lets exactly one do it (and seed it); the other waits for it and reads it.
 */
export async function ensureWorkspace(db: Db, name: string): Promise<Workspace> {
  const existing = await oldestWorkspace(db);
  if (existing) return existing;
  await db.transaction().execute(async (trx) => {
    const [inserted] = await trx
      .insertInto('workspaces')
      .values({ id: FIRST_WORKSPACE_ID, name, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    if (Number(inserted?.numInsertedOrUpdatedRows ?? 0) === 1) await seedWorkspaceEssentials(trx, FIRST_WORKSPACE_ID);
  });
  const created = await oldestWorkspace(db);
  if (!created) throw new Error('the first workspace could not be created');
  return created;
}

const oldestWorkspace = (db: Db) => db.selectFrom('workspaces').select(['id', 'name']).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();

/**
 * Takes the workspace's row lock for the rest of the transaction. On PostgreSQL this
 * serialises checks like "at most 10 accounts" between connector processes; on the embedded
 * database every write transaction is serialised already, and this is a harmless no-op write.
 */
export async function lockWorkspace(trx: Db, workspaceId: string): Promise<void> {
  await trx
    .updateTable('workspaces')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', workspaceId)
    .execute();
}
