import { kf5PriorityNames, kf5StatusNames, kf5TypeNames, type Group, type Kf5TicketFields, type Ticket } from '../../../contract/index.js';
import type { RuleTicket } from '../rules/types.js';
import { GENERAL_GROUP } from './essentials.js';
import { linkTo, type Scope } from './scope.js';

/**
 * The KF5 side of a ticket. LiveChat's ticket and KF5's are one record: the LiveChat keys stay
 * as they were, and `kf5` holds what KF5 adds. Where both name the same thing, one is the truth
 * and the other follows:
 *
 * | LiveChat | KF5 |
 * | --- | --- |
 * | `status` open / pending / solved / spam | `kf5.status` 0 new, 1 open / 2 pending / 3 solved, 4 closed |
 * | `currentGroup` (General is group 0) | `group_id` (General is empty, `(-)`) |
 * | `assignee` {id: login, name} | `assignee_id` (the agent's user id) |
 * | `tags` | `tags` |
 * | first event's message | `description` |
 *
 * Statuses: KF5's number is kept, LiveChat's status follows it (0 and 1 → open, 2 → pending,
 * 3 → solved, 4 → solved, or spam when the ticket was marked spam). Setting LiveChat's status
 * sets KF5's: open → 1 (a new ticket stays 0), pending → 2, solved → 3, spam → 4 (spam is
 * closed: nothing more happens on it).
 */

/** What the document stores under `kf5`; names, the group and the description are derived. */
export interface StoredKf5 {
  status: number;
  type_id: number | null;
  priority: number | null;
  requester_id: number;
  assignee_id: number | null;
  source: Kf5TicketFields['source'];
  recipient: string | null;
  score: number | null;
  organization_id: number | null;
  language: Kf5TicketFields['language'];
  fields: Record<string, string>;
  ccs: number[];
  push_count: number;
}

/** A ticket as stored: the contract's Ticket without its link, with the stored KF5 part. */
export type StoredTicket = Omit<Ticket, 'link' | 'kf5'> & { kf5: StoredKf5 };

export type LiveChatStatus = Ticket['status'];

/** LiveChat's status for a KF5 status; `current` keeps spam on a closed ticket. */
export function liveChatStatusFor(kf5Status: number, current: LiveChatStatus): LiveChatStatus {
  if (kf5Status <= 1) return 'open';
  if (kf5Status === 2) return 'pending';
  if (kf5Status === 4 && current === 'spam') return 'spam';
  return 'solved';
}

/** KF5's status once LiveChat's is set to `status`; `current` keeps a new ticket new. */
export function kf5StatusFor(status: LiveChatStatus, current: number): number {
  switch (status) {
    case 'open':
      return Math.min(current, 1);
    case 'pending':
      return 2;
    case 'solved':
      return current === 4 ? 4 : 3;
    case 'spam':
      return 4;
  }
}

/** KF5's channel for a LiveChat source type (a request may name another). */
export function channelFor(sourceType: Ticket['source']['type']): Kf5TicketFields['source'] {
  switch (sourceType) {
    case 'mail':
      return 'email';
    case 'lc2':
    case 'chat-window':
      return 'chat';
    case 'facebook':
      return 'weibo'; // KF5's one social-network channel
    case 'agent-app-manual':
      return 'api';
  }
}

/** The General group (0) is KF5's empty group. */
export const kf5GroupId = (group: Group): number | null => (group.id === GENERAL_GROUP.id ? null : group.id);

const nameOf = <T extends readonly string[]>(names: T, index: number | null): T[number] | null => (index === null ? null : (names[index] ?? null));

export function kf5Fields(stored: StoredTicket): Kf5TicketFields {
  const k = stored.kf5;
  return {
    status: k.status,
    status_name: kf5StatusNames[k.status] ?? 'open',
    type_id: k.type_id,
    type_name: nameOf(kf5TypeNames, k.type_id),
    priority: k.priority,
    priority_name: nameOf(kf5PriorityNames, k.priority),
    group_id: kf5GroupId(stored.currentGroup),
    requester_id: k.requester_id,
    assignee_id: k.assignee_id,
    source: k.source,
    recipient: k.recipient,
    score: k.score,
    description: stored.events[0]?.message ?? '',
    organization_id: k.organization_id,
    language: k.language,
    fields: k.fields,
    ccs: k.ccs,
    push_count: k.push_count,
  };
}

export const toTicket = (scope: Scope, stored: StoredTicket): Ticket => ({ ...stored, link: linkTo(scope, 'tickets', stored.id), kf5: kf5Fields(stored) });

/** The ticket as rules see it. */
export function ruleView(stored: StoredTicket): RuleTicket {
  const k = stored.kf5;
  return {
    status: k.status,
    type_id: k.type_id,
    priority: k.priority,
    group_id: kf5GroupId(stored.currentGroup),
    requester_id: k.requester_id,
    assignee_id: k.assignee_id,
    source: k.source,
    recipient: k.recipient,
    score: k.score,
    tags: stored.tags,
    description: stored.events[0]?.message ?? '',
    organization: k.organization_id,
    language: k.language,
    fields: k.fields,
    ccs: k.ccs,
  };
}

/** Who an assignee user id is, and which group a group id is: what applying a rule's result needs. */
export interface TicketDirectory {
  agentsById: ReadonlyMap<number, { login: string; name: string }>;
  groupsById: ReadonlyMap<number, Group>;
}

/**
 * Writes what rules changed back into the stored ticket, keeping the LiveChat keys in step.
 * Rules only pick agents and groups that exist (the engine checks the directory).
 */
export function applyRuleView(stored: StoredTicket, view: RuleTicket, directory: TicketDirectory): StoredTicket {
  const next: StoredTicket = { ...stored, kf5: { ...stored.kf5 } };
  if (view.status !== stored.kf5.status) {
    next.kf5.status = view.status;
    next.status = liveChatStatusFor(view.status, stored.status);
  }
  next.kf5.type_id = view.type_id;
  next.kf5.priority = view.priority;
  next.kf5.score = view.score;
  next.kf5.fields = { ...view.fields };
  next.kf5.ccs = [...view.ccs];
  next.tags = [...view.tags];
  if (view.group_id !== kf5GroupId(stored.currentGroup)) {
    const group = view.group_id === null ? GENERAL_GROUP : directory.groupsById.get(view.group_id);
    if (group) {
      next.currentGroup = { id: group.id, name: group.name };
      if (!next.groups.some((g) => g.id === group.id)) next.groups = [...next.groups, next.currentGroup];
    }
  }
  if (view.assignee_id !== stored.kf5.assignee_id) {
    const agent = view.assignee_id === null ? null : directory.agentsById.get(view.assignee_id);
    if (view.assignee_id === null || agent) {
      next.kf5.assignee_id = view.assignee_id;
      next.assignee = agent ? { id: agent.login, name: agent.name } : null;
    }
  }
  return next;
}
