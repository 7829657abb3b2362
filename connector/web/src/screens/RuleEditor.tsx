import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { knownPlaceholders, type ValueSpec } from '../../../../contract/trigger-tables.js';
import { ApiProblem, messageOf, type AdminApi, type Trigger } from '../api.js';
import {
  actionSpecOf,
  conditionSpecOf,
  draftOf,
  emptyDraft,
  newAction,
  newCondition,
  placeProblems,
  recordChoices,
  rowPath,
  tableRow,
  takesNoValue,
  triggerOf,
  withActionSource,
  withConditionSource,
  type ActionDraft,
  type Choice,
  type ConditionDraft,
  type ConditionList,
  type PlacedProblems,
  type RecordLists,
  type RuleDraft,
} from '../rule-form.js';
import { actionSourceWords, conditionSourceWords, operatorWords, valueInWords } from '../rule-words.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNote, TextField } from '../ui/Field.js';
import { useLoaded } from '../ui/Loaded.js';
import { useToast } from '../ui/Toasts.js';
import './rule-editor.css';

export type EditorOpen = { kind: 'new' } | { kind: 'edit'; rule: Trigger } | { kind: 'duplicate'; rule: Trigger };

const NO_PROBLEMS: PlacedProblems = { byRow: {}, byField: {}, top: [] };

/**
 * Creates, edits or duplicates a trigger rule: title, on/off, sort, the "all" and "any"
 * conditions and the actions, each row built from pickers the seed's tables fill. Saving sends
 * the whole rule; a 422 is shown next to the rows and fields its details name.
 */
export function RuleEditor({ api, open, onClose, onSaved }: { api: AdminApi; open: EditorOpen; onClose: () => void; onSaved: (rule: Trigger) => void }) {
  const [draft, setDraft] = useState<RuleDraft>(() => (open.kind === 'new' ? emptyDraft() : draftOf(open.rule, open.kind === 'duplicate')));
  const [problems, setProblems] = useState<PlacedProblems>(NO_PROBLEMS);
  const [topError, setTopError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const targets = useLoaded(() => api.listTargets(), [api]);
  const directory = useLoaded(() => api.getHelpdeskDirectory(), [api]);
  const lists: RecordLists = { directory: directory.data, targets: targets.data ?? [] };
  const notify = useToast();
  const topRef = useRef<HTMLDivElement>(null);

  const change = (update: Partial<RuleDraft>, clears: string[] = []) => {
    setDraft((d) => ({ ...d, ...update }));
    if (clears.length) setProblems((p) => ({ ...p, byRow: dropKeys(p.byRow, clears), byField: dropKeys(p.byField, clears) }));
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setTopError(undefined);
    setProblems(NO_PROBLEMS);
    try {
      const body = triggerOf(draft);
      const saved = open.kind === 'edit' ? await api.updateRule(open.rule.id, body) : await api.createRule(body);
      notify(`Rule “${saved.title}” ${open.kind === 'edit' ? 'saved' : 'created'}`);
      onSaved(saved);
      onClose();
    } catch (problem) {
      const placed = problem instanceof ApiProblem && problem.status === 422 ? placeProblems(problem.details) : null;
      setProblems(placed ?? NO_PROBLEMS);
      setTopError(placed ? summaryOf(placed, messageOf(problem)) : messageOf(problem));
      setBusy(false);
      // Keyboard and screen-reader users start from the summary, then Tab to the rows it points at.
      setTimeout(() => topRef.current?.focus(), 0);
    }
  };

  const title = open.kind === 'edit' ? `Edit “${open.rule.title}”` : open.kind === 'duplicate' ? `Duplicate “${open.rule.title}”` : 'New trigger rule';
  return (
    <Dialog title={title} onClose={onClose} wide>
      <form class="rule-editor" onSubmit={save} noValidate>
        <div ref={topRef} tabIndex={-1} class="rule-editor-top">
          <ErrorNote message={topError} />
        </div>
        <TextField
          label="Title"
          value={draft.title}
          maxLength={255}
          autofocus
          onInput={(title) => change({ title }, ['title'])}
          error={joined(problems.byField.title, 'Title')}
        />
        <div class="rule-editor-settings">
          <label class="checkbox">
            <input type="checkbox" checked={draft.status} onChange={(e) => change({ status: (e.currentTarget as HTMLInputElement).checked }, ['status'])} />
            On (the rule runs)
          </label>
          <SortField value={draft.sort} error={joined(problems.byField.sort, 'Sort')} onInput={(sort) => change({ sort }, ['sort'])} />
        </div>

        {directory.error ? (
          <ErrorNote message={`The helpdesk's groups, agents and organisations could not be listed (${messageOf(directory.error)}): enter their ids.`} />
        ) : null}
        <ErrorNote message={joined(problems.byField.conditions, 'Conditions')} />
        {(['all', 'any'] as const).map((list) => (
          <ConditionListEditor
            key={list}
            list={list}
            rows={draft[list]}
            lists={lists}
            problems={problems.byRow}
            onChange={(rows, clears) => change({ [list]: rows }, [...clears, 'conditions'])}
          />
        ))}

        <ActionListEditor
          rows={draft.actions}
          lists={lists}
          problems={problems.byRow}
          error={joined(problems.byField.actions, 'Actions')}
          onChange={(actions, clears) => change({ actions }, [...clears, 'actions'])}
        />

        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : open.kind === 'edit' ? 'Save rule' : 'Create rule'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const dropKeys = (record: Record<string, string[]>, keys: string[]) => Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));

/** "Title must not be empty." from the field's messages. */
const joined = (messages: string[] | undefined, name: string) => (messages?.length ? messages.map((m) => `${name} ${m}`).join(' ') : undefined);

function summaryOf(placed: PlacedProblems, fallback: string): string {
  const shown = Object.values(placed.byRow).flat().length + Object.values(placed.byField).flat().length;
  const rest = placed.top.join(' ');
  if (shown === 0) return rest || fallback;
  return `The rule was not saved: ${shown === 1 ? 'one problem is' : `${shown} problems are`} shown next to what ${shown === 1 ? 'it is' : 'they are'} about.${rest ? ` ${rest}` : ''}`;
}

function SortField({ value, error, onInput }: { value: string; error: string | undefined; onInput: (value: string) => void }) {
  const id = useId();
  return (
    <div class="field sort-field">
      <label for={id}>Sort</label>
      <input
        id={id}
        type="number"
        step={1}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      <p id={`${id}-hint`} class="hint">
        Higher runs first; equal sorts run oldest rule first.
      </p>
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Removes row `index` of a list: the rows after it move up, so what was said about them no longer applies. */
const afterRemoving = <T,>(rows: T[], index: number) => rows.filter((_, i) => i !== index);
const pathsFrom = (list: ConditionList | 'actions', from: number, count: number) =>
  Array.from({ length: Math.max(count - from, 0) }, (_, i) => rowPath(list, from + i));

function ConditionListEditor({
  list,
  rows,
  lists,
  problems,
  onChange,
}: {
  list: ConditionList;
  rows: ConditionDraft[];
  lists: RecordLists;
  problems: Record<string, string[]>;
  onChange: (rows: ConditionDraft[], clears: string[]) => void;
}) {
  const headingId = useId();
  const heading = list === 'all' ? 'When all of these hold' : 'And at least one of these';
  return (
    <section class="rule-list" aria-labelledby={headingId}>
      <h3 id={headingId}>{heading}</h3>
      {rows.length === 0 ? <p class="hint">{list === 'all' ? 'No conditions here.' : 'None: only the conditions above count.'}</p> : null}
      <ol>
        {rows.map((row, index) => (
          <ConditionRow
            key={row.key}
            path={rowPath(list, index)}
            name={`${list === 'all' ? 'All' : 'Any'} condition ${index + 1}`}
            row={row}
            lists={lists}
            problems={problems[rowPath(list, index)]}
            onChange={(updated) =>
              onChange(
                rows.map((r, i) => (i === index ? updated : r)),
                [rowPath(list, index)],
              )
            }
            onRemove={() => onChange(afterRemoving(rows, index), pathsFrom(list, index, rows.length))}
          />
        ))}
      </ol>
      <button type="button" class="button button-small" onClick={() => onChange([...rows, newCondition()], [])}>
        Add a condition to “{list === 'all' ? 'all' : 'any'}”
      </button>
    </section>
  );
}

/** What a condition or action row gets from its list. */
interface RowProps<Draft> {
  path: string;
  name: string;
  row: Draft;
  lists: RecordLists;
  problems: string[] | undefined;
  onChange: (row: Draft) => void;
  onRemove: () => void;
}

/**
 * The frame of a condition or action row: a fieldset named for screen readers (its `data-row`
 * is the path the API's details use), its pickers (told which message describes them when the
 * API refused the row), what goes below them, the API's messages, and Remove.
 */
function RuleRow({
  path,
  name,
  problems,
  onRemove,
  fields,
  below,
}: Pick<RowProps<unknown>, 'path' | 'name' | 'problems' | 'onRemove'> & {
  fields: (describedBy: string | undefined) => ComponentChildren;
  below?: ComponentChildren;
}) {
  const errorId = useId();
  const describedBy = problems?.length ? errorId : undefined;
  return (
    <li>
      <fieldset class="rule-row" data-row={path} data-invalid={describedBy ? '' : undefined}>
        <legend class="visually-hidden">{name}</legend>
        <div class="rule-row-fields">{fields(describedBy)}</div>
        {below}
        <RowProblems id={errorId} problems={problems} />
        <button type="button" class="button button-small button-quiet remove" aria-label={`Remove ${name.toLowerCase()}`} onClick={onRemove}>
          Remove
        </button>
      </fieldset>
    </li>
  );
}

function ConditionRow({ row, lists, onChange, ...frame }: RowProps<ConditionDraft>) {
  const spec = conditionSpecOf(row.source);
  return (
    <RuleRow
      {...frame}
      fields={(describedBy) => (
        <>
          <Picker
            label="Source"
            value={tableRow(row.source)}
            describedBy={describedBy}
            choices={Object.entries(conditionSourceWords).map(([value, label]) => ({ value, label }))}
            onPick={(picked) => onChange(withConditionSource(row, picked))}
          />
          {tableRow(row.source) === 'field_<n>' ? <FieldNumber source={row.source} onInput={(source) => onChange({ ...row, source })} /> : null}
          <Picker
            label="Operator"
            value={row.operator}
            describedBy={describedBy}
            choices={(spec?.operators ?? []).map((op) => ({ value: op, label: operatorWords[op] }))}
            onPick={(operator) => onChange({ ...row, operator, value: takesNoValue(operator) ? '' : row.value })}
          />
          {spec && !takesNoValue(row.operator) ? (
            <ValuePicker
              key={tableRow(row.source)}
              label="Value"
              source={row.source}
              spec={spec.values}
              value={row.value}
              lists={lists}
              describedBy={describedBy}
              onChange={(value) => onChange({ ...row, value })}
            />
          ) : null}
        </>
      )}
    />
  );
}

function ActionListEditor({
  rows,
  lists,
  problems,
  error,
  onChange,
}: {
  rows: ActionDraft[];
  lists: RecordLists;
  problems: Record<string, string[]>;
  error: string | undefined;
  onChange: (rows: ActionDraft[], clears: string[]) => void;
}) {
  const headingId = useId();
  return (
    <section class="rule-list" aria-labelledby={headingId}>
      <h3 id={headingId}>Then do these</h3>
      <ErrorNote message={error} />
      <ol>
        {rows.map((row, index) => (
          <ActionRow
            key={row.key}
            path={rowPath('actions', index)}
            name={`Action ${index + 1}`}
            row={row}
            lists={lists}
            problems={problems[rowPath('actions', index)]}
            onChange={(updated) =>
              onChange(
                rows.map((r, i) => (i === index ? updated : r)),
                [rowPath('actions', index)],
              )
            }
            onRemove={() => onChange(afterRemoving(rows, index), pathsFrom('actions', index, rows.length))}
          />
        ))}
      </ol>
      <button type="button" class="button button-small" onClick={() => onChange([...rows, newAction()], [])}>
        Add an action
      </button>
    </section>
  );
}

function ActionRow({ row, lists, onChange, ...frame }: RowProps<ActionDraft>) {
  const spec = actionSpecOf(row.source);
  return (
    <RuleRow
      {...frame}
      fields={(describedBy) => (
        <>
          <Picker
            label="Action"
            value={tableRow(row.source)}
            describedBy={describedBy}
            choices={Object.entries(actionSourceWords).map(([value, label]) => ({ value, label }))}
            onPick={(picked) => onChange(withActionSource(row, picked, lists))}
          />
          {tableRow(row.source) === 'field_<n>' ? <FieldNumber source={row.source} onInput={(source) => onChange({ ...row, source })} /> : null}
          {spec ? (
            <ValuePicker
              key={tableRow(row.source)}
              label={spec.kind === 'field' ? 'Set to' : spec.kind === 'target' ? 'Target' : 'Send to'}
              source={row.source}
              spec={spec.values}
              value={row.value}
              lists={lists}
              describedBy={describedBy}
              onChange={(value) => onChange({ ...row, value })}
            />
          ) : null}
        </>
      )}
      below={
        <>
          {spec?.kind === 'email' ? <TextWithPlaceholders label="Subject" value={row.subject} onInput={(subject) => onChange({ ...row, subject })} /> : null}
          {spec && spec.kind !== 'field' ? (
            <TextWithPlaceholders
              label="Text"
              multiline
              hint="Left empty, the connector sends its default text: the ticket, its status, the link and the latest public message."
              value={row.body}
              onInput={(body) => onChange({ ...row, body })}
            />
          ) : null}
        </>
      }
    />
  );
}

function RowProblems({ id, problems }: { id: string; problems: string[] | undefined }) {
  if (!problems?.length) return null;
  return (
    <ul id={id} class="row-problems" role="alert">
      {problems.map((p) => (
        <li key={p} class="field-error">
          {p}
        </li>
      ))}
    </ul>
  );
}

/** Consecutive choices of one `group`, as an optgroup; choices without one stand alone. */
function grouped(choices: Choice[]): Array<{ group: string | undefined; choices: Choice[] }> {
  const runs: Array<{ group: string | undefined; choices: Choice[] }> = [];
  for (const choice of choices) {
    const last = runs.at(-1);
    if (last && last.group === choice.group) last.choices.push(choice);
    else runs.push({ group: choice.group, choices: [choice] });
  }
  return runs;
}

const options = (choices: Choice[]) =>
  choices.map((c) => (
    <option key={c.value} value={c.value}>
      {c.label}
    </option>
  ));

/** A labelled select; a value it does not list (a rule stored by the API) is kept as a choice of its own. */
function Picker({
  label,
  value,
  choices,
  describedBy,
  onPick,
}: {
  label: string;
  value: string;
  choices: Choice[];
  describedBy?: string | undefined;
  onPick: (value: string) => void;
}) {
  const id = useId();
  const listed = choices.some((c) => c.value === value);
  return (
    <div class="picker">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={describedBy ? 'true' : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onPick((e.currentTarget as HTMLSelectElement).value)}
      >
        {listed ? null : <option value={value}>{value === '' ? 'Choose…' : value}</option>}
        {grouped(choices).map((run) =>
          run.group ? (
            <optgroup key={run.group} label={run.group}>
              {options(run.choices)}
            </optgroup>
          ) : (
            options(run.choices)
          ),
        )}
      </select>
    </div>
  );
}

/** `field_757`: the custom field's number, typed. */
function FieldNumber({ source, onInput }: { source: string; onInput: (source: string) => void }) {
  const id = useId();
  return (
    <div class="picker">
      <label for={id}>Field number</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={source.slice('field_'.length)}
        onInput={(e) => onInput(`field_${(e.currentTarget as HTMLInputElement).value.trim()}`)}
      />
    </div>
  );
}

const BY_ID = '#by-id';
const TYPED = '#typed';

const idWords: Record<NonNullable<ValueSpec['id']>, { choice: string; label: string; hint: string }> = {
  user: {
    choice: 'Another user, by id…',
    label: 'User id',
    hint: 'The list has the agents and the newest requesters: enter any other helpdesk user id (a number).',
  },
  group: { choice: 'A group, by id…', label: 'Group id', hint: 'Enter the group id (a number).' },
  organization: {
    choice: 'Another organisation, by id…',
    label: 'Organisation id',
    hint: 'The list has the organisations users belong to: enter any other organisation id (a number).',
  },
  user_or_group: { choice: 'An agent or a group, by id…', label: 'Agent or group id', hint: "Enter an agent's user id or a group id." },
  target: { choice: 'A webhook target, by id…', label: 'Target id', hint: 'Enter the webhook target id.' },
};

const textWords: Record<NonNullable<ValueSpec['text']>, { choice: string; label: string; hint?: string }> = {
  tags: { choice: 'Tags…', label: 'Tags', hint: 'Separate tags with spaces.' },
  text: { choice: 'Text…', label: 'Text' },
  email: { choice: 'An address…', label: 'Email address', hint: 'Such as support@example.com.' },
  field: { choice: 'A value…', label: 'Field value' },
};

/**
 * The value of a row, as the table allows it for the source: a select of the fixed values and the
 * records of the kind it names (groups, agents and requesters, organisations, webhook targets,
 * from the helpdesk's lists), with "by id…" or free text where the table has those; only free
 * text (or only an id) when that is all there is.
 */
function ValuePicker({
  label,
  source,
  spec,
  value,
  lists,
  describedBy,
  onChange,
}: {
  label: string;
  source: string;
  spec: ValueSpec;
  value: string;
  lists: RecordLists;
  describedBy?: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const fixed: Choice[] = [...(spec.options ?? []).map((o) => ({ value: o, label: valueInWords(source, o) })), ...recordChoices(spec.id, lists)];
  const typedKind = spec.id && spec.id !== 'target' ? BY_ID : spec.text ? TYPED : null;
  // Typed when the admin chose "by id…"/free text, or when the value is not among the choices
  // (a stored rule naming a record the lists do not have, or do not have yet while loading).
  const [choseTyping, setChoseTyping] = useState(false);
  const typing = typedKind !== null && (choseTyping || !fixed.some((c) => c.value === value));
  const words = typedKind === BY_ID ? idWords[spec.id!] : spec.text ? textWords[spec.text] : null;

  const input = words ? (
    <div class="picker">
      <label for={id}>{fixed.length ? words.label : label}</label>
      <input
        id={id}
        type="text"
        inputMode={typedKind === BY_ID ? 'numeric' : undefined}
        value={value}
        aria-invalid={describedBy ? 'true' : undefined}
        aria-describedby={[words.hint ? `${id}-hint` : '', describedBy ?? ''].filter(Boolean).join(' ') || undefined}
        onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
      />
      {words.hint ? (
        <p id={`${id}-hint`} class="hint">
          {words.hint}
        </p>
      ) : null}
    </div>
  ) : null;
  if (fixed.length === 0 && input) return input;

  const choices = typedKind && words ? [...fixed, { value: typedKind, label: words.choice }] : fixed;
  return (
    <>
      <Picker
        label={label}
        value={typing ? typedKind : value}
        choices={choices}
        describedBy={describedBy}
        onPick={(picked) => {
          const typed = picked === BY_ID || picked === TYPED;
          setChoseTyping(typed);
          onChange(typed ? '' : picked);
        }}
      />
      {typing ? input : null}
      {spec.id === 'target' && lists.targets.length === 0 ? <p class="hint">No webhook targets yet: add one under Webhook targets first.</p> : null}
    </>
  );
}

const placeholderChoices = Object.entries(knownPlaceholders).filter(([name]) => !name.includes('<'));

/** A subject or text field with "Insert placeholder": the chosen `{{ticket.title}}` goes where the caret was. */
function TextWithPlaceholders({
  label,
  value,
  onInput,
  multiline = false,
  hint,
}: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  multiline?: boolean;
  hint?: string;
}) {
  const id = useId();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [placeholder, setPlaceholder] = useState(placeholderChoices[0]![0]);

  // A select that inserted on change would insert at every arrow key: the choice and the insertion are two steps.
  const insert = () => {
    const el = field.current!;
    const text = `{{${placeholder}}}`;
    const start = el.selectionStart ?? value.length;
    const end = el.selectionEnd ?? start;
    onInput(value.slice(0, start) + text + value.slice(end));
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + text.length, start + text.length);
    });
  };
  const common = {
    id,
    ref: field,
    value,
    spellcheck: false,
    'aria-describedby': hint ? `${id}-hint` : undefined,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field text-with-placeholders">
      <label for={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
      {multiline ? <textarea rows={4} {...common} /> : <input type="text" {...common} />}
      <div class="placeholder-insert">
        <label for={`${id}-placeholder`} class="visually-hidden">
          Placeholder for {label.toLowerCase()}
        </label>
        <select id={`${id}-placeholder`} value={placeholder} onChange={(e) => setPlaceholder((e.currentTarget as HTMLSelectElement).value)}>
          {placeholderChoices.map(([name, meaning]) => (
            <option key={name} value={name}>
              {`{{${name}}} – ${meaning}`}
            </option>
          ))}
        </select>
        <button type="button" class="button button-small" onClick={insert} aria-label={`Insert placeholder in ${label.toLowerCase()}`}>
          Insert placeholder
        </button>
      </div>
    </div>
  );
}
