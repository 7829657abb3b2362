import { sql } from 'kysely';
import { DIRECTORY_ORGANIZATIONS, DIRECTORY_REQUESTERS, type Agent, type HelpdeskDirectory } from '../../../contract/index.js';
import type { Db } from '../storage/db.js';
import { fromDocument } from '../storage/documents.js';
import type { Scope } from './scope.js';

/**
 * What KF5 rules name by number, with names, so the rule editor offers them instead of asking
 * for ids: the groups (with how many agents each has), the agents and the newest requesters by
 * user id, and the organisation ids users belong to (the connector keeps no organisation names).
 * The users are the ones rules are checked against (store.ts referenceProblems).
 */
export async function helpdeskDirectory(db: Db, scope: Scope): Promise<HelpdeskDirectory> {
  const users = () => db.selectFrom('helpdesk_users').where('workspace_id', '=', scope.workspaceId);
  const [groupRows, agentDocuments, agents, requesters, requesterCount, organizations, organizationCount] = await Promise.all([
    db.selectFrom('agent_groups').select(['id', 'name']).where('workspace_id', '=', scope.workspaceId).orderBy('id').execute(),
    db.selectFrom('agents').select('document').where('workspace_id', '=', scope.workspaceId).execute(),
    users().select(['id', 'name', 'email']).where('role', '=', 'agent').execute(),
    users().select(['id', 'name', 'email']).where('role', '=', 'enduser').orderBy('id', 'desc').limit(DIRECTORY_REQUESTERS).execute(),
    users()
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('role', '=', 'enduser')
      .executeTakeFirstOrThrow(),
    users()
      .select((eb) => ['organization_id', eb.fn.countAll<number | string>().as('users')])
      .where('organization_id', 'is not', null)
      .groupBy('organization_id')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('organization_id')
      .limit(DIRECTORY_ORGANIZATIONS)
      .execute(),
    users().select(sql<number | string>`count(distinct organization_id)`.as('count')).executeTakeFirstOrThrow(),
  ]);

  const agentsPerGroup = new Map<number, number>();
  for (const { document } of agentDocuments) {
    for (const group of fromDocument<Agent>(document).groups) agentsPerGroup.set(group.id, (agentsPerGroup.get(group.id) ?? 0) + 1);
  }
  const person = (u: { id: number; name: string; email: string }) => ({ id: Number(u.id), name: u.name, email: u.email });
  return {
    groups: groupRows.map((g) => ({ id: Number(g.id), name: g.name, agents: agentsPerGroup.get(Number(g.id)) ?? 0 })),
    // By name as people read it (the databases' collations differ), then by id.
    agents: agents.map(person).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id),
    requesters: requesters.map(person),
    requestersTotal: Number(requesterCount.count),
    organizations: organizations.map((o) => ({ id: Number(o.organization_id), users: Number(o.users) })),
    organizationsTotal: Number(organizationCount.count),
  };
}
