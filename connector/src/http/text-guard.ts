import type { FastifyInstance } from 'fastify';
import { ApiFailure, type FieldProblem } from '../errors.js';

/**
 * Text the connector cannot keep as it was sent: NUL characters (PostgreSQL refuses them in
 * text, so they failed as 500s; SQLite kept them) and unpaired UTF-16 surrogates (not Unicode
 * at all; they were silently stored as U+FFFD). JSON can carry both as \u0000 and \ud800.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the point, this guard refuses the text PostgreSQL cannot store
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MESSAGE = 'must be valid text: no NUL characters and no unpaired surrogate halves (\\ud800-\\udfff)';

/**
 * No request of the contract nests deeper than a few levels; a body nested thousands deep (20 KB
 * of `[[[...`) overflowed the stack of the walk below and every recursive step after it (a 500).
 */
export const MAX_JSON_DEPTH = 32;

class TooDeep extends Error {}

/** Where a request carries unstorable text: the dotted path of each string or key that does. */
function findUnstorable(value: unknown, path: string, found: FieldProblem[], depth = 0): void {
  if (depth > MAX_JSON_DEPTH) throw new TooDeep();
  if (found.length >= 20) return;
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) found.push({ field: path, message: MESSAGE });
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) found.push({ field: JSON.stringify(at), message: `is a field name that ${MESSAGE.replace('must be', 'is not')}` });
    else findUnstorable(inner, at, found, depth + 1);
  }
}

/**
 * Refuses, with a 400 naming each field, any request whose path parameters, query string or
 * body hold unstorable text, or whose body is nested too deep, before the route's own validation and handler see it. Register
 * once on the root app: every route inherits it.
 */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problems: FieldProblem[] = [];
    try {
      findUnstorable(request.params, '', problems);
      findUnstorable(request.query, '', problems);
      findUnstorable(request.body, '', problems);
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error;
      throw new ApiFailure(400, 'validation_failed', `The request body is nested more than ${MAX_JSON_DEPTH} levels deep; no request of this API needs more.`, [
        { field: '(body)', message: `is nested more than ${MAX_JSON_DEPTH} levels deep` },
      ]);
    }
    if (problems.length === 0) return;
    throw new ApiFailure(400, 'validation_failed', `The request is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}.`, problems);
  });
}
