import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../../contract/index.js';
import { ApiFailure, type ErrorCode, type FieldProblem } from '../errors.js';

type ErrorBody = ApiError['error'];

/** Where a validation error was found, as people call it. */
const partNames: Record<string, string> = { body: 'body', querystring: 'query string', params: 'path', headers: 'headers' };

/** One issue as fastify-type-provider-zod reports it (a zod issue in Ajv's clothes). */
interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const dotted = (instancePath: string) => instancePath.split('/').filter(Boolean).join('.');

const expectedNames: Record<string, string> = { number: 'a number', int: 'a whole number', array: 'a list', object: 'an object', boolean: 'true or false' };

const formatNames: Record<string, string> = {
  email: 'an email address',
  url: 'a URL',
  date: 'a date such as 2026-01-31',
  datetime: 'a date and time with a zone, such as 2026-01-31T09:30:00Z',
  regex: 'in the expected format',
};

/**
 * The contract's own messages ("must be a colour such as #1E88E5") are kept. Zod's defaults
 * ("Invalid option: expected one of ...", "Too small: ...") are reworded to follow the field name.
 */
function readableMessage(issue: ValidationIssue): string {
  const message = issue.message ?? '';
  if (!/^(Invalid|Too (small|big))/.test(message)) return message || 'is not valid';
  const p = issue.params ?? {};
  const limit = String(p.minimum ?? p.maximum ?? '');
  switch (issue.keyword) {
    case 'invalid_type':
      if (/received undefined$/.test(message)) return 'is required';
      return `must be ${expectedNames[String(p.expected)] ?? `a ${String(p.expected)}`}`;
    case 'invalid_value':
      return Array.isArray(p.values) ? `must be one of ${p.values.map((v) => JSON.stringify(v)).join(', ')}` : 'is not an allowed value';
    case 'invalid_format':
      return `must be ${formatNames[String(p.format)] ?? `in ${String(p.format)} format`}`;
    case 'too_small':
      if (p.origin === 'string') return limit === '1' ? 'must not be empty' : `must be at least ${limit} characters`;
      if (p.origin === 'array') return `must have at least ${limit} item${limit === '1' ? '' : 's'}`;
      return `must be at least ${limit}`;
    case 'too_big':
      if (p.origin === 'string') return `must be at most ${limit} characters`;
      if (p.origin === 'array') return `must have at most ${limit} items`;
      return `must be at most ${limit}`;
    default:
      return message;
  }
}

/** Each issue becomes one problem per field; unknown keys name each key. */
export function fieldProblems(issues: ValidationIssue[], part: string): FieldProblem[] {
  return issues.flatMap((issue) => {
    const at = dotted(issue.instancePath);
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys)) {
      return (issue.params.keys as string[]).map((key) => ({ field: at ? `${at}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: at || part, message: readableMessage(issue) }];
  });
}

/** "The request body is not valid: email_address must be ...; text must not be empty." (a rule about the whole body has no field name). */
const sentenceFor = (part: string, problems: FieldProblem[]) =>
  `The request ${partNames[part] ?? part} is not valid: ${problems.map((p) => (p.field === part ? p.message : `${p.field} ${p.message}`)).join('; ')}.`;

/** Errors that mean the database cannot be reached right now (not that the request was wrong). */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (unavailableCodes.has(code) || /^08/.test(code))) return true;
  const text = typeof message === 'string' ? message : '';
  return /database is locked|SQLITE_BUSY|Connection terminated|driver has already been destroyed|database is not open|timeout exceeded when trying to connect/i.test(
    text,
  );
}

/** A unique index refused a row: PostgreSQL's 23505, SQLite's "UNIQUE constraint failed". */
function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '23505' || (typeof message === 'string' && message.includes('UNIQUE constraint failed'));
}

/** Turns any error into the contract's error body and status; nothing internal leaks out. */
export function describeError(error: FastifyError | Error, request: FastifyRequest): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  const requestId = String(request.id);
  const fail = (status: number, code: ErrorCode, message: string, details?: FieldProblem[]) => ({
    status,
    body: { code, message, ...(details ? { details } : {}), requestId },
  });

  if (error instanceof ApiFailure) {
    return { ...fail(error.statusCode, error.code, error.message, error.details), headers: error.headers };
  }
  const fastifyError = error as FastifyError & { validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const part = fastifyError.validationContext ?? 'body';
    const problems = fieldProblems(fastifyError.validation as ValidationIssue[], part);
    return fail(400, 'validation_failed', sentenceFor(part, problems), problems);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return fail(400, 'validation_failed', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return fail(400, 'validation_failed', 'The request body is empty although its Content-Type says JSON; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return fail(
        415,
        'validation_failed',
        `The request body must be JSON (Content-Type: application/json), not ${request.headers['content-type'] ?? 'an unnamed type'}.`,
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return fail(413, 'validation_failed', 'The request body is larger than the 1 MB the connector accepts.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return fail(400, 'validation_failed', 'The Content-Length header does not match the request body.');
  }
  if (/forbidden prototype property/.test(error.message)) {
    return fail(400, 'validation_failed', 'The request body contains a "__proto__" or "constructor" key, which the connector refuses.');
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return fail(400, 'validation_failed', 'The request body is not valid JSON; send a JSON object with Content-Type: application/json.');
  }
  if (isUniqueViolation(error)) {
    // Two requests raced to create the same thing (the checks before the insert both passed).
    return fail(409, 'conflict', 'Another request just created the same record; look it up, or try again.');
  }
  if (isDatabaseUnavailable(error)) {
    return { ...fail(503, 'unavailable', 'The connector cannot reach its database right now; try again in a moment.'), headers: { 'retry-after': '5' } };
  }
  // Any other 4xx Fastify raises is about the request; its message is safe and useful.
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return fail(fastifyError.statusCode, 'validation_failed', fastifyError.message);
  }
  return fail(500, 'internal', `Something went wrong in the connector. Give the request id ${requestId} to your administrator.`);
}

async function replyWithError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const { status, body, headers } = describeError(error, request);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.code, status }, body.message);
  return reply
    .code(status)
    .headers(headers ?? {})
    .type('application/json; charset=utf-8')
    .send({ error: body });
}

/**
 * Errors Fastify raises before routing (a URL that is not valid percent-encoding): pass as
 * `frameworkErrors` when creating the app, so they get the same JSON body as everything else.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid: check its percent-encoding (%XX).' : error.message;
  void reply
    .code(error.statusCode && error.statusCode < 500 ? error.statusCode : 400)
    .header('x-request-id', String(request.id))
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code: 'validation_failed', message, requestId: String(request.id) } }));
}

/** The JSON 404 of a URL (or method) no route serves. */
export function replyNoSuchRoute(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send({
    error: {
      code: 'not_found',
      message: `There is no ${request.method} ${request.url.split('?')[0]} on this connector; see /openapi.json for what there is.`,
      requestId: String(request.id),
    },
  });
}

/** The one error handler and the JSON 404, for the whole app (scopes inherit them). */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(replyWithError);
  app.setNotFoundHandler(replyNoSuchRoute);
}
