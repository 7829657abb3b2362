import type { Selectable } from 'kysely';
import type { Db } from '../storage/db.js';
import type { HelpdeskUserTable } from '../storage/schema.js';
import type { Scope } from './scope.js';
import { nowIso } from '../storage/documents.js';
import { nextInSequence } from '../storage/transactions.js';

/**
 * KF5 rules name people by number: `requester_id is 1310`, `email_user 1315`. Every agent and
 * every requester gets one user id per email address (per workspace), from 1001 up, the first
 * time the connector meets them. An agent who also wrote in as a customer is one user.
 */
export type HelpdeskUser = Selectable<HelpdeskUserTable>;

export const FIRST_USER_ID = 1001;
const emailKey = (email: string) => email.trim().toLowerCase();

export interface UserDetails {
  email: string;
  name: string;
  /** Agents are marked as agents; a requester never demotes an agent. */
  role: 'agent' | 'enduser';
  /** Given: replaces the stored one (null clears it). Omitted: kept. */
  organization_id?: number | null;
  language?: string | null;
}

/** The user with this email, created (or updated with what is given) as needed. */
export async function ensureUser(trx: Db, scope: Scope, details: UserDetails): Promise<HelpdeskUser> {
  const key = emailKey(details.email);
  const existing = await trx
    .selectFrom('helpdesk_users')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .where('email_key', '=', key)
    .executeTakeFirst();
  if (!existing) {
    const user: HelpdeskUser = {
      workspace_id: scope.workspaceId,
      id: await nextInSequence(trx, scope.workspaceId, 'helpdesk_user_id', FIRST_USER_ID),
      email_key: key,
      email: details.email.trim(),
      name: details.name,
      role: details.role,
      organization_id: details.organization_id ?? null,
      language: details.language ?? null,
      created_at: nowIso(),
    };
    await trx.insertInto('helpdesk_users').values(user).execute();
    return user;
  }
  const changes: Partial<HelpdeskUser> = {};
  if (details.role === 'agent' && existing.role !== 'agent') changes.role = 'agent';
  if (details.organization_id !== undefined && details.organization_id !== existing.organization_id) changes.organization_id = details.organization_id;
  if (details.language !== undefined && details.language !== existing.language) changes.language = details.language;
  if (Object.keys(changes).length === 0) return normalise(existing);
  await trx.updateTable('helpdesk_users').set(changes).where('workspace_id', '=', scope.workspaceId).where('id', '=', existing.id).execute();
  return normalise({ ...existing, ...changes });
}

/** A former agent stays a user (their id is in old tickets and rules), as an end user. */
export async function demoteAgent(trx: Db, scope: Scope, login: string): Promise<void> {
  await trx
    .updateTable('helpdesk_users')
    .set({ role: 'enduser' })
    .where('workspace_id', '=', scope.workspaceId)
    .where('email_key', '=', emailKey(login))
    .execute();
}

export async function usersByIds(db: Db, scope: Scope, ids: readonly number[]): Promise<Map<number, HelpdeskUser>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('helpdesk_users').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [Number(row.id), normalise(row)]));
}

/** PostgreSQL and SQLite both give integers back as numbers here, but be sure. */
const normalise = (row: HelpdeskUser): HelpdeskUser => ({
  ...row,
  id: Number(row.id),
  organization_id: row.organization_id === null ? null : Number(row.organization_id),
});
