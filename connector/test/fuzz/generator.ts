/**
 * A seeded generator of malformed requests to every write endpoint of the connector: the public
 * API (contract/api.ts, every endpoint that is not a GET) and the admin API (Zapier accounts,
 * subscriptions, deliveries). Every request it makes is wrong in at least one way the connector
 * must refuse with a 4xx, never a 5xx, and without writing anything:
 *
 *   bad JSON, a body of the wrong content type, a body over the size limit, a body that is not
 *   an object, a required field missing, a field of the wrong type, a field that does not exist,
 *   prototype-pollution keys, values the contract does not allow (injection strings, unicode
 *   edge cases, 10,000-character strings, out-of-range numbers), text that is not valid Unicode
 *   (NUL, unpaired surrogates), ids that do not exist or cannot (path traversal, SQL), and query
 *   strings the endpoint cannot read, bodies nested just at, just over and far over the
 *   connector's depth limit, and the endpoint's path spelled otherwise (percent-encoded letters,
 *   %2E, mixed case, double slashes, trailing dots) with a broken body.
 *
 * Whether a changed body is really malformed is decided by the contract's own zod schema (the
 * oracle): a mutation the schema accepts is thrown away, so the generator never asks for a
 * refusal the contract does not promise. Text with NUL or unpaired surrogates is malformed
 * whatever the schema says (it cannot be stored faithfully). Same seed, same requests.
 */
import type { z } from 'zod';
import { MAX_JSON_DEPTH } from '../../src/http/text-guard.js';
import {
  api,
  CreateTriggerBody,
  CreateZapierAccountBody,
  deliveryAdminApi,
  RenameZapierAccountBody,
  supportExportAdminApi,
  kf5RuleApi,
  ruleAdminApi,
  UpdateTriggerBody,
  type EndpointName,
} from '../../../contract/index.js';

// ---- randomness ----

import { prng } from '../support/random.js';

export { prng };

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

// ---- what the generator works on ----

/** Ids of records that exist in the target workspace (the harness makes them before fuzzing). */
export interface Fixtures {
  staffId: string;
  roomId: string;
  tagId: string;
  contactId: string;
  otherContactId: string;
  enquiryId: string;
  ticketId: string;
  chatId: string;
  agentLogin: string;
  subscriptionId: string;
  /** A Zapier account the admin requests may name (not the one making the public calls). */
  appId: string;
  deliveryId: string;
  triggerId: string;
  targetId: string;
  exportUrlId: string;
  /** The secret of that export URL (the harness checks that no log line ever shows it). */
  exportSecret: string;
}

/** One write endpoint: where it is, whose credentials it takes, and a valid body to start from. */
export interface EndpointSpec {
  name: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `:name` segments, filled from `params`. */
  path: string;
  params: Record<string, keyof Fixtures>;
  as: 'app' | 'admin';
  /** The body schema (the oracle), when the endpoint takes a body. */
  body?: z.ZodType;
  /** A valid body: the oracle accepts it. */
  base?: (f: Fixtures) => Record<string, unknown>;
  /** A valid query string, when the endpoint reads one (its schema is the oracle for bad ones). */
  query?: { schema: z.ZodType; valid: Record<string, string> };
}

const publicBodies: Partial<Record<EndpointName, (f: Fixtures) => Record<string, unknown>>> = {
  subscribe: () => ({ event: 'tag.created', targetUrl: 'https://hooks.example.com/catch/1', filters: {} }),
  openEnquiry: (f) => ({
    channel: 'web',
    type: 'chat',
    destinationType: 'tag',
    destinationID: f.tagId,
    inquiry: 'Where is my parcel?',
    visitor: { name: 'Mei Chan', email: 'mei@example.com' },
  }),
  handleEnquiry: (f) => ({ staffId: f.staffId }),
  closeEnquiry: () => ({ closedByType: 'staff' }),
  createContact: () => ({
    first_name: 'Mei',
    last_name: 'Chan',
    email_type: 'work',
    email_address: 'mei@example.com',
    phone_type: 'mobile',
    phone_number: '+85291234567',
  }),
  updateContact: () => ({ first_name: 'May', company: 'Harbour Foods' }),
  mergeContacts: (f) => ({ sourceContactIds: [f.otherContactId] }),
  transferContact: (f) => ({ toOwnerID: f.staffId }),
  createTag: () => ({ name: 'Fuzzed', colorCode: '#1E88E5' }),
  updateTag: () => ({ name: 'Renamed', colorCode: '#43A047' }),
  sendSms: () => ({ numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+85291234567', text: 'Your parcel is on its way.' }),
  messageStaff: (f) => ({ staff_id: f.staffId, text: 'VIP waiting' }),
  messageRoom: (f) => ({ room_id: f.roomId, text: 'Call back' }),
  createTicket: () => ({ message: 'My order has not arrived.', requester: { mail: 'kim@example.com', name: 'Kim Lee' }, tags: ['delivery'] }),
  updateTicket: () => ({ status: 'pending', message: 'Looking into it.' }),
  createAgent: () => ({ login: 'new.agent@acme.example', name: 'New Agent', max_chats_count: 5, groups: [0] }),
  startChat: () => ({ visitor: { name: 'Visitor', email: 'v@example.com' }, message: 'Hello', tags: ['x'] }),
  postChatMessage: () => ({ text: 'Hello again', user_type: 'visitor' }),
};

/** Which fixture fills each path parameter of the public API. */
const publicParams: Record<string, Record<string, keyof Fixtures>> = {
  '/v1/hooks/:id': { id: 'subscriptionId' },
  '/v1/enquiries/:id': { id: 'enquiryId' },
  '/v1/contacts/:id': { id: 'contactId' },
  '/v1/tags/:id': { id: 'tagId' },
  '/v1/tickets/:id': { id: 'ticketId' },
  '/v1/agents/:login': { login: 'agentLogin' },
  '/v1/chats/:id': { id: 'chatId' },
};
const paramsFor = (path: string): Record<string, keyof Fixtures> => {
  const prefix = Object.keys(publicParams).find((p) => path === p || path.startsWith(`${p}/`));
  return prefix ? publicParams[prefix]! : {};
};

/** A trigger rule the contract accepts. */
export const validTrigger = () => ({
  title: 'Fuzz rule',
  status: true,
  sort: 1,
  conditions: { all: [{ source: 'status', operator: 'changed_to', value: '3' }], any: [{ source: 'priority', operator: 'less_than', value: '2' }] },
  actions: [{ source: 'email_user', value: '(requester)', subject: 'Solved: {{ticket.title}}', body: 'See {{ticket.url}}' }],
});

/** Valid bodies of the admin API's other write endpoints (trigger rules, webhook targets, export URLs), by operation. */
const otherAdminBodies: Record<string, { body?: z.ZodType; base?: (f: Fixtures) => Record<string, unknown> }> = {
  // KF5 wraps a trigger as {"trigger": {...}}; the bare object is accepted too, and its fields are named from the trigger.
  createRule: { body: CreateTriggerBody, base: () => validTrigger() },
  updateRule: { body: UpdateTriggerBody, base: () => ({ title: 'Renamed rule', sort: 3 }) },
  deleteRule: {},
  createTarget: { base: () => ({ title: 'Escalations', url: 'https://93.184.216.34/hooks/escalations' }) },
  updateTarget: { base: () => ({ title: 'Escalations (renamed)' }) },
  deleteTarget: {},
  testTarget: {},
  createSupportExportUrl: { base: () => ({ name: 'Ferndesk' }) },
  rotateSupportExportUrl: {},
  deleteSupportExportUrl: {},
  checkSupportEndpoint: { base: () => ({ url: 'https://93.184.216.34/support-endpoint.json' }) },
};

const otherAdminParams: Record<string, keyof Fixtures> = {
  '/apiv2/triggers/:id.json': 'triggerId',
  '/admin/api/targets/:id': 'targetId',
  '/admin/api/targets/:id/test': 'targetId',
  '/admin/api/support-export/urls/:id': 'exportUrlId',
  '/admin/api/support-export/urls/:id/rotate': 'exportUrlId',
};

/** Every write endpoint of the public API (from the contract, so new ones are covered) and of the admin API. */
export function writeEndpoints(): EndpointSpec[] {
  const specs: EndpointSpec[] = [];
  for (const [name, endpoint] of Object.entries(api) as Array<[EndpointName, (typeof api)[EndpointName]]>) {
    if (endpoint.method === 'GET') continue;
    const body = 'body' in endpoint ? (endpoint.body as z.ZodType) : undefined;
    const base = publicBodies[name];
    if (body && !base) throw new Error(`the fuzz generator has no valid body for ${name}: add one to publicBodies`);
    specs.push({ name, method: endpoint.method as EndpointSpec['method'], path: endpoint.path, params: paramsFor(endpoint.path), as: 'app', body, base });
  }
  const accounts = '/admin/api/zapier-accounts';
  specs.push(
    {
      name: 'admin.createZapierAccount',
      method: 'POST',
      path: accounts,
      params: {},
      as: 'admin',
      body: CreateZapierAccountBody,
      base: () => ({ name: 'Fuzz account' }),
    },
    {
      name: 'admin.renameZapierAccount',
      method: 'PATCH',
      path: `${accounts}/:appId`,
      params: { appId: 'appId' },
      as: 'admin',
      body: RenameZapierAccountBody,
      base: () => ({ name: 'Renamed account' }),
    },
    { name: 'admin.regenerateZapierAccountToken', method: 'POST', path: `${accounts}/:appId/regenerate-token`, params: { appId: 'appId' }, as: 'admin' },
    { name: 'admin.deleteZapierAccount', method: 'DELETE', path: `${accounts}/:appId`, params: { appId: 'appId' }, as: 'admin' },
    { name: 'admin.enableSubscription', method: 'POST', path: deliveryAdminApi.enableSubscription.path, params: { id: 'subscriptionId' }, as: 'admin' },
    {
      name: 'admin.retryDelivery',
      method: 'POST',
      path: deliveryAdminApi.retryDelivery.path,
      params: { id: 'deliveryId' },
      as: 'admin',
      query: { schema: deliveryAdminApi.retryDelivery.query, valid: { reactivate: 'false' } },
    },
  );
  for (const [name, endpoint] of [...Object.entries(kf5RuleApi), ...Object.entries(ruleAdminApi), ...Object.entries(supportExportAdminApi)]) {
    if (endpoint.method === 'GET') continue;
    const known = otherAdminBodies[name];
    if (!known) throw new Error(`the fuzz generator does not know the admin endpoint ${name}: add it to otherAdminBodies`);
    const body = known.body ?? ('body' in endpoint ? (endpoint.body as z.ZodType) : undefined);
    const param = otherAdminParams[endpoint.path];
    specs.push({
      name: `admin.${name}`,
      method: endpoint.method as EndpointSpec['method'],
      path: endpoint.path,
      params: param ? { id: param } : {},
      as: 'admin',
      body,
      base: known.base,
    });
  }
  return specs;
}

// ---- the cases ----

export const categories = [
  'bad-json',
  'content-type',
  'huge-body',
  'not-an-object',
  'missing-field',
  'wrong-type',
  'extra-field',
  'prototype-pollution',
  'bad-value',
  'invalid-text',
  'unknown-id',
  'bad-query',
  'deep-nesting',
  'encoded-path',
] as const;
/** The kinds of request route-probes.ts makes (the routes the malformed requests do not reach). */
export const probeCategories = ['unknown-route', 'admin-credentials', 'kf5-credentials', 'export-route', 'check-redirect'] as const;
export type Category = (typeof categories)[number] | (typeof probeCategories)[number];

/**
 * Whose credentials the harness adds: an App ID and Token, the admin token as a Bearer token or
 * (KF5's way, /apiv2 only) as the password of HTTP Basic, none, or near misses of the admin token.
 */
export type Caller = 'app' | 'admin' | 'admin-basic' | 'none' | 'wrong-bearer' | 'wrong-basic';

/**
 * What a good answer is. A refusal (the default): a 4xx JSON error, nothing written. An answer:
 * any status but a 5xx, errors as JSON, nothing written; 'answer-may-write' the same for requests
 * that write by design (an export marks its URL used). A failed check: the export check's 200
 * report, saying in words why it did not fetch.
 */
export type Expectation = 'refusal' | 'answer' | 'answer-may-write' | 'failed-check';

/** The request as sent, credentials apart (the harness adds those for `as`). */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzCase {
  n: number;
  endpoint: string;
  as: Caller;
  category: Category;
  /** Unset: 'refusal'. */
  expect?: Expectation;
  /** For the export check: where the harness's local server redirects the check's fetches. */
  redirectTo?: string;
  /** An export URL secret the request carries (a real or a made-up one): no log line may hold it. */
  secret?: string;
  /** What is wrong with it, in words. */
  what: string;
  request: FuzzRequest;
  /** Fields the answer should name (one of them at least); empty when the fault has no field. */
  fields: string[];
}

const BODY_LIMIT = 1024 * 1024;

export const injectionStrings = [
  "' OR '1'='1",
  "'; DROP TABLE contacts; --",
  '" OR ""="',
  '1; SELECT pg_sleep(10)',
  "x' UNION SELECT token_hash FROM zapier_accounts --",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, the ${...} text is the fuzz input itself
  '${7*7}',
  '{{7*7}}',
  '%s%s%s%n',
  '$(reboot)',
  '`id`',
  '\r\nX-Injected: 1',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '1e309',
];

export const unicodeStrings = [
  '\u202eevil.exe',
  '\ufeffbom',
  '😀'.repeat(50),
  '👩‍👩‍👧‍👦',
  'x'.repeat(10_000),
  'é'.repeat(10_000),
  '\u0007\u001b[31m',
  '\u2028\u2029',
  '𝕳𝖊𝖑𝖑𝖔',
  ' \t\n ',
  '',
];

/** Text that is not valid Unicode, or that PostgreSQL cannot store: refused wherever it appears. */
export const invalidTextStrings = ['\u0000', 'a\u0000b', 'Mei\u0000Chan', '\ud800', '\udfff', 'x\ud83d', '\ude00x', 'ok\ud800\u0000'];

const otherValues: unknown[] = [null, true, false, [], {}, [1, 2], { a: 1 }, 0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, '12345', 12345];

export function hasInvalidText(value: unknown): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the point, this mirrors the connector's text guard (connector/src/http/text-guard.ts)
  if (typeof value === 'string') return /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
  if (Array.isArray(value)) return value.some(hasInvalidText);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => hasInvalidText(k) || hasInvalidText(v));
  return false;
}

/** Every path into a body: ['visitor', 'name'], ['tags', 0], ... (objects and arrays included). */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function setAt(body: Record<string, unknown>, path: Array<string | number>, value: unknown): Record<string, unknown> {
  const copy = clone(body);
  let node: any = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path.at(-1)!] = value;
  return copy;
}

function removeAt(body: Record<string, unknown>, path: Array<string | number>): Record<string, unknown> {
  const copy = clone(body);
  let node: any = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  if (Array.isArray(node)) node.splice(Number(path.at(-1)), 1);
  else delete node[path.at(-1)!];
  return copy;
}

const dotted = (path: ReadonlyArray<PropertyKey>) => path.map(String).join('.');

/** The fields the oracle names for a body it refuses, as the connector reports them; null when it accepts the body. */
function oracleFields(schema: z.ZodType, body: unknown): string[] | null {
  const parsed = schema.safeParse(body);
  if (parsed.success) return null;
  return parsed.error.issues.flatMap((issue) => {
    const at = dotted(issue.path);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => (at ? `${at}.${key}` : key));
    return [at];
  });
}

// ---- deep nesting ----

export type NestingShape = 'array' | 'object' | 'mixed';

/** JSON text `levels` containers deep around a 0, written as text (JSON.stringify would recurse as deep). */
export function deepJson(levels: number, shape: NestingShape): string {
  if (shape === 'array') return `${'['.repeat(levels)}0${']'.repeat(levels)}`;
  if (shape === 'object') return `${'{"a":'.repeat(levels)}0${'}'.repeat(levels)}`;
  const pairs = Math.ceil(levels / 2); // [{"a":[{"a":... : two levels a pair
  return `${'[{"a":'.repeat(pairs)}0${'}]'.repeat(pairs)}`.slice(levels % 2 ? 1 : 0, levels % 2 ? -1 : undefined);
}

/** Just at the limit (the text guard lets it by), just over, and far over (it once overflowed the stack: a 500). */
export const nestingLevels = [MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, 10_000, 100_000] as const;

// ---- other spellings of a path ----

const percentEncode = (ch: string, lower: boolean) => {
  const hex = ch.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${lower ? hex : hex.toUpperCase()}`;
};

/** Indexes of the letters of a path outside its percent-escapes. */
const letterIndexes = (path: string) => [...path].flatMap((ch, i) => (/[a-z]/i.test(ch) && !/%[0-9a-f]?$/i.test(path.slice(Math.max(0, i - 2), i)) ? [i] : []));

/**
 * The same path spelled another way, which the router may serve as the same route (`%76` is
 * `v`) or not (case, double slashes, trailing dots): either way the answer must be a proper one.
 */
export const pathSpellings: Record<string, (path: string, random: Random) => string> = {
  'a percent-encoded letter': (path, random) => {
    const i = pick(random, letterIndexes(path));
    return `${path.slice(0, i)}${percentEncode(path[i]!, random() < 0.5)}${path.slice(i + 1)}`;
  },
  'every letter percent-encoded': (path) => path.replace(/[a-z]/gi, (ch) => percentEncode(ch, false)),
  '%2E for a dot, or a %2E segment': (path, random) =>
    path.includes('.') ? path.replace('.', pick(random, ['%2E', '%2e'])) : path.replace(/\/([^/]*)$/, '/%2E/$1'),
  'a %2e%2e segment': (path) => path.replace(/^(\/[^/]+)/, '$1/x/%2e%2e'),
  'mixed case': (path, random) => path.replace(/[a-z]/gi, (ch) => (random() < 0.5 ? ch.toUpperCase() : ch.toLowerCase())),
  'double slashes': (path, random) => (random() < 0.5 ? `/${path}` : path.replace(/\//g, '//')),
  'a trailing dot': (path) => `${path}.`,
  'a trailing slash and dot': (path) => `${path}/.`,
  'a %2F for a slash': (path) => path.replace(/\/([^/]*)$/, '%2F$1'),
};

/** Ids that cannot name anything: unknown, hostile, too long, not valid text. */
const badIds = [
  'does_not_exist',
  'ctc_01jzzzzzzzzzzzzzzzzzzzzzzz',
  "' OR 1=1 --",
  '1; DROP TABLE tags',
  '../../admin/api/zapier-accounts',
  '..%2F..%2Fadmin',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '%00',
  'a%00b',
  '%E2%80%AE',
  '%F0%9F%98%80',
  'x'.repeat(129),
  'x'.repeat(2000),
  '-1',
  '0',
  'null',
  'NaN',
  '%20',
];

function fill(spec: EndpointSpec, f: Fixtures, replace?: { param: string; raw: string }): string {
  return spec.path.replace(/:([A-Za-z]+)/g, (_, param: string) =>
    replace?.param === param ? replace.raw : encodeURIComponent(f[spec.params[param]!] ?? 'missing'),
  );
}

function json(spec: EndpointSpec, f: Fixtures, body: unknown, what: string, category: Category, fields: string[], extraHeaders: Record<string, string> = {}) {
  return {
    category,
    what,
    fields,
    request: {
      method: spec.method,
      path: withQuery(spec, fill(spec, f)),
      headers: { 'content-type': 'application/json', ...extraHeaders },
      body: JSON.stringify(body),
    },
  };
}

const withQuery = (spec: EndpointSpec, path: string) => (spec.query ? `${path}?${new URLSearchParams(spec.query.valid)}` : path);

type Draft = Omit<FuzzCase, 'n' | 'endpoint' | 'as'> | null;

/**
 * Takes the values of a pool in turn (one turn per pool), so that a few hundred cases already
 * hold every hostile string at least once; which field gets it stays random.
 */
function rotation() {
  const turns = new Map<readonly unknown[], number>();
  return <T>(pool: readonly T[]): T => {
    const turn = turns.get(pool) ?? 0;
    turns.set(pool, turn + 1);
    return pool[turn % pool.length]!;
  };
}
type Rotation = ReturnType<typeof rotation>;

const hostileValues = [...injectionStrings, ...unicodeStrings];
const badNumbers = [-1, -(2 ** 31), 2 ** 31, 2 ** 53 + 2, 1e308, 0.5, 99999];

/** One case of `category` for `spec`, or null when that kind of fault does not apply to it. */
function draft(category: Category, spec: EndpointSpec, f: Fixtures, random: Random, next: Rotation): Draft {
  const base = spec.base?.(f);
  const schema = spec.body;
  const path = withQuery(spec, fill(spec, f));
  switch (category) {
    case 'bad-json': {
      const text = pick(random, [
        '{',
        '{"name": ',
        "{'name': 'x'}",
        '{"a":1}}',
        '[1, 2',
        'nul',
        '{"a": undefined}',
        '{"a": NaN}',
        '{"a": 01}',
        '{"a":"\\x41"}',
        '{"a":1,}',
        '\u0000',
        '{"a": "unterminated}',
      ]);
      return {
        category,
        what: `broken JSON ${JSON.stringify(text)}`,
        fields: [],
        request: { method: spec.method, path, headers: { 'content-type': 'application/json' }, body: text },
      };
    }
    case 'content-type': {
      if (!base) return null;
      const type = pick(random, [
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'text/html',
        'application/octet-stream',
        'image/png',
        'text/plain',
        'application/json-patch+json',
      ]);
      return {
        category,
        what: `a JSON body sent as ${type}`,
        fields: [],
        request: { method: spec.method, path, headers: { 'content-type': type }, body: JSON.stringify(base) },
      };
    }
    case 'huge-body': {
      if (!base) return null;
      const key = pick(random, Object.keys(base));
      const body = JSON.stringify({ ...base, [key]: 'x'.repeat(BODY_LIMIT + Math.floor(random() * 4096)) });
      return {
        category,
        what: `a body of ${body.length} bytes (the limit is ${BODY_LIMIT})`,
        fields: [],
        request: { method: spec.method, path, headers: { 'content-type': 'application/json' }, body },
      };
    }
    case 'not-an-object': {
      if (!schema) return null;
      const value = pick(random, [[], [base], 'a string', 42, true, false, null]);
      return json(spec, f, value, `a body that is ${JSON.stringify(value).slice(0, 40)}, not an object`, category, []);
    }
    case 'missing-field': {
      if (!schema || !base) return null;
      for (const at of shuffled(random, pathsOf(base))) {
        const body = removeAt(base, at);
        const fields = oracleFields(schema, body);
        if (fields) return json(spec, f, body, `without ${dotted(at)}`, category, fields);
      }
      return null;
    }
    case 'wrong-type': {
      if (!schema || !base) return null;
      for (let tries = 0; tries < 20; tries++) {
        const at = pick(random, pathsOf(base));
        const value = pick(random, otherValues);
        const body = setAt(base, at, value);
        const fields = oracleFields(schema, body);
        if (fields) return json(spec, f, body, `${dotted(at)} = ${JSON.stringify(value)}`, category, fields);
      }
      return null;
    }
    case 'extra-field': {
      if (!schema || !base) return null;
      const containers = [[], ...pathsOf(base).filter((p) => isPlainObject(getAt(base, p)))];
      for (let tries = 0; tries < 10; tries++) {
        const at = pick(random, containers);
        const key = pick(random, ['isAdmin', 'workspace_id', 'workspaceId', 'app_id', 'id', 'role', 'token_hash', 'zzz', '$where', 'a.b', '']);
        const body = setAt(base, [...at, key], pick(random, [true, 'ws_other', 1, null, {}]));
        const fields = oracleFields(schema, body);
        if (fields) return json(spec, f, body, `an unknown field ${dotted([...at, key])}`, category, fields);
      }
      return null;
    }
    case 'prototype-pollution': {
      // Written as text: JSON.stringify would not keep a __proto__ key.
      const inner = base ? JSON.stringify(base).slice(1, -1) : '';
      const poison = pick(random, [
        '"__proto__": {"isAdmin": true}',
        '"constructor": {"prototype": {"isAdmin": true}}',
        '"__proto__": {"workspaceId": "ws_other"}',
      ]);
      const text = `{${inner}${inner ? ', ' : ''}${poison}}`;
      return {
        category,
        what: `a body with ${poison}`,
        fields: [],
        request: { method: spec.method, path, headers: { 'content-type': 'application/json' }, body: text },
      };
    }
    case 'bad-value': {
      if (!schema || !base) return null;
      for (let tries = 0; tries < 30; tries++) {
        const at = pick(
          random,
          pathsOf(base).filter((p) => typeof getAt(base, p) !== 'object' || getAt(base, p) === null),
        );
        if (!at) return null;
        const current = getAt(base, at);
        const value = typeof current === 'number' ? next(badNumbers) : tries % 5 === 4 ? `${String(current)}${'x'.repeat(10_000)}` : next(hostileValues);
        const body = setAt(base, at, value);
        const fields = oracleFields(schema, body);
        if (fields) return json(spec, f, body, `${dotted(at)} = ${JSON.stringify(value).slice(0, 60)}`, category, fields);
      }
      return null;
    }
    case 'invalid-text': {
      const text = next(invalidTextStrings);
      if (base && random() < 0.8) {
        const strings = pathsOf(base).filter((p) => typeof getAt(base, p) === 'string');
        if (strings.length > 0 && random() < 0.8) {
          const at = pick(random, strings);
          const value = random() < 0.5 ? text : `${String(getAt(base, at))}${text}`;
          return json(spec, f, setAt(base, at, value), `${dotted(at)} holds ${JSON.stringify(value)}`, category, [dotted(at)]);
        }
        const key = `key${text}`;
        return json(spec, f, { ...base, [key]: 'x' }, `a key ${JSON.stringify(key)}`, category, []);
      }
      const params = Object.keys(spec.params);
      if (params.length === 0) return null;
      const param = pick(random, params);
      // In a URL: a percent-encoded NUL, or the UTF-8 bytes of a surrogate (which are not valid UTF-8).
      const suffix = pick(random, ['%00', 'a%00b', '%00%00', '%ED%A0%80', '%ED%BF%BF']);
      const raw = `${encodeURIComponent(f[spec.params[param]!])}${suffix}`;
      return {
        category,
        what: `the ${param} in the path ends in ${suffix}`,
        fields: suffix.includes('%00') ? [param] : [],
        request: {
          method: spec.method,
          path: withQuery(spec, fill(spec, f, { param, raw })),
          headers: base ? { 'content-type': 'application/json' } : {},
          body: base ? JSON.stringify(base) : undefined,
        },
      };
    }
    case 'unknown-id': {
      const params = Object.keys(spec.params);
      if (params.length === 0) {
        // Ids inside the body instead: names of records that do not exist.
        if (!base) return null;
        const idPaths = pathsOf(base).filter((p) => /(id|ID|Id)$|^senderNumber$/.test(String(p.at(-1))) && typeof getAt(base, p) === 'string');
        if (idPaths.length === 0) return null;
        const at = pick(random, idPaths);
        const value = pick(random, ['does_not_exist', "' OR 1=1 --", '../../etc/passwd', 'x'.repeat(128)]);
        return json(spec, f, setAt(base, at, value), `${dotted(at)} names nothing: ${JSON.stringify(value).slice(0, 40)}`, category, []);
      }
      const param = pick(random, params);
      const raw = next(badIds);
      const encoded = /%[0-9A-F]{2}/.test(raw) ? raw : encodeURIComponent(raw);
      return {
        category,
        what: `${param} = ${JSON.stringify(raw).slice(0, 60)}`,
        fields: [],
        request: {
          method: spec.method,
          path: withQuery(spec, fill(spec, f, { param, raw: encoded })),
          headers: base ? { 'content-type': 'application/json' } : {},
          body: base ? JSON.stringify(base) : undefined,
        },
      };
    }
    case 'bad-query': {
      if (!spec.query) return null;
      const key = pick(random, Object.keys(spec.query.valid));
      const value = pick(random, ['maybe', 'yes please', '2', '', "' OR 1=1", '\u0000', 'truee']);
      const query = { ...spec.query.valid, [key]: value };
      if (spec.query.schema.safeParse(query).success && !hasInvalidText(value)) return null;
      const target = `${fill(spec, f)}?${new URLSearchParams(query)}`;
      return {
        category,
        what: `?${key}=${JSON.stringify(value)}`,
        fields: [key],
        request: { method: spec.method, path: target, headers: {}, body: undefined },
      };
    }
    case 'deep-nesting':
      return deeplyNested(spec, f, random);
    case 'encoded-path': {
      const [how, spell] = pick(random, Object.entries(pathSpellings));
      // A broken body: served as the route or not, the request must be refused, never carried out.
      return {
        category,
        what: `the path spelled with ${how}, and a broken body`,
        fields: [],
        request: { method: spec.method, path: spell(path, random), headers: { 'content-type': 'application/json' }, body: '{"a": 1,' },
      };
    }
    default:
      return null; // the route probes' kinds (route-probes.ts)
  }
}

/**
 * A body nested `levels` deep, whole or in one field. At the limit only where the body schema
 * refuses it anyway: a route that ignores its body (DELETE) would carry the request out.
 */
function deeplyNested(spec: EndpointSpec, f: Fixtures, random: Random): Draft {
  const shape = pick(random, ['array', 'object', 'mixed'] as const);
  let levels: number = pick(random, nestingLevels);
  const text = () => deepJson(levels, shape);
  if (levels <= MAX_JSON_DEPTH && !(spec.body && oracleFields(spec.body, JSON.parse(text())))) levels = MAX_JSON_DEPTH + 1;
  const over = levels > MAX_JSON_DEPTH;
  const base = spec.base?.(f);
  const inField = over && base && random() < 0.5 ? pick(random, Object.keys(base)) : null;
  const body = inField ? JSON.stringify({ ...base, [inField]: 0 }).replace(`"${inField}":0`, `"${inField}":${text()}`) : text();
  return {
    category: 'deep-nesting',
    what: `${inField ? `${inField} holds` : 'a body that is'} ${levels.toLocaleString('en-US')} levels of ${shape === 'mixed' ? 'arrays and objects' : `${shape}s`} (the limit is ${MAX_JSON_DEPTH})`,
    // Over the limit, the connector names the body as a whole.
    fields: over ? ['(body)'] : [],
    request: { method: spec.method, path: withQuery(spec, fill(spec, f)), headers: { 'content-type': 'application/json' }, body },
  };
}

const isPlainObject = (value: unknown) => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const getAt = (body: unknown, path: Array<string | number>): unknown => path.reduce<any>((node, key) => node?.[key], body);

function shuffled<T>(random: Random, items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * The cases for `seed`, endlessly: each picks an endpoint and a kind of fault at random (a
 * fault that does not apply to the endpoint is drawn again). Take as many as you need.
 */
export function* malformedRequests(seed: number, fixtures: Fixtures, specs = writeEndpoints()): Generator<FuzzCase> {
  const random = prng(seed);
  const next = rotation();
  for (let n = 1; ; ) {
    const spec = pick(random, specs);
    const category = pick(random, categories);
    const drafted = draft(category, spec, fixtures, random, next);
    if (!drafted) continue;
    yield { n: n++, endpoint: spec.name, as: spec.as, ...drafted };
  }
}
