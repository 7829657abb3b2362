import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';

/** LiveChat always has group 0, "General"; tickets and chats without a group land there. */
export const GENERAL_GROUP = { id: 0, name: 'General' } as const;

/**
 * What a new workspace needs before anything else works: a staff member to own contacts (every
 * contact has an owner) and the General group (every ticket has a current group).
 */
export async function seedWorkspaceEssentials(trx: Db, workspaceId: string): Promise<void> {
  const now = new Date().toISOString();
  await trx
    .insertInto('staff')
    .values({
      id: newId('stf'),
      workspace_id: workspaceId,
      first_name: 'Workspace',
      last_name: 'Admin',
      email: 'admin@contact-centre.example',
      department: 'Administration',
      role: 'admin',
      created_at: now,
    })
    .execute();
  await trx
    .insertInto('agent_groups')
    .values({ workspace_id: workspaceId, ...GENERAL_GROUP, created_at: now })
    .execute();
}
