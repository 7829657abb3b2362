/**
 * The rule engine's own view of the world: plain data, no database. `evaluate` (engine.ts)
 * takes a ticket before and after a change, who made it, and the compiled rules, and answers
 * what fired, the ticket as the rules left it, and the notifications to send.
 */

/** A ticket as KF5 rules see it: every field of the seed's condition and action tables. */
export interface RuleTicket {
  /** 0 new, 1 open, 2 pending, 3 solved, 4 closed. */
  status: number;
  type_id: number | null;
  priority: number | null;
  /** null: no group (the General group). */
  group_id: number | null;
  requester_id: number;
  assignee_id: number | null;
  /** KF5 channel: web, tab, chat, weibo, api, mobile, email, voicemail, inbound, outbound. */
  source: string;
  recipient: string | null;
  score: number | null;
  tags: readonly string[];
  description: string;
  organization: number | null;
  language: string | null;
  /** Custom fields by key ("field_757"); an absent key is empty. */
  fields: Readonly<Record<string, string>>;
  ccs: readonly number[];
}

/**
 * Who made the change: "the current user" of KF5 rules.
 * - an agent: a person (with a user id and groups), or an agent acting through the API with no
 *   person behind it (a Zapier account: `userId` null, no groups);
 * - an end user: the requester, for changes that come from the customer (a new ticket, their
 *   reply, a push);
 * - the system: the connector itself (e.g. unassigning the tickets of a deleted agent).
 */
export type Actor =
  | { kind: 'agent'; userId: number | null; name: string; email: string | null; groupIds: readonly number[] }
  | { kind: 'enduser'; userId: number; name: string; email: string | null }
  | { kind: 'system'; name: string };

export type TicketEventKind = 'created' | 'updated' | 'pushed';

/** What rules may look up besides the ticket: who the agents are, which groups exist, round-robin positions. */
export interface Directory {
  /** Every agent by user id, with the ids of their groups (0 is the General group). */
  agents: ReadonlyMap<number, readonly number[]>;
  /** Every group id (0 is the General group). */
  groups: ReadonlySet<number>;
  /** inturn_assign: the user id last assigned in each group. */
  rotations: ReadonlyMap<number, number>;
}

export interface RuleContext {
  event: TicketEventKind;
  actor: Actor;
  /** The comment this change adds, if any (comment_is_public). */
  comment: { public: boolean } | null;
  directory: Directory;
}

export type NotificationAction = 'email_user' | 'email_group' | 'message_user' | 'target';

/** A notification a fired rule asked for; recipients and placeholders are resolved against the final ticket. */
export interface NotificationIntent {
  triggerId: number;
  triggerTitle: string;
  action: NotificationAction;
  /** The action's value: "(requester)", "1315", "(assigned_group)", a target id, ... */
  value: string;
  subject: string | null;
  body: string;
}

export interface FiredRule {
  id: number;
  title: string;
}

export interface Evaluation {
  /** The ticket after every fired rule's actions (the input object itself when nothing fired). */
  ticket: RuleTicket;
  /** In the order they fired. */
  fired: FiredRule[];
  notifications: NotificationIntent[];
  /** inturn_assign positions that moved: group id → user id assigned. */
  rotations: Map<number, number>;
  /** Set when the rules did not run at all. */
  skipped?: 'closed';
}
