// Every sample parses with its schema, every visible operation's sample matches its outputFields,
// and every date in a sample is ISO-8601 with a zone.
import { z } from 'zod';
import App from '../index.js';
import * as c from '../contract/index.js';
import { outputFields } from '../lib/generated/output-fields.js';

const schemaSamples: [string, unknown, z.ZodType][] = [
  ['enquirySample', c.enquirySample, c.Enquiry],
  ['contactSample', c.contactSample, c.Contact],
  ['contactRecordSample', c.contactRecordSample, c.ContactRecord],
  ['updatedContactRecordSample', c.updatedContactRecordSample, c.UpdatedContactRecord],
  ['tagSample', c.tagSample, c.Tag],
  ['numberSample', c.numberSample, c.ServiceNumber],
  ['smsSample', c.smsSample, c.SmsMessage],
  ['staffSample', c.staffSample, c.Staff],
  ['roomSample', c.roomSample, c.Room],
  ['staffMessageSample', c.staffMessageSample, c.StaffMessage],
  ['roomMessageSample', c.roomMessageSample, c.RoomMessage],
  ['ticketSample', c.ticketSample, c.Ticket],
  ['groupSample', c.groupSample, c.Group],
  ['agentSample', c.agentSample, c.Agent],
  ['chatSample', c.chatSample, c.Chat],
  ['visitorSample', c.visitorSample, c.Visitor],
  ['preChatSurveySample', c.preChatSurveySample, z.array(c.PreChatAnswer)],
  ['meSample', c.meSample, c.Me],
  ['subscriptionSample', c.subscriptionSample, c.CreatedSubscription],
  ['zapierAccountSample', c.zapierAccountSample, c.ZapierAccountWithToken],
  ['supportExportSample', c.supportExportSample, c.SupportExport],
  ...c.eventTypes.map((t): [string, unknown, z.ZodType] => [`eventSamples['${t}']`, c.eventSamples[t], c.eventPayloads[t]]),
];

/**
 * The contract shape an operation outputs, as the operation names it (outputOf in
 * lib/output-shapes.ts): its outputFields are that shape's generated array itself.
 */
type ShapeName = keyof typeof outputFields;
const shapeOf = (operationFields: unknown): ShapeName | undefined =>
  (Object.keys(outputFields) as ShapeName[]).find((name) => outputFields[name] === operationFields);
const schemaOf = (name: ShapeName): z.ZodType =>
  name in c.eventPayloads ? c.eventPayloads[name as c.EventType] : (c as unknown as Record<string, z.ZodType>)[name]!;

interface Operation {
  key: string;
  display: { hidden?: boolean };
  operation: { sample?: unknown; outputFields?: unknown };
}
type OutputField = { key: string; type?: string };
const visibleOperations = (['triggers', 'creates', 'searches'] as const).flatMap((kind) =>
  Object.values(App[kind] as Record<string, Operation>)
    .filter((op) => !op.display.hidden)
    .map((op) => ({ id: `${kind}.${op.key}`, sample: op.operation.sample, outputFields: (op.operation.outputFields ?? []) as OutputField[] })),
);

/**
 * Does the "a__b" path name a value in the node? A null on the way counts as present: the schema
 * allows that object to be null (e.g. handledBy before anyone handled the enquiry).
 */
function pathIn(node: unknown, path: string): boolean {
  for (const step of path.split('__')) {
    if (node === null) return true;
    if (typeof node !== 'object' || Array.isArray(node) || !(step in node)) return false;
    node = (node as Record<string, unknown>)[step];
  }
  return true;
}

/** The value at an "a__b" path, or null when an object on the way is null. */
const valueAt = (node: unknown, path: string): unknown =>
  path.split('__').reduce<unknown>((n, step) => (n as Record<string, unknown> | null)?.[step] ?? null, node);

/** The list at a line-item key's "a" in "a[]b__c" (an empty list when it is not one). */
const itemsAt = (sample: unknown, key: string): unknown[] => {
  const list = valueAt(sample, key.split('[]')[0]!);
  return Array.isArray(list) ? list : [];
};

/**
 * Does the output field key name a value in the sample? "a__b" walks into objects; "a[]b__c"
 * needs a non-empty list a whose every item has b__c.
 */
function resolvesIn(sample: unknown, key: string): boolean {
  const [objectPath, itemPath] = key.split('[]') as [string, string | undefined];
  if (!pathIn(sample, objectPath)) return false;
  if (itemPath === undefined) return true;
  const items = itemsAt(sample, key);
  return items.length > 0 && items.every((item) => item !== null && typeof item === 'object' && pathIn(item, itemPath));
}

/** Every string in a value, with its path. */
const strings = (value: unknown, path = '$'): [string, string][] => {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
};
const looksLikeDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('contract samples', () => {
  it.each(schemaSamples)('%s parses with its schema', (_name, sample, schema) => {
    const result = schema.safeParse(sample);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('every event type has its sample', () => {
    expect(Object.keys(c.eventSamples).sort()).toEqual([...c.eventTypes].sort());
  });
});

describe.each(visibleOperations)('$id sample', ({ sample, outputFields: outputFieldsOf }) => {
  it('is an object that parses with the schema its outputFields come from', () => {
    expect(sample).toEqual(expect.any(Object));
    expect(Array.isArray(sample)).toBe(false);
    const shape = shapeOf(outputFieldsOf);
    expect(shape).toBeDefined();
    const result = schemaOf(shape!).safeParse(sample);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it('has a value for every output field key', () => {
    expect(outputFieldsOf.length).toBeGreaterThan(0);
    expect(outputFieldsOf.map((f) => f.key).filter((key) => !resolvesIn(sample, key))).toEqual([]);
  });

  it('has only ISO-8601 date-times with a zone', () => {
    const dates = strings(sample).filter(([, s]) => looksLikeDateTime.test(s));
    expect(dates.filter(([, s]) => !isoWithZone.test(s))).toEqual([]);
    // a datetime field's every value, in each list item too, is such a date-time (or null)
    const datetimeValues = outputFieldsOf
      .filter((f) => f.type === 'datetime')
      .flatMap(({ key }): [string, unknown][] => {
        const itemPath = key.split('[]')[1];
        return itemPath === undefined ? [[key, valueAt(sample, key)]] : itemsAt(sample, key).map((item) => [key, valueAt(item, itemPath)]);
      });
    for (const [key, value] of datetimeValues) {
      if (value !== null) expect([key, value]).toEqual([key, expect.stringMatching(isoWithZone)]);
    }
  });
});

describe('the checks above can fail', () => {
  it('every visible operation names the shape it outputs, and a copy of its fields would not pass for one', () => {
    expect(visibleOperations.filter((o) => shapeOf(o.outputFields) === undefined).map((o) => o.id)).toEqual([]);
    expect(shapeOf([...outputFields.Ticket])).toBeUndefined();
  });

  it('resolvesIn rejects missing keys and empty line items', () => {
    expect(resolvesIn({ a: { b: 1 } }, 'a__b')).toBe(true);
    expect(resolvesIn({ a: null }, 'a__b')).toBe(true);
    expect(resolvesIn({ a: { c: 1 } }, 'a__b')).toBe(false);
    expect(resolvesIn({ a: [{ b: 1 }] }, 'a[]b')).toBe(true);
    expect(resolvesIn({ a: [] }, 'a[]b')).toBe(false);
    expect(resolvesIn({ a: [{ c: 1 }] }, 'a[]b')).toBe(false);
    expect(resolvesIn({ a: [{ b: { c: 1 } }] }, 'a[]b__c')).toBe(true);
    expect(resolvesIn({ a: [{ b: { c: 1 } }, { b: { d: 1 } }] }, 'a[]b__c')).toBe(false);
    expect(resolvesIn({ x: { a: [{ b: 1 }] } }, 'x__a[]b')).toBe(true);
  });

  it('the date pattern rejects a date-time without a zone', () => {
    expect(isoWithZone.test('2026-11-20T09:14:03.000Z')).toBe(true);
    expect(isoWithZone.test('2026-11-20T09:14:03+08:00')).toBe(true);
    expect(isoWithZone.test('2026-11-20T09:14:03')).toBe(false);
    expect(isoWithZone.test('2026-11-20 09:14:03Z')).toBe(false);
  });
});
