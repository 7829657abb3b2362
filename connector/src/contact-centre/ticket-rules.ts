import type { Agent, Group } from '../../../contract/index.js';
import { GENERAL_GROUP } from './essentials.js';
import { usersByIds } from './helpdesk-users.js';
import type { Scope } from './scope.js';
import { fromDocument } from '../storage/documents.js';
import { applyRuleView, ruleView, toTicket, type StoredTicket, type TicketDirectory } from './ticket-kf5.js';
import type { Db } from '../storage/db.js';
import { groupAgents, type CompiledRule } from '../rules/compile.js';
import { evaluate } from '../rules/engine.js';
import { queueNotifications, type QueuedNotification } from '../rules/notifications.js';
import { placeholderLookup, type PlaceholderData } from '../rules/placeholders.js';
import { activeRules } from '../rules/store.js';
import { activeTargets, sendToTarget } from '../rules/targets.js';
import { render, targetPayload } from '../rules/templates.js';
import type { Actor, Directory, FiredRule, NotificationIntent, TicketEventKind } from '../rules/types.js';

/** One change of a ticket, as the rules see it. */
export interface TicketChange {
  /** Before the change; null when the ticket is being created. */
  prev: StoredTicket | null;
  /** After the change as it was asked for. */
  next: StoredTicket;
  event: TicketEventKind;
  actor: Actor;
  /** The comment the change adds, if any. */
  comment: { public: boolean } | null;
}

export interface RulesOutcome {
  /** The ticket with what the rules changed: save this one. */
  ticket: StoredTicket;
  fired: FiredRule[];
}

interface AgentEntry {
  login: string;
  name: string;
  groupIds: number[];
}

/** Everything rules may look up, read once per change (only when the workspace has active rules). */
async function loadDirectory(trx: Db, scope: Scope, rules: readonly CompiledRule[]) {
  const [agentRows, groupRows] = await Promise.all([
    trx.selectFrom('agents').select('document').where('workspace_id', '=', scope.workspaceId).execute(),
    trx.selectFrom('agent_groups').select(['id', 'name']).where('workspace_id', '=', scope.workspaceId).execute(),
  ]);
  const agents = new Map<number, AgentEntry>();
  for (const row of agentRows) {
    const agent = fromDocument<Agent>(row.document);
    agents.set(agent.user_id, { login: agent.login, name: agent.name, groupIds: agent.groups.map((g) => g.id) });
  }
  const groups = new Map<number, Group>(groupRows.map((g) => [Number(g.id), { id: Number(g.id), name: g.name }]));
  const rotations = await lockRotations(trx, scope, [...new Set(rules.flatMap((r) => r.rotationGroups))]);
  const directory: Directory = {
    agents: new Map([...agents].map(([id, a]) => [id, a.groupIds])),
    groups: new Set(groups.keys()),
    rotations,
  };
  const ticketDirectory: TicketDirectory = { agentsById: agents, groupsById: groups };
  return { directory, ticketDirectory, agents, groups };
}

/**
 * The round-robin positions of these groups, locked for the rest of the transaction (an
 * UPDATE takes the rows' locks on PostgreSQL; the embedded database serialises writers), so two
 * tickets changed at once never both go to the same "next" agent. 0 means nobody yet.
 */
async function lockRotations(trx: Db, scope: Scope, groupIds: number[]): Promise<Map<number, number>> {
  if (groupIds.length === 0) return new Map();
  await trx
    .insertInto('trigger_rotations')
    .values(groupIds.map((group_id) => ({ workspace_id: scope.workspaceId, group_id, last_user_id: 0 })))
    .onConflict((oc) => oc.columns(['workspace_id', 'group_id']).doNothing())
    .execute();
  const rows = await trx
    .updateTable('trigger_rotations')
    .set((eb) => ({ last_user_id: eb.ref('last_user_id') }))
    .where('workspace_id', '=', scope.workspaceId)
    .where('group_id', 'in', groupIds)
    .returning(['group_id', 'last_user_id'])
    .execute();
  return new Map(rows.filter((r) => Number(r.last_user_id) > 0).map((r) => [Number(r.group_id), Number(r.last_user_id)]));
}

async function saveRotations(trx: Db, scope: Scope, rotations: Map<number, number>): Promise<void> {
  for (const [groupId, userId] of rotations) {
    await trx
      .updateTable('trigger_rotations')
      .set({ last_user_id: userId })
      .where('workspace_id', '=', scope.workspaceId)
      .where('group_id', '=', groupId)
      .execute();
  }
}

/**
 * Runs the workspace's active trigger rules on one ticket change, inside the caller's
 * transaction: the rules' changes are returned to be saved with the ticket, and their
 * notifications (emails, internal messages, webhook targets) are queued in the same
 * transaction, so a rolled-back change sends nothing.
 */
export async function runRules(trx: Db, scope: Scope, change: TicketChange): Promise<RulesOutcome> {
  const rules = await activeRules(trx, scope.workspaceId);
  if (rules.length === 0) return { ticket: change.next, fired: [] };
  const loaded = await loadDirectory(trx, scope, rules);
  const result = evaluate(
    change.prev ? ruleView(change.prev) : null,
    ruleView(change.next),
    { event: change.event, actor: change.actor, comment: change.comment, directory: loaded.directory },
    rules,
  );
  if (result.fired.length === 0) return { ticket: change.next, fired: [] };
  const ticket = applyRuleView(change.next, result.ticket, loaded.ticketDirectory);
  await saveRotations(trx, scope, result.rotations);
  if (result.notifications.length > 0) await notify(trx, scope, ticket, change.actor, result.notifications, loaded);
  return { ticket, fired: result.fired };
}

type Loaded = Awaited<ReturnType<typeof loadDirectory>>;

interface Recipient {
  userId: number;
}

/** Fills in the notifications against the final ticket, and queues them. */
async function notify(trx: Db, scope: Scope, stored: StoredTicket, actor: Actor, intents: NotificationIntent[], loaded: Loaded): Promise<void> {
  const ticket = toTicket(scope, stored);
  const actorId = actor.kind === 'system' ? null : actor.userId;
  const groupMembers = (groupId: number) => groupAgents(loaded.directory.agents, groupId).map((userId): Recipient => ({ userId }));
  const assignedGroup = stored.currentGroup.id === GENERAL_GROUP.id ? null : stored.currentGroup.id;

  /** Who a notification goes to, or why it goes nowhere. */
  const recipientsOf = (intent: NotificationIntent): Recipient[] | string => {
    const { value } = intent;
    const single = (id: number | null, why: string) => (id === null ? why : [{ userId: id }]);
    switch (value) {
      case '(current_user)':
        return single(actorId, `nobody to send to: the change was made by ${actor.name}, who has no user id`);
      case '(requester)':
        return single(stored.kf5.requester_id, 'the ticket has no requester');
      case '(assignee)':
        return single(stored.kf5.assignee_id, 'nobody to send to: the ticket has no assignee');
      case '(assigned_group)':
        return assignedGroup === null ? 'nobody to send to: the ticket is in no group (General)' : groupMembers(assignedGroup);
    }
    const id = Number(value);
    if (intent.action === 'email_group') return groupMembers(id);
    if (intent.action === 'message_user')
      return loaded.agents.has(id) ? [{ userId: id }] : loaded.groups.has(id) ? groupMembers(id) : `no agent or group ${id}`;
    return [{ userId: id }];
  };

  const workspace = await trx.selectFrom('workspaces').select('name').where('id', '=', scope.workspaceId).executeTakeFirst();
  const userIds = new Set<number>();
  if (actorId !== null) userIds.add(actorId);
  if (stored.kf5.assignee_id !== null) userIds.add(stored.kf5.assignee_id);
  const planned = intents.map((intent) => ({ intent, recipients: intent.action === 'target' ? [] : recipientsOf(intent) }));
  for (const { recipients } of planned) if (typeof recipients !== 'string') for (const r of recipients) userIds.add(r.userId);
  const users = await usersByIds(trx, scope, [...userIds]);

  const base: Omit<PlaceholderData, 'trigger'> = {
    ticket,
    account: { name: workspace?.name ?? '', url: scope.baseUrl },
    currentUser: { id: actorId, name: actor.name, email: actor.kind === 'system' ? null : actor.email },
    assigneeEmail: stored.kf5.assignee_id === null ? null : (users.get(stored.kf5.assignee_id)?.email ?? null),
  };

  const queued: QueuedNotification[] = [];
  const targetIds = intents.filter((i) => i.action === 'target').map((i) => Number(i.value));
  const targets = await activeTargets(trx, scope, targetIds);
  for (const { intent, recipients } of planned) {
    const lookup = placeholderLookup({ ...base, trigger: { id: intent.triggerId, title: intent.triggerTitle } });
    if (intent.action === 'target') {
      const subscriptionId = targets.get(Number(intent.value));
      if (subscriptionId) await sendToTarget(trx, scope.workspaceId, subscriptionId, targetPayload(intent.body, lookup).payload);
      continue;
    }
    const kind = intent.action === 'message_user' ? 'message' : 'email';
    const subject = kind === 'email' ? render(intent.subject ?? '[{{account.name}}] {{ticket.title}}', lookup) : null;
    const body = render(intent.body, lookup);
    const common = { ticketId: stored.id, triggerId: intent.triggerId, kind, action: intent.action, subject, body } as const;
    if (typeof recipients === 'string' || recipients.length === 0) {
      const why = typeof recipients === 'string' ? recipients : 'nobody to send to: the group has no agents';
      queued.push({ ...common, recipient: { userId: null, name: '', email: null }, undeliverable: why });
      continue;
    }
    for (const { userId } of recipients) {
      const user = users.get(userId);
      queued.push({
        ...common,
        recipient: { userId, name: user?.name ?? '', email: user?.email ?? null },
        ...(user ? {} : { undeliverable: `no user ${userId}` }),
      });
    }
  }
  await queueNotifications(trx, scope, queued, scope.sendsEmail ?? false);
}
