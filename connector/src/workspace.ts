import { newId } from './ids.js';
import { seedWorkspaceEssentials } from './contact-centre/essentials.js';
import type { Db } from './storage/db.js';

export interface Workspace {
  id: string;
  name: string;
}

/**
 * The connector serves one workspace for now: the oldest, created at first start. Every row
 * still carries its workspace_id, so data can never cross workspaces once there are several.
 */
export async function ensureWorkspace(db: Db, name: string): Promise<Workspace> {
  const existing = await db.selectFrom('workspaces').select(['id', 'name']).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  if (existing) return existing;
  return db.transaction().execute(async (trx) => {
    const workspace = { id: newId('ws'), name, created_at: new Date().toISOString() };
    await trx.insertInto('workspaces').values(workspace).execute();
    await seedWorkspaceEssentials(trx, workspace.id);
    return { id: workspace.id, name: workspace.name };
  });
}

/**
 * Takes the workspace's row lock for the rest of the transaction. On PostgreSQL this
 * serialises checks like "at most 10 accounts" between connector processes; on the embedded
 * database every write transaction is serialised already, and this is a harmless no-op write.
 */
export async function lockWorkspace(trx: Db, workspaceId: string): Promise<void> {
  await trx.updateTable('workspaces').set((eb) => ({ name: eb.ref('name') })).where('id', '=', workspaceId).execute();
}
