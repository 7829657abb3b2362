import type { z } from 'zod';
import type { Agent, CreateAgentBody, FindAgentQuery, Group } from '../../../contract/index.js';
import { conflict, notFound } from '../errors.js';
import type { Db } from '../storage/db.js';
import { GENERAL_GROUP } from './essentials.js';
import { ensureUser } from './helpdesk-users.js';
import { hashPassword } from './passwords.js';
import type { AgentGroupTable, AgentTable } from '../storage/schema.js';
import { readPage, type Keyset, type Page, type PageRequest } from './paging.js';
import type { Scope } from './scope.js';
import { fromDocument, nowIso, toDocument } from '../storage/documents.js';
import { inTransaction } from '../storage/transactions.js';

/** Logins are emails: compared and stored in lower case, so "Ava@x" and "ava@x" are one agent. */
const loginKey = (login: string) => login.trim().toLowerCase();

const groupOrder: Keyset<Pick<AgentGroupTable, 'id' | 'name'>> = {
  list: 'groups',
  columns: [{ column: 'id', direction: 'asc', toKey: (row) => Number(row.id) }],
};

/** Agent groups by id. */
export async function listGroups(db: Db, scope: Scope, page: PageRequest): Promise<Page<Group>> {
  const groups = db.selectFrom('agent_groups').select(['id', 'name']).where('workspace_id', '=', scope.workspaceId);
  return readPage(groups, groupOrder, page, { toItem: (row) => ({ id: Number(row.id), name: row.name }) });
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

const agentOrder: Keyset<Pick<AgentTable, 'document' | 'created_at' | 'login'>> = {
  list: 'agents',
  columns: [
    { column: 'created_at', direction: 'desc' },
    { column: 'login', direction: 'asc' },
  ],
};

/** The filters kept inside the agent's document: its name (whole or in part, any case), status, permission, group. */
function agentFilter(query: Partial<z.output<typeof FindAgentQuery>>): ((agent: Agent) => boolean) | undefined {
  const name = query.name?.trim().toLowerCase();
  const checks = [
    name ? (agent: Agent) => agent.name.toLowerCase().includes(name) : null,
    query.status ? (agent: Agent) => agent.status === query.status : null,
    query.permission ? (agent: Agent) => agent.permission === query.permission : null,
    query.groupId !== undefined ? (agent: Agent) => agent.groups.some((g) => g.id === query.groupId) : null,
  ].filter((check) => check !== null);
  return checks.length > 0 ? (agent) => checks.every((check) => check(agent)) : undefined;
}

/** Agents, newest first, a page at a time; with no filter, every agent (the agent dropdown). */
export async function listAgents(db: Db, scope: Scope, query: Partial<z.output<typeof FindAgentQuery>>, page: PageRequest): Promise<Page<Agent>> {
  let select = db.selectFrom('agents').select(['document', 'created_at', 'login']).where('workspace_id', '=', scope.workspaceId);
  if (query.login) select = select.where('login', '=', loginKey(query.login));
  return readPage(select, agentOrder, page, { toItem: (row) => fromDocument<Agent>(row.document), keep: agentFilter(query) });
}

export async function agentByLogin(db: Db, scope: Scope, login: string): Promise<Agent> {
  const row = await db
    .selectFrom('agents')
    .select('document')
    .where('workspace_id', '=', scope.workspaceId)
    .where('login', '=', loginKey(login))
    .executeTakeFirst();
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
    await trx
      .insertInto('agents')
      .values({ workspace_id: scope.workspaceId, login, password_hash: passwordHash, document: toDocument(agent), created_at: agent.createdAt })
      .execute();
    return agent;
  });
}
