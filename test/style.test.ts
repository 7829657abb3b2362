// Zapier's style rules over the whole definition. Each rule is a function from the app to a list
// of problems, so the last block can prove that every rule fails on a definition that breaks it.
import App from '../index.js';

interface Field {
  key: string;
  label?: string;
  type?: string;
  helpText?: string;
  dynamic?: string;
  search?: string;
}
interface Operation {
  key: string;
  noun?: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: { type?: string; inputFields?: unknown[]; outputFields?: unknown[]; sample?: unknown };
}
interface SearchOrCreate {
  key: string;
  display: { label: string; description: string };
  search: string;
  create: string;
}
interface AppLike {
  authentication: { fields: Field[]; test?: unknown; connectionLabel?: unknown };
  triggers: Record<string, Operation>;
  creates: Record<string, Operation>;
  searches: Record<string, Operation>;
  searchOrCreates?: Record<string, SearchOrCreate>;
}
type Kind = 'triggers' | 'creates' | 'searches';
const app = App as unknown as AppLike;

const operations = (a: AppLike) =>
  (['triggers', 'creates', 'searches'] as Kind[]).flatMap((kind) => Object.values(a[kind]).map((op) => ({ kind, id: `${kind}.${op.key}`, op })));
const visible = (a: AppLike) => operations(a).filter(({ op }) => !op.display.hidden);
const inputFields = (op: Operation) => (op.operation.inputFields ?? []) as Field[];

// ---- the rules ----

const KEY = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const SMALL_WORDS = new Set(['a', 'an', 'the', 'and', 'or', 'nor', 'but', 'to', 'of', 'in', 'on', 'at', 'by', 'for', 'from', 'with']);

/** Every word capitalised, except short connector words after the first. "ID", "SMS" and "Requester's" are fine. */
const isTitleCase = (label: string) =>
  label.trim() !== '' && label.split(/\s+/).every((word, i) => (i > 0 && SMALL_WORDS.has(word)) || /^[A-Z0-9(]/.test(word));

const markdownLink = /\[[^\]]+\]\(https?:\/\/[^)\s]+\)/;

/** Input keys that name a record by id, yet are typed in (no dropdown, no search) on purpose. */
const typedIdInputs: Record<string, string> = {
  'searches.findTicket.ticketId': 'the natural key of the search itself',
  'creates.createContact.social_messaging_name_id': 'a handle on a messaging app, not a record of this app',
  'creates.updateContact.social_messaging_name_id': 'a handle on a messaging app, not a record of this app',
};
const ID_KEY = /(?:^id|_id|[a-z]Id|ID)$/;

const rules: Record<string, (a: AppLike) => string[]> = {
  keys: (a) =>
    [
      ...operations(a).map(({ id, op }) => [id, op.key] as const),
      ...operations(a).flatMap(({ id, op }) => inputFields(op).map((f) => [`${id} input`, f.key] as const)),
      ...Object.values(a.searchOrCreates ?? {}).map((s) => [`searchOrCreates.${s.key}`, s.key] as const),
      ...a.authentication.fields.map((f) => ['authentication field', f.key] as const),
    ]
      .filter(([, key]) => !KEY.test(key))
      .map(([where, key]) => `${where}: key "${key}"`),

  titleCaseLabels: (a) =>
    [
      ...operations(a).map(({ id, op }) => [id, op.display.label] as const),
      ...operations(a).flatMap(({ id, op }) => inputFields(op).map((f) => [`${id}.${f.key}`, f.label ?? ''] as const)),
      ...operations(a).flatMap(({ id, op }) => ((op.operation.outputFields ?? []) as Field[]).map((f) => [`${id} output ${f.key}`, f.label ?? ''] as const)),
      ...Object.values(a.searchOrCreates ?? {}).map((s) => [`searchOrCreates.${s.key}`, s.display.label] as const),
      ...a.authentication.fields.map((f) => [`authentication.${f.key}`, f.label ?? ''] as const),
    ]
      .filter(([, label]) => !isTitleCase(label))
      .map(([where, label]) => `${where}: label "${label}" is not Title Case`),

  triggerDescriptions: (a) =>
    visible(a)
      .filter(({ kind, op }) => kind === 'triggers' && !/^Triggers when .+\.$/.test(op.display.description))
      .map(({ id, op }) => `${id}: "${op.display.description}" must start "Triggers when " and end with "."`),

  createDescriptions: (a) =>
    visible(a)
      .filter(({ kind, op }) => kind === 'creates' && !/^[A-Z][a-z]*s\b.*\.$/.test(op.display.description))
      .map(({ id, op }) => `${id}: "${op.display.description}" must start with a plural verb and end with "."`),

  searches: (a) => [
    ...visible(a)
      .filter(({ kind }) => kind === 'searches')
      .flatMap(({ id, op }) => [
        ...(/^Find\b/.test(op.display.label) ? [] : [`${id}: label "${op.display.label}" must start with "Find"`]),
        ...(/^Finds .+\.$/.test(op.display.description) ? [] : [`${id}: description must start "Finds " and end with "."`]),
      ]),
    ...Object.values(a.searchOrCreates ?? {}).flatMap((s) => [
      ...(/^Find or Create\b/.test(s.display.label) ? [] : [`searchOrCreates.${s.key}: label must start with "Find or Create"`]),
      ...(/^Finds .+\.$/.test(s.display.description) ? [] : [`searchOrCreates.${s.key}: description must start "Finds "`]),
      ...(a.searches[s.search] && a.creates[s.create] ? [] : [`searchOrCreates.${s.key}: unknown search or create`]),
      ...(s.key === s.search ? [] : [`searchOrCreates.${s.key}: key must be the search's key`]),
    ]),
  ],

  samplesAndOutputFields: (a) =>
    visible(a).flatMap(({ id, op }) => [
      ...(op.operation.sample && typeof op.operation.sample === 'object' && !Array.isArray(op.operation.sample) ? [] : [`${id}: no sample object`]),
      ...((op.operation.outputFields ?? []).length > 0 ? [] : [`${id}: no outputFields`]),
    ]),

  idInputsAreDropdownsOrSearches: (a) =>
    operations(a).flatMap(({ id, op }) =>
      inputFields(op)
        .filter((f) => ID_KEY.test(f.key) && !f.dynamic && !f.search && !(`${id}.${f.key}` in typedIdInputs))
        .map((f) => `${id}.${f.key}: an id input without a dynamic dropdown or a search`),
    ),

  dropdownsAndSearchesResolve: (a) =>
    operations(a).flatMap(({ id, op }) =>
      inputFields(op).flatMap((f) => [
        ...(f.dynamic && !a.triggers[f.dynamic.split('.')[0]!]?.display.hidden ? [`${id}.${f.key}: dynamic "${f.dynamic}" is not a hidden trigger`] : []),
        ...(f.search && !a.searches[f.search.split('.')[0]!] ? [`${id}.${f.key}: search "${f.search}" does not exist`] : []),
      ]),
    ),

  hiddenTriggers: (a) =>
    Object.values(a.triggers)
      .filter((t) => t.operation.type !== 'hook' && !t.display.hidden)
      .map((t) => `triggers.${t.key}: a dropdown (polling) trigger must have display.hidden`),

  authentication: (a) => [
    ...a.authentication.fields.filter((f) => !markdownLink.test(f.helpText ?? '')).map((f) => `authentication.${f.key}: helpText has no Markdown link`),
    ...(a.authentication.fields.find((f) => f.key === 'appToken')?.type === 'password' ? [] : ['authentication.appToken must be a password field']),
    ...(a.authentication.test ? [] : ['authentication has no test']),
    ...(a.authentication.connectionLabel ? [] : ['authentication has no connectionLabel']),
  ],
};

describe("Zapier's style rules", () => {
  it.each(Object.keys(rules))('%s: no problems', (rule) => {
    expect(rules[rule]!(app)).toEqual([]);
  });

  it('cover the whole definition', () => {
    expect(operations(app)).toHaveLength(Object.keys(app.triggers).length + Object.keys(app.creates).length + Object.keys(app.searches).length);
    expect(visible(app).length).toBeGreaterThan(25);
  });
});

// ---- each rule can fail ----

const withOperation = (a: AppLike, kind: Kind, key: string, change: (op: Operation) => Operation): AppLike => ({
  ...a,
  [kind]: { ...a[kind], [key]: change(a[kind][key]!) },
});
const display =
  (patch: Partial<Operation['display']>) =>
  (op: Operation): Operation => ({ ...op, display: { ...op.display, ...patch } });
const operation =
  (patch: Partial<Operation['operation']>) =>
  (op: Operation): Operation => ({ ...op, operation: { ...op.operation, ...patch } });
const addInput =
  (field: Field) =>
  (op: Operation): Operation =>
    operation({ inputFields: [...inputFields(op), field] })(op);
const authField = (a: AppLike, key: string, patch: Partial<Field>): AppLike => ({
  ...a,
  authentication: { ...a.authentication, fields: a.authentication.fields.map((f) => (f.key === key ? { ...f, ...patch } : f)) },
});

describe('each rule fails on a definition that breaks it', () => {
  it('isTitleCase', () => {
    expect(isTitleCase('New enquiry')).toBe(false);
    expect(isTitleCase('new Enquiry')).toBe(false);
    expect(isTitleCase('Send Message to Group Room')).toBe(true);
    expect(isTitleCase("Requester's Email")).toBe(true);
    expect(isTitleCase('Find or Create Contact')).toBe(true);
    expect(isTitleCase('')).toBe(false);
  });

  it.each<[string, AppLike]>([
    ['keys', withOperation(app, 'creates', 'sendSms', addInput({ key: 'sender-number', label: 'Sender' }))],
    ['keys', withOperation(app, 'searches', 'findAgent', (op) => ({ ...op, key: '1findAgent' }))],
    ['titleCaseLabels', withOperation(app, 'triggers', 'enquiryCreated', display({ label: 'New enquiry' }))],
    ['titleCaseLabels', withOperation(app, 'creates', 'sendSms', addInput({ key: 'note', label: 'internal note' }))],
    [
      'titleCaseLabels',
      withOperation(app, 'creates', 'sendSms', (op) => operation({ outputFields: [...(op.operation.outputFields ?? []), { key: 'x', label: 'sent at' }] })(op)),
    ],
    ['triggerDescriptions', withOperation(app, 'triggers', 'tagCreated', display({ description: 'When a tag is created.' }))],
    ['triggerDescriptions', withOperation(app, 'triggers', 'tagCreated', display({ description: 'Triggers when a tag is created' }))],
    ['createDescriptions', withOperation(app, 'creates', 'sendSms', display({ description: 'Send an SMS.' }))],
    ['createDescriptions', withOperation(app, 'creates', 'sendSms', display({ description: 'Sends an SMS' }))],
    ['searches', withOperation(app, 'searches', 'findAgent', display({ label: 'Get Agent' }))],
    ['searches', withOperation(app, 'searches', 'findAgent', display({ description: 'Looks up an agent.' }))],
    ['samplesAndOutputFields', withOperation(app, 'creates', 'createTicket', operation({ sample: undefined }))],
    ['samplesAndOutputFields', withOperation(app, 'triggers', 'chatEnded', operation({ outputFields: [] }))],
    ['idInputsAreDropdownsOrSearches', withOperation(app, 'creates', 'sendStaffMessage', addInput({ key: 'room_id', label: 'Room' }))],
    ['idInputsAreDropdownsOrSearches', withOperation(app, 'creates', 'createTicket', addInput({ key: 'contactId', label: 'Contact' }))],
    ['dropdownsAndSearchesResolve', withOperation(app, 'creates', 'sendSms', addInput({ key: 'x', label: 'X', dynamic: 'noSuchList.id.name' }))],
    ['dropdownsAndSearchesResolve', withOperation(app, 'creates', 'sendSms', addInput({ key: 'x', label: 'X', search: 'findNothing.id' }))],
    ['hiddenTriggers', withOperation(app, 'triggers', 'staffList', display({ hidden: false }))],
    ['authentication', authField(app, 'baseUrl', { helpText: 'Copy the Base URL from the admin page.' })],
    ['authentication', authField(app, 'appToken', { type: 'string' })],
    ['authentication', { ...app, authentication: { ...app.authentication, connectionLabel: undefined } }],
  ])('%s', (rule, broken) => {
    expect(rules[rule]!(broken).length).toBeGreaterThan(0);
  });
});
