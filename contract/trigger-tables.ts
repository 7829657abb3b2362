/**
 * The seed's tables of KF5 trigger rules (kf5-triggers-api.zh.txt) as plain data, free of zod:
 * the admin page's rule editor imports them at run time without pulling the schema library into
 * its bundle. contract/trigger-rules.ts re-exports all of it beside the schemas that read it.
 */
import { kf5Channels, kf5Languages } from './enums.js';

// ---- the seed's condition table ----

/** Every operator of the seed, with its Chinese name. */
export const conditionOperators = {
  is: '是',
  is_not: '不是',
  less_than: '小于',
  greater_than: '大于',
  changed: '已改变',
  changed_to: '改变为...',
  changed_from: '从...改变',
  not_changed: '未改变',
  not_changed_to: '未改变为...',
  not_changed_from: '不是从...改变',
  contain_at_least_one: '至少包含以下中的一个',
  not_contain: '不包含',
  contain: '包含',
} as const;
export type ConditionOperator = keyof typeof conditionOperators;

/** `changed` and `not_changed` compare the field with itself before the update: they take no value. */
export const valuelessOperators: readonly ConditionOperator[] = ['changed', 'not_changed'];

const ORDERED = [
  'is',
  'is_not',
  'less_than',
  'greater_than',
  'changed',
  'changed_to',
  'changed_from',
  'not_changed',
  'not_changed_to',
  'not_changed_from',
] as const;
const CHANGES = ['is', 'is_not', 'changed', 'changed_to', 'changed_from', 'not_changed', 'not_changed_to', 'not_changed_from'] as const;

/**
 * What a value may be, for one source: one of `options` (fixed values and special tokens such
 * as `(-)` empty, `(current_user)`), or an id of the kind `id`, or free text of the kind `text`.
 */
export interface ValueSpec {
  options?: readonly string[];
  id?: 'user' | 'group' | 'organization' | 'target' | 'user_or_group';
  text?: 'tags' | 'text' | 'email' | 'field';
}

export interface ConditionSourceSpec {
  label: string;
  operators: readonly ConditionOperator[];
  values: ValueSpec;
}

const STATUS_VALUES = ['0', '1', '2', '3', '4'] as const;
const TYPE_VALUES = ['(-)', '0', '1', '2', '3'] as const;
const PRIORITY_VALUES = ['(-)', '0', '1', '2', '3'] as const;
const SCORE_VALUES = ['(-)', '1', '2', '3', '4', '5'] as const;

/** The seed's "所有条件列表": every condition source, its operators and its values. `field_<n>` stands for every custom field. */
export const conditionSources = {
  status: { label: '工单:状态 (ticket status)', operators: ORDERED, values: { options: STATUS_VALUES } },
  type_id: { label: '工单:类型 (ticket type)', operators: CHANGES, values: { options: TYPE_VALUES } },
  priority: { label: '工单:优先级 (priority)', operators: ORDERED, values: { options: PRIORITY_VALUES } },
  group_id: { label: '工单:受理客服组 (group)', operators: CHANGES, values: { options: ['(-)', '(current_groups)'], id: 'group' } },
  requester_id: { label: '工单:发起人 (requester)', operators: CHANGES, values: { options: ['(current_user)'], id: 'user' } },
  assignee_id: { label: '工单:受理客服 (assignee)', operators: CHANGES, values: { options: ['(-)', '(current_user)'], id: 'user' } },
  source: { label: '工单:提交来源 (channel)', operators: ['is', 'is_not'], values: { options: kf5Channels } },
  recipient: { label: '工单:收件邮箱 (recipient address)', operators: ['is'], values: { text: 'email' } },
  score: { label: '工单:满意度 (satisfaction)', operators: ORDERED, values: { options: SCORE_VALUES } },
  tags: { label: '工单:标签 (tags, separated by spaces)', operators: ['contain_at_least_one', 'not_contain'], values: { text: 'tags' } },
  description: { label: '工单:问题描述 (description)', operators: ['contain', 'not_contain'], values: { text: 'text' } },
  comment_is_public: { label: '工单:评论 (the comment of this update: 1 public, 0 private)', operators: ['is'], values: { options: ['1', '0'] } },
  '{ticket}': { label: '工单 (the ticket is created, updated or pushed)', operators: ['is'], values: { options: ['created', 'updated', 'pushed'] } },
  '{current_user}': { label: '当前用户 (who made the change)', operators: ['is'], values: { options: ['agent', 'enduser'], id: 'user' } },
  organization: { label: '发起人:公司组织 (requester organization)', operators: CHANGES, values: { options: ['(-)'], id: 'organization' } },
  '{language}': { label: '发起人:语言 (requester language)', operators: ['is', 'is_not'], values: { options: kf5Languages } },
  'field_<n>': { label: '自定义字段 (custom field)', operators: ['is', 'is_not'], values: { options: ['(-)'], text: 'field' } },
} as const satisfies Record<string, ConditionSourceSpec>;
export type ConditionSource = keyof typeof conditionSources;

// ---- the seed's action table ----

export type ActionKind = 'field' | 'email' | 'message' | 'target';

export interface ActionSourceSpec {
  label: string;
  kind: ActionKind;
  values: ValueSpec;
}

/** The seed's "所有动作列表": every action and its values. Notifications take a `body`; emails also a `subject`. */
export const actionSources = {
  status: { label: '工单:状态 (set status)', kind: 'field', values: { options: STATUS_VALUES } },
  type_id: { label: '工单:类型 (set type)', kind: 'field', values: { options: TYPE_VALUES } },
  priority: { label: '工单:优先级 (set priority)', kind: 'field', values: { options: PRIORITY_VALUES } },
  group_id: { label: '工单:受理客服组 (set group)', kind: 'field', values: { options: ['(-)', '(current_groups)'], id: 'group' } },
  assignee_id: { label: '工单:受理客服 (set assignee)', kind: 'field', values: { options: ['(-)', '(current_user)'], id: 'user' } },
  inturn_assign: { label: '客服组的客服轮流受理 (assign in turn among the agents of a group)', kind: 'field', values: { id: 'group' } },
  tags: { label: '添加工单标签 (add tags, separated by spaces)', kind: 'field', values: { text: 'tags' } },
  ccs: { label: '添加工单副本 (copy a user on the ticket)', kind: 'field', values: { options: ['(assignee)'], id: 'user' } },
  'field_<n>': { label: '自定义字段 (set a custom field)', kind: 'field', values: { options: ['(-)'], text: 'field' } },
  score: { label: '工单:满意度 (set satisfaction)', kind: 'field', values: { options: SCORE_VALUES } },
  email_user: { label: '通知:发邮件给用户 (email a user)', kind: 'email', values: { options: ['(current_user)', '(requester)', '(assignee)'], id: 'user' } },
  email_group: { label: '通知:发邮件给客服组 (email a group)', kind: 'email', values: { options: ['(assigned_group)'], id: 'group' } },
  message_user: {
    label: '通知:发内部提醒给客服或客服组 (internal message to an agent or a group)',
    kind: 'message',
    values: { options: ['(assignee)', '(assigned_group)'], id: 'user_or_group' },
  },
  target: { label: '通知:发送消息到指定目标 (send to a webhook target)', kind: 'target', values: { id: 'target' } },
} as const satisfies Record<string, ActionSourceSpec>;
export type ActionSource = keyof typeof actionSources;

/** `field_757` → the table's `field_<n>` row; other sources are their own row. */
export const CUSTOM_FIELD_SOURCE = /^field_[1-9][0-9]{0,8}$/;
export const tableRowOf = (source: string): string => (CUSTOM_FIELD_SOURCE.test(source) ? 'field_<n>' : source);

/** Readable names of fixed values, for messages and documentation. */
export const valueLabels: Record<string, Record<string, string>> = {
  status: { '0': 'new', '1': 'open', '2': 'pending', '3': 'solved', '4': 'closed' },
  type_id: { '(-)': 'empty', '0': 'question', '1': 'incident', '2': 'problem', '3': 'task' },
  priority: { '(-)': 'empty', '0': 'low', '1': 'normal', '2': 'high', '3': 'urgent' },
  score: { '(-)': 'empty', '1': 'unsatisfied', '2': 'rather unsatisfied', '3': 'neutral', '4': 'satisfied', '5': 'very satisfied' },
  comment_is_public: { '1': 'public', '0': 'private' },
};

// ---- placeholders of notification subjects and bodies ----

/** The placeholders the connector fills in, with what they stand for (README, validation and the rule editor read this). */
export const knownPlaceholders: Record<string, string> = {
  'ticket.id': 'the ticket id, e.g. TKT-1042',
  'ticket.title': 'the subject',
  'ticket.url': 'the link to the ticket in the console',
  'ticket.link': 'the same as ticket.url',
  'ticket.description': 'the first message',
  'ticket.status': 'KF5 status name: new, open, pending, solved, closed',
  'ticket.status_id': 'KF5 status number 0–4',
  'ticket.livechat_status': 'open, pending, solved or spam',
  'ticket.type': 'question, incident, problem, task (empty when not set)',
  'ticket.priority': 'low, normal, high, urgent (empty when not set)',
  'ticket.source': 'the KF5 channel, e.g. email',
  'ticket.recipient': 'the support address the request was sent to',
  'ticket.score': 'satisfaction 1–5',
  'ticket.tags': 'the tags, separated by spaces',
  'ticket.created_at': 'when it was created (ISO 8601)',
  'ticket.updated_at': 'when it last changed (ISO 8601)',
  'ticket.group.id': 'the group id',
  'ticket.group.name': 'the group name',
  'ticket.assignee.id': "the assignee's user id",
  'ticket.assignee.name': "the assignee's name",
  'ticket.assignee.email': "the assignee's email",
  'ticket.requester.id': "the requester's user id",
  'ticket.requester.name': "the requester's name",
  'ticket.requester.email': "the requester's email",
  'ticket.requester.language': "the requester's language",
  'ticket.organization.id': "the requester's organization id",
  'ticket.latest_comment': 'the newest message, public or private',
  'ticket.latest_public_comment': 'the newest public message',
  'ticket.field_<n>': 'a custom field, e.g. ticket.field_757',
  'account.name': 'the workspace name',
  'account.url': "the connector's public base URL",
  'current_user.id': 'who made the change: user id',
  'current_user.name': 'who made the change: name',
  'current_user.email': 'who made the change: email',
  'trigger.id': 'the trigger that fired',
  'trigger.title': 'its title',
};
