// Placeholders: case-sensitive, unknown ones empty, JSON-escaped in JSON target bodies.
import { ticketSample } from '../../../contract/index.js';
import { placeholderLookup, sampleLookup } from '../../src/rules/placeholders.js';
import { compileTemplate, knownPlaceholders, placeholdersOf, render, targetPayload } from '../../src/rules/templates.js';

const lookup = placeholderLookup({
  ticket: { ...ticketSample, subject: 'Line "one"\nline two', kf5: { ...ticketSample.kf5, fields: { field_757: 'A-1042' } } },
  account: { name: 'Acme', url: 'https://connector.example.com' },
  currentUser: { id: null, name: 'Marketing Zaps', email: null },
  assigneeEmail: 'ava.wong@acme.example',
  trigger: { id: 985, title: 'Ack' },
});

describe('placeholders', () => {
  it('renders the seed example and every documented placeholder', () => {
    expect(render('[{{account.name}}] 工单: {{ticket.title}} 已被解决', lookup)).toBe('[Acme] 工单: Line "one"\nline two 已被解决');
    expect(render('{{ticket.url}} {{ ticket.id }} {{ticket.status}} {{ticket.requester.name}}', lookup)).toBe(`${ticketSample.link} TKT-1042 open Mei Chan`);
    for (const name of Object.keys(knownPlaceholders)) {
      const key = name.replace('<n>', '757');
      expect([key, lookup(key)]).toEqual([key, expect.any(String)]);
    }
    expect(render('{{ticket.field_757}}|{{ticket.field_1}}|{{current_user.id}}|{{ticket.assignee.email}}', lookup)).toBe('A-1042|||ava.wong@acme.example');
  });

  it('is case-sensitive; unknown placeholders render empty; other braces stay', () => {
    expect(render('{{Ticket.Title}}|{{ticket.nope}}|{{}}|{single}|{{ticket.id', lookup)).toBe('||{{}}|{single}|{{ticket.id');
    expect(placeholdersOf('a {{x.y}} b {{z}}')).toEqual(['x.y', 'z']);
    expect(compileTemplate('plain').parts).toEqual(['plain']);
  });

  it('JSON-escapes values in a JSON target body; other bodies are sent as {"text": ...}', () => {
    const json = targetPayload('{"title": "{{ticket.title}}", "id": "{{ticket.id}}"}', lookup);
    expect(JSON.parse(json.payload)).toEqual({ title: 'Line "one"\nline two', id: 'TKT-1042' });
    expect(json.wrapped).toBe(false);
    expect(JSON.parse(targetPayload('Ticket {{ticket.id}}: {{ticket.title}}', lookup).payload)).toEqual({ text: 'Ticket TKT-1042: Line "one"\nline two' });
    const broken = targetPayload('{"n": {{ticket.score}}}', sampleLookup);
    expect(broken).toEqual({ payload: JSON.stringify({ text: '{"n": }' }), wrapped: true });
  });
});
