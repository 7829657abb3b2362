import { Time } from './Time.js';

/**
 * Any JSON record, readably: its keys as words, objects as nested field lists, lists of objects
 * as tables (stacked cards at phone width), lists of values as lists. Generic on purpose: the
 * record view shows whatever the API answers, so a field added to the contract shows up at once.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WORDS: Record<string, string> = { id: 'ID', url: 'URL', ip: 'IP', sms: 'SMS', kf5: 'KF5', cid: 'CID', api: 'API' };

/** "displayCaseNumber" → "Display case number", "first_name" → "First name", "enquiryID" → "Enquiry ID". */
export function fieldLabel(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter(Boolean)
    .map((word) => WORDS[word] ?? word);
  const text = words.join(' ') || key;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const isObject = (value: Json): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);
const isEmpty = (value: Json | undefined) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const WEB_ADDRESS = /^https?:\/\/\S+$/;

/** One value of any shape. */
export function Value({ value, label }: { value: Json | undefined; label: string }) {
  if (isEmpty(value)) return <span class="muted">none</span>;
  if (typeof value === 'boolean') return <span>{value ? 'Yes' : 'No'}</span>;
  if (typeof value === 'number') return <span>{String(value)}</span>;
  if (typeof value === 'string') {
    if (ISO_TIME.test(value)) return <Time iso={value} />;
    if (WEB_ADDRESS.test(value))
      return (
        <a class="wrap" href={value} rel="noreferrer noopener">
          {value}
        </a>
      );
    return <span class="record-text">{value}</span>;
  }
  if (Array.isArray(value)) {
    if (value.every(isObject)) return <RecordTable rows={value} label={label} />;
    return (
      <ul class="record-list">
        {value.map((item, index) => (
          <li key={index}>
            <Value value={item} label={label} />
          </li>
        ))}
      </ul>
    );
  }
  return <Fields record={value!} />;
}

/** Labels for an object's keys; keys that would read the same (an enquiry's `id` and `_id`) also show the key itself. */
function labelsOf(keys: string[]): Map<string, string> {
  const plain = keys.map(fieldLabel);
  return new Map(
    keys.map((key, index) => [key, plain.indexOf(plain[index]!) === plain.lastIndexOf(plain[index]!) ? plain[index]! : `${plain[index]} (${key})`]),
  );
}

/** An object's fields as a description list, in the API's order. */
export function Fields({ record }: { record: { [key: string]: Json } }) {
  const labels = labelsOf(Object.keys(record));
  return (
    <dl class="record-fields">
      {Object.entries(record).map(([key, value]) => (
        <div key={key}>
          <dt>{labels.get(key)}</dt>
          <dd>
            <Value value={value} label={labels.get(key)!} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A list of objects: one row each, one column per key any of them has. */
function RecordTable({ rows, label }: { rows: Array<{ [key: string]: Json }>; label: string }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const labels = labelsOf(columns);
  return (
    // Focusable so a table wider than the screen can be scrolled with the keyboard.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the tab stop is the point, a scrollable region must be reachable by keyboard to scroll it (axe: scrollable-region-focusable)
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      <table class="stack record-table">
        <caption class="visually-hidden">{label}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {labels.get(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column} data-label={labels.get(column)}>
                  <Value value={row[column]} label={labels.get(column)!} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
