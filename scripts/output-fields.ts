import { z } from 'zod';
import {
  Agent,
  Contact,
  ContactRecord,
  DeletedAgent,
  Enquiry,
  RoomMessage,
  ServiceNumber,
  SmsMessage,
  StaffMessage,
  Ticket,
  UpdatedContactRecord,
  eventPayloads,
} from '../contract/index.js';
import { eventTypes } from '../contract/enums.js';
import { labelFor } from '../lib/labels.js';

/**
 * Derives the app's Zapier output fields from the zod contract. It runs at development time
 * (`npm run generate`) and writes lib/generated/output-fields.ts, because deriving them at run
 * time would make the app load zod, which costs more import time than the rest of the app; a
 * test keeps the generated file equal to what this derives.
 */

/** An output field as Zapier's schema takes it. */
export interface OutputField {
  key: string;
  label: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'datetime';
  primary?: boolean;
}

type JsonSchema = {
  type?: string | string[];
  format?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
};

/** Strips `anyOf [X, null]` (nullable) down to X. */
const unwrap = (schema: JsonSchema): JsonSchema => {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  const nonNull = options.filter((s) => s.type !== 'null');
  return nonNull.length === 1 ? unwrap(nonNull[0]!) : schema;
};

const scalarType = (schema: JsonSchema): OutputField['type'] => {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'string' && schema.format === 'date-time') return 'datetime';
  if (type === 'integer' || type === 'number' || type === 'boolean') return type;
  return 'string';
};

/** A key's part of a label: the schema's `.meta({ title })` where the key reads badly, else the humanised key. */
const labelOf = (key: string, schema: JsonSchema): string => schema.title ?? unwrap(schema).title ?? labelFor(key);

/** Where the walk is: the Zapier key so far ("ticket__events[]") and the labels of its parts. */
interface Position {
  key: string;
  labels: string[];
  inListItem: boolean;
}

/** Zapier's flattened keys: `__` between an object and its key, `[]` between a list and its items' keys. */
const childKey = (parent: string, key: string) => (parent === '' || parent.endsWith('[]') ? parent + key : `${parent}__${key}`);

function walk(schema: JsonSchema, at: Position, out: OutputField[]): void {
  const node = unwrap(schema);
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) {
      walk(child, { ...at, key: childKey(at.key, key), labels: [...at.labels, labelOf(key, child)] }, out);
    }
    return;
  }
  const items = node.items && unwrap(node.items);
  if (items?.properties) {
    // Zapier flattens one level of line items only: a list inside an item would show as raw keys
    if (at.inListItem) throw new Error(`${at.key}: a list of objects inside a list item has no Zapier key; flatten it in the contract`);
    const before = out.length;
    walk(items, { ...at, key: `${at.key}[]`, inListItem: true }, out);
    if (out.length === before) throw new Error(`${at.key}: a list of objects whose items declare no fields`);
    return;
  }
  // a list of plain values is one field: Zapier shows it joined
  out.push({ key: at.key, label: at.labels.join(' '), type: items ? 'string' : scalarType(node) });
}

/**
 * Zapier output fields for everything a schema guarantees: nested objects as `a__b`, lists of
 * objects as `a[]b`, objects inside list items as `a[]b__c`.
 */
export function outputFieldsFor(schema: z.ZodType, primaryKeys: string[] = []): OutputField[] {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const fields: OutputField[] = [];
  walk(json, { key: '', labels: [], inListItem: false }, fields);
  return fields.map((f) => (primaryKeys.includes(f.key) ? { ...f, primary: true } : f));
}

/** Every shape the app outputs: the records its actions return and the events its triggers deliver. */
export const outputFieldSources = {
  Agent: [Agent],
  Contact: [Contact],
  ContactRecord: [ContactRecord],
  DeletedAgent: [DeletedAgent],
  Enquiry: [Enquiry],
  RoomMessage: [RoomMessage],
  ServiceNumber: [ServiceNumber],
  SmsMessage: [SmsMessage],
  StaffMessage: [StaffMessage],
  Ticket: [Ticket],
  UpdatedContactRecord: [UpdatedContactRecord],
  // eventId is each delivery's unique key (the record's `id` repeats across its events)
  ...Object.fromEntries(eventTypes.map((t) => [t, [eventPayloads[t], ['eventId']]])),
} as Record<string, [z.ZodType, string[]?]>;

/** One field on one line, its properties in a fixed order, so a contract change is a one-line diff. */
const renderField = (field: OutputField): string =>
  `    { ${(['key', 'label', 'type', 'primary'] as const)
    .filter((p) => field[p] !== undefined)
    .map((p) => `${p}: ${JSON.stringify(field[p])}`)
    .join(', ')} },`;

/** lib/generated/output-fields.ts: plain data (no zod, no calls), one shape per block and one field per line. */
export function renderOutputFieldsModule(): string {
  const shapes = Object.entries(outputFieldSources).flatMap(([name, [schema, primary]]) => [
    `  ${JSON.stringify(name)}: [`,
    ...outputFieldsFor(schema, primary).map(renderField),
    '  ],',
  ]);
  return [
    '// Generated: do not edit. After changing contract/, regenerate it with `npm run generate`.',
    '// Derived from the zod contract by scripts/output-fields.ts; test/output-fields.test.ts fails while',
    '// this file differs from the contract. Plain data, so that the app never loads zod at run time.',
    "import type { PlainOutputField } from 'zapier-platform-core';",
    '',
    '/** Every shape the app outputs: records its actions return, events its triggers deliver. */',
    'export type OutputShape =',
    ...Object.keys(outputFieldSources).map((name, i, all) => `  | ${JSON.stringify(name)}${i === all.length - 1 ? ';' : ''}`),
    '',
    'export const outputFields: { readonly [Name in OutputShape]: PlainOutputField[] } = {',
    ...shapes,
    '};',
    '',
  ].join('\n');
}
