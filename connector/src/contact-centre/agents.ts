import type { z } from 'zod';
import type { Agent, CreateAgentBody, DeletedAgent, FindAgentQuery, Group } from '../../../contract/index.js';
import { conflict, notFound } from '../http/errors.js';
import type { Db } from '../storage/db.js';
import { GENERAL_GROUP } from './essentials.js';
import { demoteAgent, ensureUser } from './helpdesk-users.js';
import { hashPassword } from './passwords.js';
import { fromDocument, inTransaction, nowIso, toDocument, type Scope } from './scope.js';
import { unassignOpenTickets } from './tickets.js';

/** Logins are emails: compared and stored in lower case, so "Ava@x" and "ava@x" are one agent. */
const loginKey = (login: string) => login.trim().toLowerCase();

export async function listGroups(db: Db, scope: Scope): Promise<Group[]> {
  return db.selectFrom('agent_groups').select(['id', 'name']).where('workspace_id', '=', scope.workspaceId).orderBy('id').execute();
}

/** The groups with these ids, in the order given; 404 names the first unknown id. */
export async function groupsByIds(db: Db, scope: Scope, ids: number[]): Promise<Group[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await db.selectFrom('agent_groups').select(['id', 'name']).where('workspace_id', '=', scope.workspaceId).where('id', 'in', unique).execute();
  return unique.map((id) => {
    const group = rows.find((row) => Number(row.id) === id);
    if (!group) throw notFound('agent group', String(id));
    return { id: Number(group.id), name: group.name };
  });
}

/** Agents, optionally only the one with this login and/or these whose name matches (case-insensitive). */
export async function listAgents(db: Db, scope: Scope, query: Partial<z.output<typeof FindAgentQuery>> = {}): Promise<Agent[]> {
  let select = db.selectFrom('agents').select('document').where('workspace_id', '=', scope.workspaceId);
  if (query.login) select = select.where('login', '=', loginKey(query.login));
  const agents = (await select.orderBy('created_at', 'desc').orderBy('login').execute()).map((row) => fromDocument<Agent>(row.document));
  const name = query.name?.trim().toLowerCase();
  return name ? agents.filter((agent) => agent.name.toLowerCase() === name) : agents;
}

export async function agentByLogin(db: Db, scope: Scope, login: string): Promise<Agent> {
  const row = await db.selectFrom('agents').select('document').where('workspace_id', '=', scope.workspaceId).where('login', '=', loginKey(login)).executeTakeFirst();
  if (!row) throw notFound('agent', login, 'login');
  return fromDocument<Agent>(row.document);
}

/** Adds an agent with the seed's defaults; the password is kept only as a scrypt hash and never returned. */
export async function createAgent(db: Db, scope: Scope, input: z.output<typeof CreateAgentBody>): Promise<Agent> {
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return inTransaction(db, async (trx) => {
    const login = loginKey(input.login);
    const existing = await trx.selectFrom('agents').select('login').where('workspace_id', '=', scope.workspaceId).where('login', '=', login).executeTakeFirst();
    if (existing) throw conflict(`An agent with the login ${login} already exists; each agent needs its own email address.`);
    const agent: Agent = {
      id: login,
      login,
      name: input.name,
      avatar: 'avatars/default.png',
      job_title: input.job_title,
      login_status: input.login_status,
      permission: input.permission,
      max_chats_count: input.max_chats_count,
      status: input.login_status,
      groups: await groupsByIds(trx, scope, input.groups ?? [GENERAL_GROUP.id]),
      createdAt: nowIso(),
      user_id: (await ensureUser(trx, scope, { email: login, name: input.name, role: 'agent' })).id,
    };
    await trx.insertInto('agents').values({ workspace_id: scope.workspaceId, login, password_hash: passwordHash, document: toDocument(agent), created_at: agent.createdAt }).execute();
    return agent;
  });
}

/**
 * Removes an agent; the open and pending tickets assigned to them become unassigned (after the
 * agent is gone, so trigger rules running on those tickets cannot hand them back). The agent's
 * user id stays, as an end user's: old tickets and rules still name it.
 */
export async function deleteAgent(db: Db, scope: Scope, login: string): Promise<DeletedAgent> {
  return inTransaction(db, async (trx) => {
    const agent = await agentByLogin(trx, scope, login);
    await trx.deleteFrom('agents').where('workspace_id', '=', scope.workspaceId).where('login', '=', agent.login).execute();
    await demoteAgent(trx, scope, agent.login);
    await unassignOpenTickets(trx, scope, agent.login);
    return { ...agent, deleted: true };
  });
}
