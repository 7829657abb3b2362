import { z } from 'zod';

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
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
};

/** Keys whose spelling comes from the seeds and reads badly when split mechanically. */
const labelOverrides: Record<string, string> = {
  id: 'ID',
  _id: 'Enquiry Record ID',
  createdAT: 'Created At',
  svcID: 'Service ID',
  ServiceID: 'Service ID',
  cid: 'Conversation ID',
  roomID: 'Room ID',
  slavecontacts: 'Merged Contact IDs',
  is_private: 'Private',
  mail: 'Email',
  ip: 'IP Address',
  url: 'URL',
  link: 'Link',
};

const acronyms = new Set(['id', 'ip', 'url', 'sms', 'im']);

/** "displayCaseNumber" → "Display Case Number", "fromOwnerID" → "From Owner ID", "job_title" → "Job Title". */
export function labelFor(key: string): string {
  const override = labelOverrides[key];
  if (override) return override;
  return key
    .replace(/^_+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_]+/)
    .filter(Boolean)
    .map((word) => (acronyms.has(word.toLowerCase()) ? word.toUpperCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join(' ');
}

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

function walk(schema: JsonSchema, path: string[], out: OutputField[], labels: string[]) {
  const node = unwrap(schema);
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) {
      walk(child, [...path, key], out, [...labels, labelFor(key)]);
    }
    return;
  }
  const items = node.items && unwrap(node.items);
  if (items?.properties) {
    // line items: Zapier's "parent[]child" keys
    for (const [key, child] of Object.entries(items.properties)) {
      const childNode = unwrap(child);
      if (childNode.properties || childNode.items) continue;
      out.push({ key: `${path.join('__')}[]${key}`, label: [...labels, labelFor(key)].join(' '), type: scalarType(childNode) });
    }
    return;
  }
  out.push({ key: path.join('__'), label: labels.join(' '), type: items ? 'string' : scalarType(node) });
}

/**
 * Zapier output fields for everything a schema guarantees: nested objects as `a__b`,
 * lists of objects as `a[]b`. Derived from the contract, so labels never drift from shapes.
 */
export function outputFieldsFor(schema: z.ZodType, primaryKeys: string[] = []): OutputField[] {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  const fields: OutputField[] = [];
  walk(json, [], fields, []);
  return fields.map((f) => (primaryKeys.includes(f.key) ? { ...f, primary: true } : f));
}
