import type { Selectable } from 'kysely';
import type { z } from 'zod';
import {
  actionSpec,
  canonicalValue,
  conditionSpec,
  tableRowOf,
  valuelessOperators,
  type ConditionOperator,
  type ValueSpec,
  type CreateTriggerBody,
  type RuleProblem,
  type Trigger,
  type TriggerAction,
  type TriggerCondition,
  type UpdateTriggerBody,
} from '../../../contract/index.js';
import { inTransaction, nextInSequence } from '../storage/transactions.js';
import { ApiFailure, notFound } from '../errors.js';
import type { Db } from '../storage/db.js';
import type { TriggerTable } from '../storage/schema.js';
import { compileRule, type CompiledRule } from './compile.js';
import { isJsonBody, targetPayload } from './templates.js';
import { sampleLookup } from './placeholders.js';

type TriggerRow = Selectable<TriggerTable>;
/** Whose rules (one workspace, never another's), and the base of the links in them. */
export interface RuleScope {
  workspaceId: string;
  /** PUBLIC_BASE_URL, without a trailing slash. */
  baseUrl: string;
}

/** KF5 writes times as "2016-05-10 14:02:39" (here in UTC). */
export const kf5Time = (iso: string) => iso.slice(0, 19).replace('T', ' ');

export function toTrigger(scope: RuleScope, row: TriggerRow): Trigger {
  const id = Number(row.id);
  return {
    id,
    url: `${scope.baseUrl}/apiv2/triggers/${id}.json`,
    title: row.title,
    status: Number(row.active) === 1,
    sort: Number(row.sort),
    created_at: kf5Time(row.created_at),
    updated_at: kf5Time(row.updated_at),
    conditions: JSON.parse(row.conditions) as Trigger['conditions'],
    actions: JSON.parse(row.actions) as Trigger['actions'],
  };
}

/** Sort descending, then id ascending: the order KF5 lists them in, and the order they run. */
const ordered = <T extends { orderBy: (column: 'sort' | 'id', direction: 'asc' | 'desc') => T }>(query: T) =>
  query.orderBy('sort', 'desc').orderBy('id', 'asc');

export async function listRules(db: Db, scope: RuleScope, options: { activeOnly?: boolean } = {}): Promise<Trigger[]> {
  let query = db.selectFrom('triggers').selectAll().where('workspace_id', '=', scope.workspaceId);
  if (options.activeOnly) query = query.where('active', '=', 1);
  const rows = await ordered(query).execute();
  return rows.map((row) => toTrigger(scope, row));
}

/** Trigger ids are numbers; anything else is simply not found. */
const triggerId = (id: string | number) => (/^[0-9]{1,10}$/.test(String(id)) ? Number(id) : null);

async function triggerRow(db: Db, scope: RuleScope, id: string | number): Promise<TriggerRow> {
  const number = triggerId(id);
  const row =
    number === null
      ? undefined
      : await db.selectFrom('triggers').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', number).executeTakeFirst();
  if (!row) throw notFound('trigger', String(id));
  return row;
}

export async function getRule(db: Db, scope: RuleScope, id: string | number): Promise<Trigger> {
  return toTrigger(scope, await triggerRow(db, scope, id));
}

type ConditionInput = { source: string; operator: string; value?: string | number | null };
type ActionInput = { source: string; value?: string | number | null; subject?: string | null; body?: string | null };

const text = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value).trim());

/** The empty value's one stored form, `(-)`, for every spelling of it (`(空)`, `""`); other values as sent. */
const storedValue = (spec: { values: ValueSpec } | undefined, value: string) => (spec ? canonicalValue(spec.values, value) : value);

/** Stored as KF5 shows them: every value a string, empty as `(-)`, subject and body null when not used. */
const normalCondition = (c: ConditionInput): TriggerCondition => ({
  source: c.source,
  operator: c.operator,
  value: valuelessOperators.includes(c.operator as ConditionOperator) ? text(c.value) : storedValue(conditionSpec(c.source), text(c.value)),
});
const normalAction = (a: ActionInput): TriggerAction => ({
  source: a.source,
  value: storedValue(actionSpec(a.source), text(a.value)),
  subject: a.subject ? a.subject : null,
  body: a.body ? a.body : null,
});

/** `["conditions", "all", 1, "operator"]` → `conditions.all[1].operator`. */
export const rulePath = (path: readonly (string | number | symbol)[]) =>
  path.reduce<string>(
    (out, part) => (typeof part === 'number' || /^[0-9]+$/.test(String(part)) ? `${out}[${String(part)}]` : out ? `${out}.${String(part)}` : String(part)),
    '',
  );

export function invalidRule(problems: RuleProblem[] | { field: string; message: string }[]): ApiFailure {
  const details = problems.map((p) => ('path' in p ? { field: rulePath(p.path), message: p.message } : p));
  return new ApiFailure(422, 'validation_failed', `The trigger is not valid: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}.`, details);
}

/**
 * What the tables cannot know: that the agents, groups, users and targets an action names
 * exist in this workspace, and that a JSON target body stays JSON once its placeholders are
 * filled in. Conditions may name anything (a rule about group 219 is fine before it exists).
 */
async function referenceProblems(db: Db, scope: RuleScope, actions: readonly TriggerAction[]): Promise<RuleProblem[]> {
  const numeric = (a: TriggerAction) => /^[0-9]+$/.test(a.value);
  const wanted = { users: new Set<number>(), groups: new Set<number>(), targets: new Set<number>() };
  for (const action of actions) {
    if (!numeric(action)) continue;
    const kind = actionSpec(action.source)?.values.id;
    const id = Number(action.value);
    if (kind === 'group') wanted.groups.add(id);
    else if (kind === 'user') wanted.users.add(id);
    else if (kind === 'user_or_group') {
      wanted.users.add(id);
      wanted.groups.add(id);
    } else if (kind === 'target') wanted.targets.add(id);
  }
  const [users, groups, targets] = await Promise.all([
    wanted.users.size === 0
      ? []
      : db
          .selectFrom('helpdesk_users')
          .select(['id', 'role'])
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', 'in', [...wanted.users])
          .execute(),
    wanted.groups.size === 0
      ? []
      : db
          .selectFrom('agent_groups')
          .select('id')
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', 'in', [...wanted.groups])
          .execute(),
    wanted.targets.size === 0
      ? []
      : db
          .selectFrom('trigger_targets')
          .select('id')
          .where('workspace_id', '=', scope.workspaceId)
          .where('id', 'in', [...wanted.targets])
          .where('deleted_at', 'is', null)
          .execute(),
  ]);
  const agentIds = new Set(users.filter((u) => u.role === 'agent').map((u) => Number(u.id)));
  const userIds = new Set(users.map((u) => Number(u.id)));
  const groupIds = new Set(groups.map((g) => Number(g.id)));
  const targetIds = new Set(targets.map((t) => Number(t.id)));

  const problems: RuleProblem[] = [];
  actions.forEach((action, i) => {
    const at = ['actions', i, 'value'];
    const row = tableRowOf(action.source);
    if (row === 'target' && action.body && isJsonBody(action.body)) {
      const { wrapped } = targetPayload(action.body, sampleLookup);
      if (wrapped)
        problems.push({
          path: ['actions', i, 'body'],
          message: 'starts with { but is not a JSON object once its placeholders are filled in (put text placeholders in quotes: "{{ticket.title}}")',
        });
    }
    if (!numeric(action)) return;
    const id = Number(action.value);
    switch (row) {
      case 'assignee_id':
        if (!agentIds.has(id)) problems.push({ path: at, message: `is not an agent's user id: no agent has user id ${id}` });
        break;
      case 'ccs':
      case 'email_user':
        if (!userIds.has(id)) problems.push({ path: at, message: `is not a user id: no user has id ${id}` });
        break;
      case 'group_id':
      case 'inturn_assign':
      case 'email_group':
        if (!groupIds.has(id)) problems.push({ path: at, message: `is not a group id: no group has id ${id}` });
        break;
      case 'message_user':
        if (!agentIds.has(id) && !groupIds.has(id)) problems.push({ path: at, message: `is neither an agent's user id nor a group id` });
        break;
      case 'target':
        if (!targetIds.has(id)) problems.push({ path: at, message: `is not a webhook target id: no target has id ${id} (see /admin/api/targets)` });
        break;
    }
  });
  return problems;
}

async function checkReferences(db: Db, scope: RuleScope, actions: readonly TriggerAction[]): Promise<void> {
  const problems = await referenceProblems(db, scope, actions);
  if (problems.length > 0) throw invalidRule(problems);
}

export async function createRule(db: Db, scope: RuleScope, input: z.output<typeof CreateTriggerBody>): Promise<Trigger> {
  const conditions = { all: input.conditions.all.map(normalCondition), any: input.conditions.any.map(normalCondition) };
  const actions = input.actions.map(normalAction);
  return inTransaction(db, async (trx) => {
    await checkReferences(trx, scope, actions);
    const now = new Date().toISOString();
    const row: TriggerRow = {
      workspace_id: scope.workspaceId,
      id: await nextInSequence(trx, scope.workspaceId, 'trigger_id', 1),
      title: input.title,
      active: input.status ? 1 : 0,
      sort: input.sort,
      conditions: JSON.stringify(conditions),
      actions: JSON.stringify(actions),
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('triggers').values(row).execute();
    return toTrigger(scope, row);
  });
}

export async function updateRule(db: Db, scope: RuleScope, id: string, input: z.output<typeof UpdateTriggerBody>): Promise<Trigger> {
  return inTransaction(db, async (trx) => {
    const row = await triggerRow(trx, scope, id);
    const changes: Partial<TriggerRow> = { updated_at: new Date().toISOString() };
    if (input.title !== undefined) changes.title = input.title;
    if (input.status !== undefined) changes.active = input.status ? 1 : 0;
    if (input.sort !== undefined) changes.sort = input.sort;
    if (input.conditions !== undefined)
      changes.conditions = JSON.stringify({ all: input.conditions.all.map(normalCondition), any: input.conditions.any.map(normalCondition) });
    if (input.actions !== undefined) {
      const actions = input.actions.map(normalAction);
      await checkReferences(trx, scope, actions);
      changes.actions = JSON.stringify(actions);
    }
    await trx.updateTable('triggers').set(changes).where('workspace_id', '=', scope.workspaceId).where('id', '=', Number(row.id)).execute();
    return toTrigger(scope, { ...row, ...changes });
  });
}

export async function deleteRule(db: Db, scope: RuleScope, id: string): Promise<Trigger> {
  return inTransaction(db, async (trx) => {
    const row = await triggerRow(trx, scope, id);
    await trx.deleteFrom('triggers').where('workspace_id', '=', scope.workspaceId).where('id', '=', Number(row.id)).execute();
    return toTrigger(scope, row);
  });
}

/** The triggers (any status) whose actions send to this target. */
export async function rulesUsingTarget(db: Db, scope: RuleScope, targetId: number): Promise<number[]> {
  const rows = await db.selectFrom('triggers').select(['id', 'actions']).where('workspace_id', '=', scope.workspaceId).orderBy('id').execute();
  return rows
    .filter((row) => (JSON.parse(row.actions) as TriggerAction[]).some((a) => a.source === 'target' && a.value === String(targetId)))
    .map((row) => Number(row.id));
}

// ---- the compiled rules a ticket change runs ----

/**
 * Compiled rules by their stored text: compiling happens once per version of a trigger, in
 * each process, however many tickets it then runs on. An edited trigger has new text and is
 * compiled anew; the old entry is dropped when the cache is full.
 */
const compiled = new Map<string, CompiledRule>();
const MAX_COMPILED = 5000;

function compiledFor(row: Pick<TriggerRow, 'id' | 'title' | 'conditions' | 'actions'>): CompiledRule {
  const key = `${row.id}\u0000${row.title}\u0000${row.conditions}\u0000${row.actions}`;
  let rule = compiled.get(key);
  if (!rule) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    rule = compileRule({ id: Number(row.id), title: row.title, conditions: JSON.parse(row.conditions), actions: JSON.parse(row.actions) });
    compiled.set(key, rule);
  }
  return rule;
}

/** The workspace's active rules, compiled, in the order they run. */
export async function activeRules(db: Db, workspaceId: string): Promise<CompiledRule[]> {
  const rows = await ordered(
    db.selectFrom('triggers').select(['id', 'title', 'conditions', 'actions']).where('workspace_id', '=', workspaceId).where('active', '=', 1),
  ).execute();
  return rows.map(compiledFor);
}
