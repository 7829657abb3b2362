/**
 * Placeholders in notification subjects and bodies: `{{ticket.title}}`, `{{account.name}}`, ...
 * Names are case-sensitive; an unknown one renders empty. In a body meant as JSON (a webhook
 * target's body starting with `{`), every value is JSON-escaped, so a title with quotes or a
 * line break keeps the document valid: `{"title": "{{ticket.title}}"}`.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** A template split once into literal text and placeholder names, alternating (text, name, text, ...). */
export interface CompiledTemplate {
  parts: string[];
}

export function compileTemplate(text: string): CompiledTemplate {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, match.index), match[1]!);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return { parts };
}

export type Lookup = (name: string) => string | undefined;

const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1);

export function render(template: CompiledTemplate | string, lookup: Lookup, options: { json?: boolean } = {}): string {
  const { parts } = typeof template === 'string' ? compileTemplate(template) : template;
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const value = lookup(parts[i]!) ?? '';
    out += (options.json ? jsonEscape(value) : value) + parts[i + 1]!;
  }
  return out;
}

/** Every placeholder name a template uses, in order. */
export const placeholdersOf = (text: string): string[] => compileTemplate(text).parts.filter((_, i) => i % 2 === 1);

/** A target body is JSON when it starts with `{`; any other text is sent as `{"text": ...}` (the shape chat webhooks take). */
export const isJsonBody = (body: string) => body.trimStart().startsWith('{');

/**
 * The JSON document a target receives for a rendered body: the body itself when it is a JSON
 * object, otherwise `{"text": body}`. Returns the text to send and whether it had to be wrapped.
 */
export function targetPayload(template: string, lookup: Lookup): { payload: string; wrapped: boolean } {
  if (isJsonBody(template)) {
    const rendered = render(template, lookup, { json: true });
    try {
      const parsed: unknown = JSON.parse(rendered);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { payload: rendered, wrapped: false };
    } catch {
      // fall through: a value made it invalid (e.g. an empty unquoted number); send it as text
    }
    return { payload: JSON.stringify({ text: rendered }), wrapped: true };
  }
  return { payload: JSON.stringify({ text: render(template, lookup) }), wrapped: false };
}

/**
 * What a notification action without a body sends (the seed makes the body an option): which
 * ticket, its status, the link, and the newest public message, in the placeholders above.
 * Targets get it as `{"text": ...}` like any text body.
 */
export const DEFAULT_NOTIFICATION_BODY = [
  'Ticket {{ticket.id}}: {{ticket.title}}',
  'Status: {{ticket.status}}',
  '{{ticket.url}}',
  '',
  'Latest message:',
  '{{ticket.latest_public_comment}}',
].join('\n');

/** The placeholders the connector fills in live with the seed's tables, where the admin page can read them too. */
export { knownPlaceholders } from '../../../contract/trigger-tables.js';
