import { kf5PriorityNames, kf5TypeNames, ticketSourceTypes, ticketStatuses } from '../contract/enums.js';
import { choiceFor, type Choices, type Refuse } from './choices.js';
import { dropdownOf } from './dropdown.js';
import agentList from '../triggers/agentList.js';
import groupList from '../triggers/groupList.js';

/** KF5's numbered values as dropdown choices: {"0": "Low", "1": "Normal", ...}. */
function numberedChoices(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name, i) => [String(i), name[0]!.toUpperCase() + name.slice(1)]));
}

/** The seed's ticket parameters, shared by Create Ticket and Update Ticket, and the KF5 priority and type. */
export const ticketInputFields = [
  { key: 'message', label: 'Message', type: 'text', helpText: 'Up to 20,000 characters.' },
  { key: 'requesterEmail', label: "Requester's Email" },
  { key: 'requesterName', label: "Requester's Name" },
  { key: 'subject', label: 'Subject' },
  { key: 'assigneeId', label: 'Assignee', dynamic: dropdownOf(agentList), search: 'findAgent.id', helpText: 'The agent the ticket is assigned to.' },
  { key: 'sourceType', label: 'Source Type', choices: Object.fromEntries(ticketSourceTypes.map((t) => [t, t])) },
  { key: 'sourceUrl', label: 'Source URL', helpText: 'Only when the source type is chat-window: the page the ticket came from.' },
  {
    key: 'groupId',
    label: 'Group',
    dynamic: dropdownOf(groupList),
    type: 'integer',
    helpText: 'The group ID (a number): pick it from the list, or map an ID.',
  },
  { key: 'tags', label: 'Tags', list: true },
  {
    key: 'priority',
    label: 'Priority',
    choices: numberedChoices(kf5PriorityNames),
    helpText: 'The helpdesk priority, which trigger rules read and set. A mapped value may be the number (0-3) or the name (Low, Normal, High, Urgent).',
  },
  {
    key: 'ticketType',
    label: 'Ticket Type',
    choices: numberedChoices(kf5TypeNames),
    helpText:
      'The helpdesk ticket type, which trigger rules read and set. A mapped value may be the number (0-3) or the name (Question, Incident, Problem, Task).',
  },
] as const;

export const ticketStatusField = {
  key: 'status',
  label: 'Status',
  choices: Object.fromEntries(ticketStatuses.map((s) => [s, s[0]!.toUpperCase() + s.slice(1)])),
} as const;

/** Request keys → form labels, so a refused field is named as the form names it. */
export const ticketFieldLabels: Record<string, string> = {
  message: 'Message',
  'requester.mail': "Requester's Email",
  'requester.name': "Requester's Name",
  subject: 'Subject',
  'assignee.id': 'Assignee',
  'source.type': 'Source Type',
  'source.url': 'Source URL',
  groupId: 'Group',
  tags: 'Tags',
  status: 'Status',
  'kf5.priority': 'Priority',
  'kf5.type_id': 'Ticket Type',
};

const text = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim());
const fieldNamed = (key: string) => ticketInputFields.find((f) => f.key === key)!;
const choicesOf = (key: string) => (fieldNamed(key) as { choices: Choices }).choices;

/** A choice field's value, also when its label was mapped ("High" → "2"); anything else is refused listing the choices. */
function chosen(
  input: Record<string, unknown>,
  key: string,
  refuse: Refuse,
  field: { label: string; choices: Choices } = { label: fieldNamed(key).label, choices: choicesOf(key) },
) {
  const typed = text(input[key]);
  return typed === undefined ? undefined : choiceFor(field.label, field.choices, typed, refuse);
}

/** The Group's id: a whole number (the list's values); a group's name is refused rather than sent as group 0. */
function groupIdOf(input: Record<string, unknown>, refuse: Refuse): number | undefined {
  const typed = text(input.groupId);
  if (typed === undefined) return undefined;
  if (!/^\d+$/.test(typed)) throw refuse(`Group must be a group ID (a number) from the Group list; got "${typed}".`);
  return Number(typed);
}

const numberOf = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const compact = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v && Object.keys(v).length === 0)));

/** Builds the contract's ticket body from the form: only what was filled in; a value outside a field's choices is refused, naming the field. */
export function ticketBodyFrom(input: Record<string, unknown>, refuse: Refuse = (message) => new Error(message)) {
  const tags = Array.isArray(input.tags) ? input.tags.map(text).filter((t): t is string => !!t) : undefined;
  return compact({
    message: text(input.message),
    requester: compact({ mail: text(input.requesterEmail), name: text(input.requesterName) }),
    subject: text(input.subject),
    assignee: text(input.assigneeId) ? { id: text(input.assigneeId) } : undefined,
    source: compact({ type: chosen(input, 'sourceType', refuse), url: text(input.sourceUrl) }),
    groupId: groupIdOf(input, refuse),
    tags: tags?.length ? tags : undefined,
    status: chosen(input, 'status', refuse, ticketStatusField),
    kf5: compact({ priority: numberOf(chosen(input, 'priority', refuse)), type_id: numberOf(chosen(input, 'ticketType', refuse)) }),
  });
}
