import { z } from 'zod';
import type { Endpoint } from './api.js';
import { adminRoutes } from './routes.js';
import { Id, IsoDateTime, listOf } from './common.js';

/**
 * Helpdesk trigger rules, as the KF5 Triggers API has them (the seed kf5-triggers-api.zh.txt):
 * a trigger is `conditions {all, any}` of `{source, operator, value}` and a list of actions
 * `{source, value, subject, body}`. The tables below are the seed's tables; the connector's
 * validation, its rule engine and the documentation all read them, so they cannot drift.
 */

import {
  actionSources,
  type ActionSourceSpec,
  type ConditionOperator,
  conditionSources,
  type ConditionSourceSpec,
  CUSTOM_FIELD_SOURCE,
  tableRowOf,
  type ValueSpec,
  valueLabels,
  valuelessOperators,
} from './trigger-tables.js';

// The seed's tables live, zod-free, in trigger-tables.ts (the admin page imports them); every name stays exported here.
export {
  actionSources,
  conditionOperators,
  conditionSources,
  CUSTOM_FIELD_SOURCE,
  knownPlaceholders,
  tableRowOf,
  valueLabels,
  valuelessOperators,
} from './trigger-tables.js';
export type { ActionKind, ActionSource, ActionSourceSpec, ConditionOperator, ConditionSource, ConditionSourceSpec, ValueSpec } from './trigger-tables.js';

// ---- checking one rule against the tables ----

const ID_PATTERN = /^[0-9]{1,10}$/;
const MAX_TEXT = 1000;

/** Splits a tags value ("产品A 售后") into tags; blank entries go. */
export const splitTags = (value: string): string[] => value.split(/\s+/).filter(Boolean);

function describeAllowed(source: string, spec: ValueSpec): string {
  const labels = valueLabels[tableRowOf(source)] ?? {};
  const parts = (spec.options ?? []).map((o) => (o === EMPTY_VALUE ? '(-) or (空) (empty)' : labels[o] ? `${o} (${labels[o]})` : o));
  if (spec.id) parts.push(spec.id === 'user_or_group' ? 'an agent or group id' : `a ${spec.id} id`);
  if (spec.text === 'field') parts.push('the field value');
  return parts.join(', ');
}

// ---- the empty value ----

/**
 * The seed writes the empty value as `(空)(-)`. Every other entry of its value columns is a value
 * followed by its label in parentheses (`0(问题)`, `(current_user)(当前用户)`), so `(空)(-)` is one
 * value with its label, and which half is which cannot be told for sure: `(空)` ("empty") stands
 * where values stand, `(-)` is what KF5's screens show. Both are accepted, and so is an empty
 * string, wherever the seed lists the empty value; the whole `(空)(-)` is not a value (no more
 * than `(current_user)(当前用户)` is). Rules are stored and shown with `(-)`, one normal form.
 */
export const EMPTY_VALUE = '(-)';
export const emptySpellings: readonly string[] = [EMPTY_VALUE, '(空)', ''];
export const isEmptyValue = (value: string): boolean => emptySpellings.includes(value.trim());
const allowsEmpty = (spec: ValueSpec): boolean => spec.options?.includes(EMPTY_VALUE) ?? false;

/** The stored form of a value: where the source has an empty value, every spelling of it is `(-)`. */
export const canonicalValue = (spec: ValueSpec, value: string): string => (allowsEmpty(spec) && isEmptyValue(value) ? EMPTY_VALUE : value);

/** Why `value` is not allowed for `source` (null when it is). */
export function valueProblem(source: string, spec: ValueSpec, value: string): string | null {
  if (spec.options?.includes(value)) return null;
  if (allowsEmpty(spec)) {
    if (isEmptyValue(value)) return null;
    if (value.replace(/\s+/g, '') === '(空)(-)') return "is the seed's empty value written with its label: send (-), (空) or an empty value";
  }
  if (spec.id && ID_PATTERN.test(value) && (spec.id === 'group' || Number(value) > 0)) return null;
  switch (spec.text) {
    case 'tags': {
      const tags = splitTags(value);
      if (tags.length === 0) return 'must name at least one tag (separate tags with spaces)';
      if (tags.length > 50) return 'may name at most 50 tags';
      const long = tags.find((t) => t.length > 64);
      return long ? `has a tag longer than 64 characters: "${long.slice(0, 20)}..."` : null;
    }
    case 'text':
      if (value.trim() === '') return 'must not be empty';
      return value.length > MAX_TEXT ? `must be at most ${MAX_TEXT} characters` : null;
    case 'email':
      return z.email().safeParse(value.trim()).success ? null : 'must be an email address, such as support@example.com';
    case 'field':
      return value.length > MAX_TEXT ? `must be at most ${MAX_TEXT} characters` : null;
  }
  return value === '' ? `is required: use ${describeAllowed(source, spec)}` : `"${value}" is not allowed for ${source}: use ${describeAllowed(source, spec)}`;
}

/** Values travel as strings ("3"); numbers are accepted and read as their decimal text. */
const RuleValue = z.union([z.string().max(5000), z.number().int()]).nullish();
const valueText = (value: string | number | null | undefined) => (value === null || value === undefined ? '' : String(value).trim());

export const TriggerConditionInput = z
  .object({
    source: z.string().describe('What the condition looks at, e.g. "status", "{ticket}", "field_757"'),
    operator: z.string().describe('e.g. "is", "changed_to", "contain_at_least_one"'),
    value: RuleValue.describe('e.g. "3"; empty for changed / not_changed; the empty value is (-), (空) or ""'),
  })
  .strict();

export const TriggerActionInput = z
  .object({
    source: z.string().describe('What the action does, e.g. "status", "email_user", "target"'),
    value: RuleValue,
    subject: z.string().max(1000).nullish().describe('Email actions: the subject, with placeholders such as {{ticket.title}}'),
    body: z
      .string()
      .max(20000)
      .nullish()
      .describe('Notification actions: the text, with placeholders; without one, a default text (title, status, link, latest public message)'),
  })
  .strict();

type ConditionInput = z.infer<typeof TriggerConditionInput>;
type ActionInput = z.infer<typeof TriggerActionInput>;

/** A problem with one part of a rule; `path` as zod paths go (["conditions", "all", 1, "operator"]). */
export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

/** The seed's row for a condition source (`field_757` → `field_<n>`), or undefined for an unknown source. */
export function conditionSpec(source: string): ConditionSourceSpec | undefined {
  const row = tableRowOf(source);
  return row === 'field_<n>' && !CUSTOM_FIELD_SOURCE.test(source) ? undefined : (conditionSources as Record<string, ConditionSourceSpec>)[row];
}

/** The seed's row for an action, or undefined for an unknown action. */
export function actionSpec(source: string): ActionSourceSpec | undefined {
  const row = tableRowOf(source);
  return row === 'field_<n>' && !CUSTOM_FIELD_SOURCE.test(source) ? undefined : (actionSources as Record<string, ActionSourceSpec>)[row];
}

export function conditionProblems(condition: ConditionInput, at: (string | number)[]): RuleProblem[] {
  const spec = conditionSpec(condition.source);
  if (!spec) {
    return [{ path: [...at, 'source'], message: `"${condition.source}" is not a condition source: use one of ${Object.keys(conditionSources).join(', ')}` }];
  }
  const operator = condition.operator as ConditionOperator;
  if (!spec.operators.includes(operator)) {
    return [
      { path: [...at, 'operator'], message: `"${condition.operator}" is not an operator of ${condition.source}: use one of ${spec.operators.join(', ')}` },
    ];
  }
  const value = valueText(condition.value);
  if (valuelessOperators.includes(operator)) {
    return value === '' ? [] : [{ path: [...at, 'value'], message: `must be empty: ${operator} takes no value` }];
  }
  const problem = valueProblem(condition.source, spec.values, value);
  return problem ? [{ path: [...at, 'value'], message: problem }] : [];
}

export function actionProblems(action: ActionInput, at: (string | number)[]): RuleProblem[] {
  const spec = actionSpec(action.source);
  if (!spec) {
    return [{ path: [...at, 'source'], message: `"${action.source}" is not an action: use one of ${Object.keys(actionSources).join(', ')}` }];
  }
  const problems: RuleProblem[] = [];
  const problem = valueProblem(action.source, spec.values, valueText(action.value));
  if (problem) problems.push({ path: [...at, 'value'], message: problem });
  const subject = action.subject ?? '';
  const body = action.body ?? '';
  if (spec.kind === 'field') {
    if (subject !== '') problems.push({ path: [...at, 'subject'], message: 'is only for email actions' });
    if (body !== '') problems.push({ path: [...at, 'body'], message: 'is only for notification actions' });
  } else if (spec.kind !== 'email' && subject !== '') {
    problems.push({ path: [...at, 'subject'], message: 'is only for email actions' });
  }
  // A notification without a body is fine: the seed makes the body an option; the connector then
  // sends its default text (DEFAULT_NOTIFICATION_BODY in connector/src/rules/templates.ts).
  return problems;
}

const conditionList = z.array(TriggerConditionInput).max(100);

const triggerFields = {
  title: z.string().trim().min(1, 'must not be empty').max(255),
  status: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).describe('Whether the trigger is active'),
  sort: z.number().int().min(-1_000_000).max(1_000_000).describe('Position: triggers run (and are listed) by sort descending, then id ascending'),
  conditions: z
    .object({ all: conditionList.default([]), any: conditionList.default([]) })
    .strict()
    .refine((c) => c.all.length + c.any.length > 0, { message: 'must have at least one condition in all or any' }),
  actions: z.array(TriggerActionInput).min(1, 'must have at least one action').max(50),
};

function checkRule(rule: { conditions?: { all: ConditionInput[]; any: ConditionInput[] }; actions?: ActionInput[] }, ctx: z.RefinementCtx): void {
  const problems: RuleProblem[] = [];
  if (rule.conditions) {
    const { all, any } = rule.conditions;
    all.forEach((c, i) => {
      problems.push(...conditionProblems(c, ['conditions', 'all', i]));
    });
    any.forEach((c, i) => {
      problems.push(...conditionProblems(c, ['conditions', 'any', i]));
    });
  }
  rule.actions?.forEach((a, i) => {
    problems.push(...actionProblems(a, ['actions', i]));
  });
  for (const problem of problems) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
}

/** A new trigger. `status` defaults to true (active), `sort` to 0. */
export const CreateTriggerBody = z
  .object({ ...triggerFields, status: triggerFields.status.default(true), sort: triggerFields.sort.default(0) })
  .strict()
  .superRefine(checkRule);

/** Changes to a trigger: the properties given replace the stored ones (conditions and actions as a whole). */
export const UpdateTriggerBody = z
  .object(triggerFields)
  .partial()
  .strict()
  .superRefine(checkRule)
  .refine((t) => Object.keys(t).length > 0, { message: 'give at least one of title, status, sort, conditions, actions' });

/** KF5 and Zendesk wrap the trigger: `{"trigger": {...}}`; the bare object is accepted too. */
export const triggerRequest = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (body) => (body && typeof body === 'object' && !Array.isArray(body) && 'trigger' in body ? (body as { trigger: unknown }).trigger : body),
    schema,
  );

// ---- what the API answers ----

export const TriggerCondition = z.object({ source: z.string(), operator: z.string(), value: z.string() });
export type TriggerCondition = z.infer<typeof TriggerCondition>;

export const TriggerAction = z.object({ source: z.string(), value: z.string(), subject: z.string().nullable(), body: z.string().nullable() });
export type TriggerAction = z.infer<typeof TriggerAction>;

/** KF5 writes times as "2016-05-10 14:02:39"; the connector's are UTC. */
export const Kf5DateTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must look like 2016-05-10 14:02:39');

export const Trigger = z.object({
  id: z.number().int().positive(),
  url: z.url(),
  title: z.string(),
  status: z.boolean(),
  sort: z.number().int(),
  created_at: Kf5DateTime.describe('UTC'),
  updated_at: Kf5DateTime.describe('UTC'),
  conditions: z.object({ all: z.array(TriggerCondition), any: z.array(TriggerCondition) }),
  actions: z.array(TriggerAction),
});
export type Trigger = z.infer<typeof Trigger>;

export const TriggerEnvelope = z.object({ trigger: Trigger });
export const TriggerList = z.object({ triggers: z.array(Trigger) });

// ---- webhook targets (the `target` action) ----

export const WebhookTarget = z.object({
  id: z.number().int().positive(),
  title: z.string(),
  url: z.url(),
  status: z.enum(['active', 'disabled', 'ended']).describe('active: receiving; disabled: failing for too long (re-enable it); ended: it answered 410 Gone'),
  subscriptionId: Id.describe('Its deliveries are in the delivery log under this subscription'),
  createdAt: IsoDateTime,
});
export type WebhookTarget = z.infer<typeof WebhookTarget>;

/** Shown once, at creation: receivers verify the Standard Webhooks signature with it. */
export const CreatedWebhookTarget = WebhookTarget.extend({ secret: z.string().startsWith('whsec_') });

export const CreateWebhookTargetBody = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(255),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  })
  .strict();

export const UpdateWebhookTargetBody = z
  .object({
    title: CreateWebhookTargetBody.shape.title,
    url: CreateWebhookTargetBody.shape.url,
    enabled: z.literal(true).describe('Re-enable a target disabled for failing'),
  })
  .partial()
  .strict()
  .refine((t) => Object.keys(t).length > 0, { message: 'give at least one of title, url, enabled' });

/** How a target answered one test request, for a person: `message` says it in a sentence. */
export const WebhookTargetTestResult = z.object({
  ok: z.boolean().describe('It answered 2xx'),
  statusCode: z.number().int().nullable().describe('null when no answer came (refused, could not connect, timed out)'),
  durationMs: z.number().int().min(0),
  message: z.string().describe('e.g. "The target answered 200 OK in 35 ms." or "Could not connect: ECONNREFUSED ..."'),
});
export type WebhookTargetTestResult = z.infer<typeof WebhookTargetTestResult>;

// ---- notifications the rules queued (email_user, email_group, message_user) ----

export const notificationStatuses = ['pending', 'sent', 'failed', 'recorded'] as const;

export const RuleNotification = z.object({
  id: Id,
  kind: z.enum(['email', 'message']),
  status: z
    .enum(notificationStatuses)
    .describe('pending: to be sent over SMTP; sent; failed (retries used up); recorded: kept here only (internal messages, or email without SMTP)'),
  ticketId: Id,
  triggerId: z.number().int().positive(),
  action: z.string().describe('email_user, email_group or message_user'),
  recipient: z.object({ userId: z.number().int().positive().nullable(), name: z.string(), email: z.string().nullable() }),
  subject: z.string().nullable(),
  body: z.string(),
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  createdAt: IsoDateTime,
  sentAt: IsoDateTime.nullable(),
});
export type RuleNotification = z.infer<typeof RuleNotification>;

export const NotificationListQuery = z.object({
  ticketId: Id.optional(),
  kind: z.enum(['email', 'message']).optional(),
  status: z.enum(notificationStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---- routes ----

const byTriggerId = z.object({ id: z.string().regex(/^[0-9]{1,10}$/, 'must be a trigger id (a number)') });
const byTargetId = z.object({ id: z.string().regex(/^[0-9]{1,10}$/, 'must be a target id (a number)') });

/**
 * KF5's Triggers API for the helpdesk rules (admin token, as a Bearer token or KF5's HTTP Basic).
 * Invalid rules answer 422 with one `details` entry per offending condition or action
 * (`conditions.all[1].operator`); unknown ids 404.
 */
export const kf5RuleApi = {
  listRules: { ...adminRoutes.listRules, response: TriggerList },
  listActiveRules: { ...adminRoutes.listActiveRules, response: TriggerList },
  getRule: { ...adminRoutes.getRule, params: byTriggerId, response: TriggerEnvelope },
  createRule: { ...adminRoutes.createRule, body: z.object({ trigger: CreateTriggerBody }), response: TriggerEnvelope },
  updateRule: { ...adminRoutes.updateRule, params: byTriggerId, body: z.object({ trigger: UpdateTriggerBody }), response: TriggerEnvelope },
  deleteRule: { ...adminRoutes.deleteRule, params: byTriggerId, response: TriggerEnvelope },
} as const satisfies Record<string, Endpoint>;

/** The admin routes of the rules' webhook targets and of the notifications the rules queued. */
export const ruleAdminApi = {
  listTargets: { ...adminRoutes.listTargets, response: listOf(WebhookTarget) },
  createTarget: { ...adminRoutes.createTarget, body: CreateWebhookTargetBody, response: CreatedWebhookTarget },
  getTarget: { ...adminRoutes.getTarget, params: byTargetId, response: WebhookTarget },
  updateTarget: { ...adminRoutes.updateTarget, params: byTargetId, body: UpdateWebhookTargetBody, response: WebhookTarget },
  deleteTarget: { ...adminRoutes.deleteTarget, params: byTargetId, response: WebhookTarget },
  testTarget: { ...adminRoutes.testTarget, params: byTargetId, response: WebhookTargetTestResult },
  listNotifications: { ...adminRoutes.listNotifications, query: NotificationListQuery, response: listOf(RuleNotification) },
} as const satisfies Record<string, Endpoint>;

// ---- samples ----

export const triggerSample: Trigger = {
  id: 985,
  url: 'https://connector.example.com/apiv2/triggers/985.json',
  title: '提醒工单发起人已收到工单',
  status: true,
  sort: 2,
  created_at: '2016-05-10 14:02:39',
  updated_at: '2016-05-10 14:02:39',
  conditions: {
    all: [
      { source: 'status', operator: 'changed_to', value: '3' },
      { source: 'group_id', operator: 'is_not', value: '219' },
    ],
    any: [{ source: 'priority', operator: 'less_than', value: '0' }],
  },
  actions: [
    {
      source: 'email_user',
      value: '(requester)',
      subject: '[{{account.name}}] 工单: {{ticket.title}} 已被解决',
      body: '请点击以下链接查看该工单处理或继续回复工单:{{ticket.url}}',
    },
    { source: 'field_757', value: '99', subject: null, body: null },
  ],
};

export const webhookTargetSample: WebhookTarget = {
  id: 12,
  title: 'Escalations channel',
  url: 'https://hooks.example.com/services/escalations',
  status: 'active',
  subscriptionId: 'sub_8f2KqX',
  createdAt: '2026-11-20T09:00:00.000Z',
};

export const ruleNotificationSample: RuleNotification = {
  id: 'ntf_01JD2C0G1',
  kind: 'email',
  status: 'sent',
  ticketId: 'TKT-1042',
  triggerId: 985,
  action: 'email_user',
  recipient: { userId: 1310, name: 'Mei Chan', email: 'mei.chan@example.com' },
  subject: '[Acme Contact Centre] 工单: Order #A-1042 has not arrived 已被解决',
  body: '请点击以下链接查看该工单处理或继续回复工单:https://connector.example.com/console/tickets/TKT-1042',
  attempts: 1,
  lastError: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  sentAt: '2026-11-20T10:00:01.000Z',
};
