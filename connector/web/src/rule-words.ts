/**
 * KF5 trigger rules in plain words ("Status changed to solved", "Email the requester").
 *
 * The contract (contract/trigger-rules.ts) holds the seed's tables, but beside its zod schemas:
 * importing its values would put zod in the bundle. So the words live here, typed against the
 * contract's own types: a source, operator or action added there fails the typecheck until it
 * is worded here, and connector/test/web/rules.test.ts checks every fixed value of the tables.
 */
import type { ActionSource, ConditionOperator, ConditionSource, TriggerAction, TriggerCondition } from '../../../contract/trigger-rules.js';
import type { kf5Channels, kf5Languages } from '../../../contract/enums.js';

export const conditionSourceWords: Record<ConditionSource, string> = {
  status: 'Status',
  type_id: 'Type',
  priority: 'Priority',
  group_id: 'Group',
  requester_id: 'Requester',
  assignee_id: 'Assignee',
  source: 'Channel',
  recipient: 'Recipient address',
  score: 'Satisfaction',
  tags: 'Tags',
  description: 'Description',
  comment_is_public: 'The comment of this update',
  '{ticket}': 'The ticket',
  '{current_user}': 'The person making the change',
  organization: "The requester's organisation",
  '{language}': "The requester's language",
  'field_<n>': 'Custom field',
};

export const operatorWords: Record<ConditionOperator, string> = {
  is: 'is',
  is_not: 'is not',
  less_than: 'is less than',
  greater_than: 'is greater than',
  changed: 'changed',
  changed_to: 'changed to',
  changed_from: 'changed from',
  not_changed: 'did not change',
  not_changed_to: 'did not change to',
  not_changed_from: 'did not change from',
  contain_at_least_one: 'contain at least one of',
  not_contain: 'do not contain',
  contain: 'contains',
};

type Channel = (typeof kf5Channels)[number];
type Language = (typeof kf5Languages)[number];

const channelWords: Record<Channel, string> = {
  web: 'web form',
  tab: 'feedback widget',
  chat: 'chat',
  weibo: 'Weibo',
  api: 'API',
  mobile: 'mobile app',
  email: 'email',
  voicemail: 'voicemail',
  inbound: 'inbound call',
  outbound: 'outbound call',
};
const languageWords: Record<Language, string> = { zh_cn: 'Simplified Chinese', en: 'English' };

/** The fixed values of the tables, by table row (the contract's valueLabels, and the rest of the options). */
export const valueWords: Record<string, Record<string, string>> = {
  status: { '0': 'new', '1': 'open', '2': 'pending', '3': 'solved', '4': 'closed' },
  type_id: { '(-)': 'empty', '0': 'question', '1': 'incident', '2': 'problem', '3': 'task' },
  priority: { '(-)': 'empty', '0': 'low', '1': 'normal', '2': 'high', '3': 'urgent' },
  score: { '(-)': 'empty', '1': 'unsatisfied', '2': 'rather unsatisfied', '3': 'neutral', '4': 'satisfied', '5': 'very satisfied' },
  comment_is_public: { '1': 'public', '0': 'private' },
  source: channelWords,
  '{language}': languageWords,
  '{ticket}': { created: 'created', updated: 'updated', pushed: 'pushed (the requester asked for progress)' },
  '{current_user}': { agent: 'an agent', enduser: 'an end user' },
};

/** Special tokens, wherever they appear. */
const tokenWords: Record<string, string> = {
  '(-)': 'empty',
  '(current_user)': 'the person making the change',
  '(current_groups)': "that person's groups",
  '(requester)': 'the requester',
  '(assignee)': 'the assignee',
  '(assigned_group)': 'the assigned group',
};

/** What a bare number means, by table row. */
const idKinds: Record<string, string> = {
  group_id: 'group',
  requester_id: 'user',
  assignee_id: 'user',
  '{current_user}': 'user',
  organization: 'organisation',
  inturn_assign: 'group',
  ccs: 'user',
  email_user: 'user',
  email_group: 'group',
  message_user: 'agent or group',
  target: 'webhook target',
};

export const rowOf = (source: string) => (/^field_[0-9]+$/.test(source) ? 'field_<n>' : source);

/** One value in words: a fixed value's name, a token's meaning, "group #219", or the text quoted. */
export function valueInWords(source: string, value: string): string {
  const row = rowOf(source);
  const fixed = valueWords[row]?.[value] ?? tokenWords[value];
  if (fixed) return fixed;
  if (/^[0-9]+$/.test(value) && idKinds[row]) return `${idKinds[row]} #${value}`;
  return `“${value}”`;
}

const sourceInWords = (source: string) => {
  const row = rowOf(source);
  if (row === 'field_<n>') return `Custom field ${source.slice('field_'.length)}`;
  return conditionSourceWords[row as ConditionSource] ?? source;
};

/** "Status changed to solved", "Tags contain at least one of “vip”, “refund”", "The ticket is created". */
export function conditionInWords(condition: TriggerCondition): string {
  const subject = sourceInWords(condition.source);
  const operator = operatorWords[condition.operator as ConditionOperator] ?? condition.operator;
  if (condition.operator === 'changed' || condition.operator === 'not_changed') return `${subject} ${operator}`;
  if (rowOf(condition.source) === 'tags') {
    const tags = condition.value
      .split(/\s+/)
      .filter(Boolean)
      .map((t) => `“${t}”`);
    return `${subject} ${operator} ${tags.join(', ')}`;
  }
  const verb = condition.operator === 'contain' && rowOf(condition.source) === 'description' ? 'contains' : operator;
  return `${subject} ${verb} ${valueInWords(condition.source, condition.value)}`;
}

export interface ActionWords {
  text: string;
  subject?: string | null;
  body?: string | null;
}

/** Each action as a choice in the rule editor. */
export const actionSourceWords: Record<ActionSource, string> = {
  status: 'Set the status',
  type_id: 'Set the type',
  priority: 'Set the priority',
  group_id: 'Set the group',
  assignee_id: 'Set the assignee',
  inturn_assign: 'Assign in turn among the agents of a group',
  tags: 'Add tags',
  ccs: 'Copy a user on the ticket',
  'field_<n>': 'Set a custom field',
  score: 'Set the satisfaction',
  email_user: 'Email a user',
  email_group: 'Email a group',
  message_user: 'Internal message to an agent or a group',
  target: 'Send a message to a webhook target',
};

const actionPhrases: Record<ActionSource, (value: string, source: string) => string> = {
  status: (v, s) => `Set the status to ${valueInWords(s, v)}`,
  type_id: (v, s) => `Set the type to ${valueInWords(s, v)}`,
  priority: (v, s) => `Set the priority to ${valueInWords(s, v)}`,
  group_id: (v, s) => (v === '(-)' ? 'Remove the group' : `Assign to ${valueInWords(s, v)}`),
  assignee_id: (v, s) => (v === '(-)' ? 'Remove the assignee' : `Assign to ${valueInWords(s, v)}`),
  inturn_assign: (v, s) => `Assign in turn among the agents of ${valueInWords(s, v)}`,
  tags: (v) =>
    `Add the tags ${v
      .split(/\s+/)
      .filter(Boolean)
      .map((t) => `“${t}”`)
      .join(', ')}`,
  ccs: (v, s) => `Copy ${valueInWords(s, v)} on the ticket`,
  'field_<n>': (v, s) => `Set custom field ${s.slice('field_'.length)} to ${v === '(-)' ? 'empty' : `“${v}”`}`,
  score: (v, s) => `Set the satisfaction to ${valueInWords(s, v)}`,
  email_user: (v, s) => `Email ${valueInWords(s, v)}`,
  email_group: (v, s) => `Email ${valueInWords(s, v)}`,
  message_user: (v, s) => `Send an internal message to ${valueInWords(s, v)}`,
  target: (v, s) => `Send a message to ${valueInWords(s, v)}`,
};

export function actionInWords(action: TriggerAction): ActionWords {
  const phrase = actionPhrases[rowOf(action.source) as ActionSource];
  return {
    text: phrase ? phrase(action.value, action.source) : `${action.source}: ${action.value}`,
    subject: action.subject,
    body: action.body,
  };
}
