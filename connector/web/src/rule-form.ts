/**
 * The rule editor's draft of a trigger, and the way to and from what /apiv2 takes. The seed's
 * tables come from contract/trigger-tables.ts, which is plain data (no zod in the bundle).
 * Nothing here checks values: the pickers offer what the tables allow and the API is the judge.
 */
import {
  actionSources,
  conditionSources,
  valuelessOperators,
  type ActionSourceSpec,
  type ConditionOperator,
  type ConditionSourceSpec,
  type ValueSpec,
} from '../../../contract/trigger-tables.js';
import type { FieldProblem, HelpdeskDirectory, Trigger, TriggerInput, WebhookTarget } from './api.js';

export type ConditionList = 'all' | 'any';

export interface ConditionDraft {
  key: number;
  source: string;
  operator: string;
  value: string;
}

export interface ActionDraft {
  key: number;
  source: string;
  value: string;
  subject: string;
  body: string;
}

export interface RuleDraft {
  title: string;
  status: boolean;
  /** As typed: the API says what it makes of it. */
  sort: string;
  all: ConditionDraft[];
  any: ConditionDraft[];
  actions: ActionDraft[];
}

// Rows need a stable key while they are added and removed; their position names them to the API.
let lastKey = 0;
const newKey = () => ++lastKey;

/** `field_757` (and `field_` while its number is being typed) is the table's `field_<n>` row. */
export const tableRow = (source: string): string => (source.startsWith('field_') ? 'field_<n>' : source);

export const conditionSpecOf = (source: string): ConditionSourceSpec | undefined => (conditionSources as Record<string, ConditionSourceSpec>)[tableRow(source)];
export const actionSpecOf = (source: string): ActionSourceSpec | undefined => (actionSources as Record<string, ActionSourceSpec>)[tableRow(source)];

export const takesNoValue = (operator: string) => valuelessOperators.includes(operator as ConditionOperator);

/** A value a picker offers; `group` gathers choices under a heading (an optgroup). */
export interface Choice {
  value: string;
  label: string;
  group?: string;
}

/** The helpdesk's lists that values name by id: the directory (groups, agents, ...) and the webhook targets. */
export interface RecordLists {
  directory?: HelpdeskDirectory | undefined;
  targets: readonly WebhookTarget[];
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The records a value of this kind may name, each with its name and id, as the pickers list them. */
export function recordChoices(kind: ValueSpec['id'], { directory, targets }: RecordLists): Choice[] {
  const groups = (directory?.groups ?? []).map((g) => ({
    value: String(g.id),
    label: `${g.name} (group ${g.id}, ${plural(g.agents, 'agent')})`,
    group: 'Groups',
  }));
  const agents = (directory?.agents ?? []).map((u) => ({ value: String(u.id), label: `${u.name} <${u.email}> (user ${u.id})`, group: 'Agents' }));
  switch (kind) {
    case 'group':
      return groups;
    case 'user':
      return [
        ...agents,
        ...(directory?.requesters ?? []).map((u) => ({ value: String(u.id), label: `${u.name || u.email} <${u.email}> (user ${u.id})`, group: 'Requesters' })),
      ];
    case 'user_or_group':
      return [...agents, ...groups];
    case 'organization':
      return (directory?.organizations ?? []).map((o) => ({
        value: String(o.id),
        label: `Organisation ${o.id} (${plural(o.users, 'user')})`,
        group: 'Organisations',
      }));
    case 'target':
      return targets.map((t) => ({ value: String(t.id), label: `${t.title} (#${t.id})` }));
    default:
      return [];
  }
}

/** The value a row starts with when its source is picked: the first fixed value, else the first listed record, else nothing. */
export function firstValue(spec: ValueSpec | undefined, lists: RecordLists = { targets: [] }): string {
  if (spec?.options?.[0] !== undefined) return spec.options[0];
  return recordChoices(spec?.id, lists)[0]?.value ?? '';
}

/** A custom field's row keeps its number; any other source is the table row itself. */
const sourceFor = (row: string, previous: string) => (row === 'field_<n>' ? (previous.startsWith('field_') ? previous : 'field_') : row);

export function withConditionSource(row: ConditionDraft, pickedRow: string): ConditionDraft {
  const spec = conditionSpecOf(pickedRow);
  const operator = spec?.operators.includes(row.operator as ConditionOperator) ? row.operator : (spec?.operators[0] ?? '');
  return { ...row, source: sourceFor(pickedRow, row.source), operator, value: takesNoValue(operator) ? '' : firstValue(spec?.values) };
}

export function withActionSource(row: ActionDraft, pickedRow: string, lists: RecordLists): ActionDraft {
  const spec = actionSpecOf(pickedRow);
  const keepsText = spec && spec.kind !== 'field';
  return {
    ...row,
    source: sourceFor(pickedRow, row.source),
    value: firstValue(spec?.values, lists),
    subject: keepsText && spec.kind === 'email' ? row.subject : '',
    body: keepsText ? row.body : '',
  };
}

export const newCondition = (): ConditionDraft => ({ key: newKey(), source: '{ticket}', operator: 'is', value: 'created' });
export const newAction = (): ActionDraft => ({
  key: newKey(),
  source: 'email_user',
  value: '(requester)',
  subject: '[{{account.name}}] {{ticket.title}}',
  body: '',
});

export function emptyDraft(): RuleDraft {
  return { title: '', status: true, sort: '0', all: [newCondition()], any: [], actions: [newAction()] };
}

/** A draft of a stored rule; `copy` makes it a new one ("Copy of …"). */
export function draftOf(rule: Trigger, copy = false): RuleDraft {
  return {
    title: copy ? `Copy of ${rule.title}` : rule.title,
    status: rule.status,
    sort: String(rule.sort),
    all: rule.conditions.all.map((c) => ({ key: newKey(), ...c })),
    any: rule.conditions.any.map((c) => ({ key: newKey(), ...c })),
    actions: rule.actions.map((a) => ({ key: newKey(), source: a.source, value: a.value, subject: a.subject ?? '', body: a.body ?? '' })),
  };
}

/** What /apiv2 takes: subject only on emails, body only on notifications; an empty sort is 0. */
export function triggerOf(draft: RuleDraft): TriggerInput {
  const condition = ({ source, operator, value }: ConditionDraft) => ({ source, operator, value: takesNoValue(operator) ? '' : value });
  return {
    title: draft.title,
    status: draft.status,
    // Not a number stays not a number (JSON null): the API explains, next to the field.
    sort: draft.sort.trim() === '' ? 0 : Number(draft.sort),
    conditions: { all: draft.all.map(condition), any: draft.any.map(condition) },
    actions: draft.actions.map(({ source, value, subject, body }) => {
      const kind = actionSpecOf(source)?.kind;
      return {
        source,
        value,
        ...(kind === 'email' ? { subject } : {}),
        ...(kind === 'email' || kind === 'message' || kind === 'target' ? { body } : {}),
      };
    }),
  };
}

/** Where a refusal is shown: next to a row (`conditions.all[1]`), a field (`title`), a list, or at the top. */
export interface PlacedProblems {
  byRow: Record<string, string[]>;
  byField: Record<string, string[]>;
  top: string[];
}

const partNames: Record<string, string> = { source: 'Source', operator: 'Operator', value: 'Value', subject: 'Subject', body: 'Text' };
const ROW_PATH = /^((?:conditions\.(?:all|any)|actions)\[[0-9]+\])(?:\.([A-Za-z_]+))?$/;
const FIELDS = ['title', 'status', 'sort', 'conditions', 'actions'];

const add = (messages: Record<string, string[]>, key: string, message: string) => {
  messages[key] = [...(messages[key] ?? []), message];
};

/** The 422's details, each placed by its field path (with or without the `trigger.` the envelope adds). */
export function placeProblems(details: readonly FieldProblem[]): PlacedProblems {
  const placed: PlacedProblems = { byRow: {}, byField: {}, top: [] };
  for (const { field, message } of details) {
    const path = field.replace(/^trigger\./, '');
    const row = ROW_PATH.exec(path);
    if (row) {
      const part = row[2] ? (partNames[row[2]] ?? row[2]) : '';
      add(placed.byRow, row[1]!, part ? `${part} ${message}` : message);
      continue;
    }
    const top = path.split(/[.[]/)[0]!;
    if (FIELDS.includes(top)) add(placed.byField, top, path === top ? message : `${path} ${message}`);
    else placed.top.push(`${field} ${message}`);
  }
  return placed;
}

export const rowPath = (list: ConditionList | 'actions', index: number) => (list === 'actions' ? `actions[${index}]` : `conditions.${list}[${index}]`);
