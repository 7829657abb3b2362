import { isEmptyValue, splitTags, tableRowOf, type TriggerAction, type TriggerCondition } from '../../../contract/trigger-rules.js';
import { DEFAULT_NOTIFICATION_BODY } from './templates.js';
import type { Actor, Directory, NotificationAction, NotificationIntent, RuleContext, RuleTicket } from './types.js';

/**
 * Turns stored triggers into closures, once: every condition becomes a predicate with its
 * value already parsed, every action a function. Evaluating a ticket then does no parsing,
 * no lookups by name and no allocation unless a rule fires.
 */

/** What a compiled predicate sees: the ticket now, before the change (null when created), and the change's context. */
export interface RuleState {
  cur: RuleTicket;
  prev: RuleTicket | null;
  ctx: RuleContext;
  /** Lower-cased description of `cur`, computed on first use. */
  lowerDescription?: string;
}

export type Predicate = (state: RuleState) => boolean;

/** Changes an action makes: to the ticket draft, the round-robin positions, the notifications. */
export interface ActionEffects {
  ticket: MutableTicket;
  ctx: RuleContext;
  rotations: Map<number, number>;
  notifications: NotificationIntent[];
}

/** The engine's working copy of a ticket, which actions change. */
export interface MutableTicket extends Omit<RuleTicket, 'tags' | 'fields' | 'ccs'> {
  tags: string[];
  fields: Record<string, string>;
  ccs: number[];
}

export type CompiledAction = (effects: ActionEffects) => void;

export interface RuleDefinition {
  id: number;
  title: string;
  conditions: { all: readonly TriggerCondition[]; any: readonly TriggerCondition[] };
  actions: readonly TriggerAction[];
}

export interface CompiledRule {
  id: number;
  title: string;
  matches: Predicate;
  actions: CompiledAction[];
  /** Groups its inturn_assign actions take turns in: their positions are locked while it may run. */
  rotationGroups: number[];
  /** The ticket fields its conditions read (FIELD bits): a rule that did not match need not be tried again until one of them changes. */
  reads: number;
  /** The ticket fields its actions may change. */
  writes: number;
}

/**
 * Ticket fields as bits, for telling which rules an action can affect. What a condition reads
 * from the change's context (the event, who made it, the comment) never changes during a run.
 */
export const FIELD = {
  status: 1 << 0,
  type_id: 1 << 1,
  priority: 1 << 2,
  group_id: 1 << 3,
  requester_id: 1 << 4,
  assignee_id: 1 << 5,
  source: 1 << 6,
  recipient: 1 << 7,
  score: 1 << 8,
  tags: 1 << 9,
  description: 1 << 10,
  organization: 1 << 11,
  '{language}': 1 << 12,
  fields: 1 << 13,
  ccs: 1 << 14,
} as const;

const fieldBit = (source: string): number => {
  const row = tableRowOf(source);
  if (row === 'field_<n>') return FIELD.fields;
  return (FIELD as Record<string, number>)[row] ?? 0;
};

const writeBits = (action: TriggerAction): number => {
  const row = tableRowOf(action.source);
  if (row === 'inturn_assign') return FIELD.assignee_id | FIELD.group_id;
  if (row === 'field_<n>') return FIELD.fields;
  return (FIELD as Record<string, number>)[row] ?? 0; // notifications write nothing
};

/** The contract's limits on a ticket's tags and copies. */
const MAX_TAGS = 50;
const MAX_CCS = 50;

/**
 * Conditions are pure, so `all` and `any` may be checked in any order: the cheap ones that
 * depend only on the change (`{ticket}`, `{current_user}`, the comment) first, text searches last.
 */
const CONTEXT_ONLY = new Set(['{ticket}', '{current_user}', 'comment_is_public']);
const costOf = (c: TriggerCondition) => (CONTEXT_ONLY.has(c.source) ? 0 : c.source === 'tags' || c.source === 'description' ? 2 : 1);
const cheapFirst = (conditions: readonly TriggerCondition[]) => [...conditions].sort((a, b) => costOf(a) - costOf(b));

export function compileRule(rule: RuleDefinition): CompiledRule {
  const all = cheapFirst(rule.conditions.all).map(compileCondition);
  const any = cheapFirst(rule.conditions.any).map(compileCondition);
  return {
    id: rule.id,
    title: rule.title,
    matches: combine(all, any),
    actions: rule.actions.map((action) => compileAction(rule, action)),
    rotationGroups: rule.actions.filter((a) => a.source === 'inturn_assign').map((a) => Number(a.value)),
    reads: [...rule.conditions.all, ...rule.conditions.any].reduce((bits, c) => bits | fieldBit(c.source), 0),
    writes: rule.actions.reduce((bits, a) => bits | writeBits(a), 0),
  };
}

function combine(all: Predicate[], any: Predicate[]): Predicate {
  const allCount = all.length;
  const anyCount = any.length;
  return (state) => {
    for (let i = 0; i < allCount; i++) if (!all[i]!(state)) return false;
    if (anyCount === 0) return true;
    for (let i = 0; i < anyCount; i++) if (any[i]!(state)) return true;
    return false;
  };
}

// ---- conditions ----

type Scalar = number | string | null;
type Getter = (ticket: RuleTicket) => Scalar;

/** A ticket field's value as the condition compares it. */
const getters: Record<string, Getter> = {
  status: (t) => t.status,
  type_id: (t) => t.type_id,
  priority: (t) => t.priority,
  group_id: (t) => t.group_id,
  requester_id: (t) => t.requester_id,
  assignee_id: (t) => t.assignee_id,
  source: (t) => t.source,
  recipient: (t) => (t.recipient === null ? null : t.recipient.toLowerCase()),
  score: (t) => t.score,
  organization: (t) => t.organization,
  '{language}': (t) => t.language,
};

const NUMERIC = new Set(['status', 'type_id', 'priority', 'group_id', 'requester_id', 'assignee_id', 'score', 'organization']);

/**
 * "Is this value the one the condition names?" for a field value. The special values depend
 * on who made the change: `(current_user)` is the actor's user id (nothing, for the system or
 * an agent acting through the API), `(current_groups)` any of the actor's groups.
 */
type ValueTest = (value: Scalar, ctx: RuleContext) => boolean;

const actorUserId = (actor: Actor): number | null => (actor.kind === 'system' ? null : actor.userId);
const actorGroups = (actor: Actor): readonly number[] => (actor.kind === 'agent' ? actor.groupIds : []);
/** The General group (0) is KF5's empty group: rules see it as null. */
const groupOf = (id: number): number | null => (id === 0 ? null : id);

function valueTest(source: string, raw: string): ValueTest {
  if (isEmptyValue(raw)) return (value) => value === null;
  if (raw === '(current_user)') {
    return (value, ctx) => {
      const id = actorUserId(ctx.actor);
      return id !== null && value === id;
    };
  }
  if (raw === '(current_groups)') {
    return (value, ctx) => {
      const groups = actorGroups(ctx.actor);
      return groups.some((g) => groupOf(g) === value);
    };
  }
  if (source === 'group_id') {
    const wanted = groupOf(Number(raw));
    return (value) => value === wanted;
  }
  if (NUMERIC.has(source)) {
    const wanted = Number(raw);
    return (value) => value === wanted;
  }
  if (source === 'recipient') {
    const wanted = raw.trim().toLowerCase();
    return (value) => value === wanted;
  }
  return (value) => value === raw;
}

/** Empty ranks below every value: `priority less_than 0` holds for a ticket without priority. */
const rank = (value: Scalar): number => (value === null ? -1 : Number(value));

function compileFieldCondition(get: Getter, operator: string, test: ValueTest, raw: string): Predicate {
  const changed = (s: RuleState) => (s.prev === null ? null : get(s.prev)) !== get(s.cur);
  switch (operator) {
    case 'is':
      return (s) => test(get(s.cur), s.ctx);
    case 'is_not':
      return (s) => !test(get(s.cur), s.ctx);
    case 'less_than': {
      const bound = rank(isEmptyValue(raw) ? null : Number(raw));
      return (s) => rank(get(s.cur)) < bound;
    }
    case 'greater_than': {
      const bound = rank(isEmptyValue(raw) ? null : Number(raw));
      return (s) => rank(get(s.cur)) > bound;
    }
    case 'changed':
      return changed;
    case 'changed_to':
      return (s) => changed(s) && test(get(s.cur), s.ctx);
    case 'changed_from':
      return (s) => changed(s) && test(s.prev === null ? null : get(s.prev), s.ctx);
    case 'not_changed':
      return (s) => !changed(s);
    case 'not_changed_to':
      return (s) => !(changed(s) && test(get(s.cur), s.ctx));
    case 'not_changed_from':
      return (s) => !(changed(s) && test(s.prev === null ? null : get(s.prev), s.ctx));
  }
  throw new Error(`unknown operator ${operator}`);
}

export function compileCondition(condition: TriggerCondition): Predicate {
  const { source, operator, value } = condition;
  const row = tableRowOf(source);
  switch (row) {
    case 'tags': {
      const wanted = new Set(splitTags(value).map((t) => t.toLowerCase()));
      const hasOne = (s: RuleState) => s.cur.tags.some((t) => wanted.has(t.toLowerCase()));
      return operator === 'contain_at_least_one' ? hasOne : (s) => !hasOne(s);
    }
    case 'description': {
      const wanted = value.toLowerCase();
      const contains = (s: RuleState) => {
        s.lowerDescription ??= s.cur.description.toLowerCase();
        return s.lowerDescription.includes(wanted);
      };
      return operator === 'contain' ? contains : (s) => !contains(s);
    }
    case 'comment_is_public': {
      const wantPublic = value === '1';
      return (s) => s.ctx.comment !== null && s.ctx.comment.public === wantPublic;
    }
    case '{ticket}':
      return (s) => s.ctx.event === value;
    case '{current_user}': {
      if (value === 'agent' || value === 'enduser') return (s) => s.ctx.actor.kind === value;
      const id = Number(value);
      return (s) => actorUserId(s.ctx.actor) === id;
    }
    case 'field_<n>': {
      const get: Getter = (t) => t.fields[source] ?? null;
      return compileFieldCondition(get, operator, valueTest(source, value), value);
    }
  }
  const get = getters[row];
  if (!get) throw new Error(`unknown condition source ${source}`);
  return compileFieldCondition(get, operator, valueTest(row, value), value);
}

// ---- actions ----

// Every spelling of empty counts as empty, also in rules stored before `(-)` became their one stored form.
const orNull = (raw: string): number | null => (isEmptyValue(raw) ? null : Number(raw));

function addTags(ticket: MutableTicket, tags: readonly string[]): void {
  for (const tag of tags) {
    if (ticket.tags.length >= MAX_TAGS) return;
    const lower = tag.toLowerCase();
    if (!ticket.tags.some((t) => t.toLowerCase() === lower)) ticket.tags.push(tag);
  }
}

function addCc(ticket: MutableTicket, userId: number | null): void {
  if (userId === null || ticket.ccs.includes(userId) || ticket.ccs.length >= MAX_CCS) return;
  ticket.ccs.push(userId);
}

/** The agents of a group (0: General), by user id: inturn_assign takes them in this order. */
export function groupAgents(agents: ReadonlyMap<number, readonly number[]>, groupId: number): number[] {
  const members: number[] = [];
  for (const [userId, groups] of agents) if (groups.includes(groupId)) members.push(userId);
  return members.sort((a, b) => a - b);
}

/** groupAgents, worked out once per directory (a directory does not change while rules run on it). */
const membersByDirectory = new WeakMap<Directory['agents'], Map<number, number[]>>();
function membersOf(agents: Directory['agents'], groupId: number): number[] {
  let byGroup = membersByDirectory.get(agents);
  if (!byGroup) {
    byGroup = new Map();
    membersByDirectory.set(agents, byGroup);
  }
  let members = byGroup.get(groupId);
  if (!members) {
    members = groupAgents(agents, groupId);
    byGroup.set(groupId, members);
  }
  return members;
}

export function compileAction(rule: Pick<RuleDefinition, 'id' | 'title'>, action: TriggerAction): CompiledAction {
  const { source, value } = action;
  const row = tableRowOf(source);
  switch (row) {
    case 'status': {
      const status = Number(value);
      return ({ ticket }) => {
        ticket.status = status;
      };
    }
    case 'type_id': {
      const type = orNull(value);
      return ({ ticket }) => {
        ticket.type_id = type;
      };
    }
    case 'priority': {
      const priority = orNull(value);
      return ({ ticket }) => {
        ticket.priority = priority;
      };
    }
    case 'score': {
      const score = orNull(value);
      return ({ ticket }) => {
        ticket.score = score;
      };
    }
    case 'group_id': {
      if (isEmptyValue(value) || value === '0')
        return ({ ticket }) => {
          ticket.group_id = null;
        };
      if (value === '(current_groups)') {
        // The ticket stays in its group if that is one of the actor's; otherwise the actor's first group.
        return ({ ticket, ctx }) => {
          const groups = actorGroups(ctx.actor);
          if (groups.length === 0 || groups.some((g) => groupOf(g) === ticket.group_id)) return;
          ticket.group_id = groupOf(groups[0]!);
        };
      }
      const group = Number(value);
      return ({ ticket, ctx }) => {
        if (ctx.directory.groups.has(group)) ticket.group_id = groupOf(group);
      };
    }
    case 'assignee_id': {
      if (isEmptyValue(value))
        return ({ ticket }) => {
          ticket.assignee_id = null;
        };
      if (value === '(current_user)') {
        return ({ ticket, ctx }) => {
          const id = ctx.actor.kind === 'agent' ? ctx.actor.userId : null;
          if (id !== null && ctx.directory.agents.has(id)) ticket.assignee_id = id;
        };
      }
      const agent = Number(value);
      return ({ ticket, ctx }) => {
        if (ctx.directory.agents.has(agent)) ticket.assignee_id = agent;
      };
    }
    case 'inturn_assign': {
      const group = Number(value);
      return ({ ticket, ctx, rotations }) => {
        const members = membersOf(ctx.directory.agents, group);
        if (members.length === 0) return;
        const last = rotations.get(group) ?? ctx.directory.rotations.get(group);
        const next = (last === undefined ? undefined : members.find((id) => id > last)) ?? members[0]!;
        ticket.assignee_id = next;
        ticket.group_id = groupOf(group);
        rotations.set(group, next);
      };
    }
    case 'tags': {
      const tags = splitTags(value);
      return ({ ticket }) => addTags(ticket, tags);
    }
    case 'ccs': {
      if (value === '(assignee)') return ({ ticket }) => addCc(ticket, ticket.assignee_id);
      const user = Number(value);
      return ({ ticket }) => addCc(ticket, user);
    }
    case 'field_<n>': {
      if (isEmptyValue(value)) return ({ ticket }) => void delete ticket.fields[source];
      return ({ ticket }) => {
        ticket.fields[source] = value;
      };
    }
    case 'email_user':
    case 'email_group':
    case 'message_user':
    case 'target': {
      const intent: NotificationIntent = {
        triggerId: rule.id,
        triggerTitle: rule.title,
        action: row as NotificationAction,
        value,
        subject: row === 'email_user' || row === 'email_group' ? action.subject : null,
        body: action.body?.trim() ? action.body : DEFAULT_NOTIFICATION_BODY,
      };
      return ({ notifications }) => void notifications.push(intent);
    }
  }
  throw new Error(`unknown action ${source}`);
}
