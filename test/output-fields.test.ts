import { readFileSync } from 'node:fs';
import { z } from 'zod';
import App from '../index.js';
import { renderOutputFieldsModule, outputFieldsFor } from '../scripts/output-fields.js';
import { ChatStartedEvent, Ticket } from '../contract/index.js';
import { labelFor } from '../lib/labels.js';

type Field = { key: string; label?: string };
interface Operation {
  key: string;
  display: { hidden?: boolean };
  operation: { sample?: unknown; outputFields?: unknown };
}
const visibleOperations = (['triggers', 'creates', 'searches'] as const).flatMap((kind) =>
  Object.values(App[kind] as Record<string, Operation>)
    .filter((op) => !op.display.hidden)
    .map((op) => ({ id: `${kind}.${op.key}`, sample: op.operation.sample, outputFields: (op.operation.outputFields ?? []) as Field[] })),
);

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const childKey = (parent: string, key: string) => (parent === '' || parent.endsWith('[]') ? parent + key : `${parent}__${key}`);

/**
 * The keys Zapier shows for a result, flattened as Zapier does: `a__b` into objects, `a[]b` into
 * the items of a list of objects (one level). Written apart from the generator, from the data.
 */
function zapierKeys(value: unknown, key = ''): string[] {
  if (Array.isArray(value) && value.some(isObject)) {
    return [...new Set(value.filter(isObject).flatMap((item) => zapierKeys(item, `${key}[]`)))];
  }
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => zapierKeys(v, childKey(key, k)));
  return [key];
}

/**
 * Keys of a sample that no output field labels. A field labels its own key, the keys inside it
 * when it is a map declared whole (kf5__fields), and a null that stands for its object
 * (assignee: null); never across `[]`, so a list of objects needs fields for its items.
 */
function unlabelledKeys(sample: unknown, fields: Field[]): string[] {
  const labelled = (key: string) => fields.some((f) => f.key === key || key.startsWith(`${f.key}__`) || f.key.startsWith(`${key}__`));
  return zapierKeys(sample).filter((key) => !labelled(key));
}

describe('output fields generated from the contract', () => {
  it('lib/generated/output-fields.ts is exactly what the contract derives (run `npm run generate` after changing contract/)', () => {
    const committed = readFileSync(new URL('../lib/generated/output-fields.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderOutputFieldsModule());
  });

  it('lib/generated/output-fields.ts is plain data, one field per line, its first line saying how to regenerate it', () => {
    const lines = renderOutputFieldsModule().split('\n');
    expect(lines[0]).toMatch(/^\/\/ Generated: do not edit\..*`npm run generate`/);
    // nothing but a type import: the app must not load zod (or anything else) through this file
    expect(lines.filter((line) => /^\s*import\b/.test(line))).toEqual(["import type { PlainOutputField } from 'zapier-platform-core';"]);
    const fieldLines = lines.filter((line) => line.trimStart().startsWith('{ key: '));
    expect(fieldLines.length).toBeGreaterThan(100);
    expect(fieldLines.filter((line) => !/^ {4}\{ key: "[^"]+", label: "[^"]+"(, type: "\w+")?(, primary: true)? \},$/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.length > 160)).toEqual([]);
  });

  it('flattens nested objects as a__b and lists of objects as a[]b, with readable labels and types', () => {
    const fields = outputFieldsFor(Ticket);
    expect(fields).toEqual(
      expect.arrayContaining([
        { key: 'requester__mail', label: 'Requester Email', type: 'string' },
        { key: 'currentGroup__id', label: 'Current Group ID', type: 'integer' },
        { key: 'events[]is_private', label: 'Events Private', type: 'boolean' },
        { key: 'modified', label: 'Modified', type: 'datetime' },
      ]),
    );
    expect(fields.find((f) => f.key === 'assignee__name')).toEqual({ key: 'assignee__name', label: 'Assignee Name', type: 'string' });
  });

  it('declares the objects inside list items as a[]b__c', () => {
    const fields = outputFieldsFor(Ticket);
    expect(fields.filter((f) => f.key.startsWith('events[]'))).toEqual([
      { key: 'events[]author__id', label: 'Events Author ID', type: 'string' },
      { key: 'events[]author__name', label: 'Events Author Name', type: 'string' },
      { key: 'events[]author__type', label: 'Events Author Type', type: 'string' },
      { key: 'events[]date', label: 'Events Date', type: 'datetime' },
      { key: 'events[]is_private', label: 'Events Private', type: 'boolean' },
      { key: 'events[]message', label: 'Events Message', type: 'string' },
      { key: 'events[]source__type', label: 'Events Source Type', type: 'string' },
      { key: 'events[]source__url', label: 'Events Source URL', type: 'string' },
      { key: 'events[]type', label: 'Events Type', type: 'string' },
    ]);
  });

  it("takes a label from the schema's title where the key would read badly", () => {
    const fields = outputFieldsFor(ChatStartedEvent);
    expect(fields.find((f) => f.key === 'pre_chat_survey[]answer')?.label).toBe('Pre-Chat Survey Answer');
    expect(fields.find((f) => f.key === 'visitor__page_current')?.label).toBe('Visitor Current Page');
    expect(outputFieldsFor(z.object({ wa: z.string().nullable().meta({ title: 'WhatsApp Number' }) }))).toEqual([
      { key: 'wa', label: 'WhatsApp Number', type: 'string' },
    ]);
  });

  it.each([
    ['whatsApp', 'WhatsApp'],
    ['weChat', 'WeChat'],
    ['linkedin', 'LinkedIn'],
    ['mergedContactIds', 'Merged Contact IDs'],
    ['vip', 'VIP'],
    ['senderNumber', 'Sender Number'],
    ['svcID', 'Service ID'],
  ])('labels the key %s as "%s"', (key, label) => {
    expect(labelFor(key)).toBe(label);
  });

  it('refuses a list of objects it cannot declare item by item', () => {
    expect(() => outputFieldsFor(z.object({ events: z.array(z.object({})) }))).toThrow('events: a list of objects whose items declare no fields');
    expect(() => outputFieldsFor(z.object({ chats: z.array(z.object({ messages: z.array(z.object({ text: z.string() })) })) }))).toThrow(
      'chats[]messages: a list of objects inside a list item',
    );
  });
});

describe.each(visibleOperations)('$id output fields', ({ sample, outputFields }) => {
  it('label every key Zapier shows from the sample, list items included', () => {
    expect(unlabelledKeys(sample, outputFields)).toEqual([]);
  });
});

describe('the label check can fail', () => {
  it('flattens a sample as Zapier does', () => {
    const sample = {
      id: '1',
      assignee: null,
      ticket: {
        events: [
          { author: { name: 'Ann' }, date: 'd' },
          { author: { name: 'Bo' }, extra: 1 },
        ],
      },
      tags: ['a'],
    };
    expect(zapierKeys(sample)).toEqual(['id', 'assignee', 'ticket__events[]author__name', 'ticket__events[]date', 'ticket__events[]extra', 'tags']);
  });

  it('reports a list of objects declared without its item fields', () => {
    const sample = { events: [{ author: { name: 'Ann' }, date: '2026-11-20T09:14:03Z' }] };
    expect(unlabelledKeys(sample, [{ key: 'events' }])).toEqual(['events[]author__name', 'events[]date']);
    expect(unlabelledKeys(sample, [{ key: 'events[]author' }, { key: 'events[]date' }])).toEqual([]);
  });

  it('reports an item key the fields miss, and accepts a null object or a map declared whole', () => {
    expect(unlabelledKeys({ events: [{ author: { name: 'Ann', id: '7' } }] }, [{ key: 'events[]author__name' }])).toEqual(['events[]author__id']);
    expect(unlabelledKeys({ assignee: null, kf5: { fields: { field_757: '99' } } }, [{ key: 'assignee__name' }, { key: 'kf5__fields' }])).toEqual([]);
  });
});
