import { readFileSync } from 'node:fs';
import { renderOutputFieldsModule, outputFieldsFor } from '../scripts/output-fields.js';
import { Ticket } from '../contract/index.js';

describe('output fields generated from the contract', () => {
  it('lib/output-fields.ts is exactly what the contract derives (run `npm run generate` after changing contract/)', () => {
    const committed = readFileSync(new URL('../lib/output-fields.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderOutputFieldsModule());
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
});
