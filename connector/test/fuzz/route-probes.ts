/**
 * A seeded generator of requests to the routes the malformed-request generator does not reach,
 * or not with these credentials: unknown routes (random paths and methods, with and without
 * bodies), the admin API and the KF5 API (/apiv2) with right, wrong and missing credentials,
 * the export route (/support-endpoint/<secret>.json with the real secret and made-up ones, spelled
 * many ways, with and without startDate), and the export check fetching a URL that redirects to
 * another scheme, to a private address, or nowhere sensible.
 *
 * Not every one of them is refused: each case says what a good answer is (FuzzCase.expect), and
 * what none may ever be is a 5xx, an error that is not JSON, a stack trace, or a log line with an
 * export secret in it. Same seed, same requests.
 */
import { adminApi, supportExportAdminApi } from '../../../contract/index.js';
import {
  deepJson,
  malformedRequests,
  prng,
  probeCategories,
  writeEndpoints,
  type Caller,
  type EndpointSpec,
  type Fixtures,
  type FuzzCase,
} from './generator.js';

type Random = () => number;
type Probe = Omit<FuzzCase, 'n'>;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const token = (random: Random, length = 6) => Array.from({ length }, () => pick(random, [...'abcdefghijklmnopqrstuvwxyz0123456789'])).join('');

const callers: Caller[] = ['app', 'admin', 'admin-basic', 'none', 'wrong-bearer', 'wrong-basic'];

/** Whether these credentials open this path: the admin API takes the admin token as Bearer only; /apiv2 also as Basic. */
const opens = (path: string, caller: Caller) => caller === 'admin' || (caller === 'admin-basic' && path.startsWith('/apiv2/'));

// ---- unknown routes ----

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'PURGE'];
const prefixes = [
  '',
  '/v1',
  '/v2',
  '/admin',
  '/admin/api',
  '/admin/assets',
  '/apiv2',
  '/apiv2/triggers',
  '/api',
  '/support-endpoint',
  '/console/contacts',
  '/health',
  '/openapi.json',
  '/metrics',
];
const tails = (t: string) => [
  t,
  `${t}.json`,
  `${t}/${t}`,
  `${t}?q=%zz`,
  '%2e%2e/%2e%2e/etc/passwd',
  '..%2F..%2Fadmin',
  '%00',
  '%zz',
  '%F0%9F%98%80',
  '%E2%80%AE',
  'x'.repeat(3000),
  '*',
  ';',
  '~',
  `${t}.`,
];
const bodies: Array<{ type: string; text: string } | undefined> = [
  undefined,
  { type: 'application/json', text: '{}' },
  { type: 'application/json', text: '{"name":"Fuzz","url":"https://93.184.216.34/x"}' },
  { type: 'application/json', text: '{"a": 1,' },
  { type: 'application/json', text: deepJson(10_000, 'array') },
  { type: 'application/x-www-form-urlencoded', text: 'name=Fuzz' },
];

function unknownRoute(random: Random): Probe {
  const method = pick(random, methods);
  const path = `${pick(random, prefixes)}/zz${pick(random, tails(token(random)))}`;
  const body = method === 'HEAD' ? undefined : pick(random, bodies);
  return {
    endpoint: 'unknown route',
    as: pick(random, callers),
    category: 'unknown-route',
    expect: 'answer', // a redirect (/admin/…) or a 404, never a write
    what: `${method} of a path no route serves${body ? `, with a ${body.text.length}-byte ${body.type} body` : ''}`,
    fields: [],
    request: { method, path, headers: body ? { 'content-type': body.type } : {}, body: body?.text },
  };
}

// ---- the admin and KF5 APIs ----

/** Fixtures for the GET routes' path parameters, by route. */
const readParams: Record<string, Record<string, keyof Fixtures>> = {
  '/admin/api/zapier-accounts/:appId/subscriptions': { appId: 'appId' },
  '/admin/api/deliveries/:id': { id: 'deliveryId' },
  '/apiv2/triggers/:id.json': { id: 'triggerId' },
  '/admin/api/targets/:id': { id: 'targetId' },
};

/** The GET routes of the admin and KF5 APIs, from the contract: each route, and its path with the parameters filled. */
function readRoutes(f: Fixtures): Array<{ route: string; path: string }> {
  const routes = Object.values(adminApi)
    .filter((e) => e.method === 'GET')
    .map((e) => e.path);
  return routes.map((route) => ({
    route,
    path: route.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(f[readParams[route]?.[name] ?? 'appId'])),
  }));
}

/**
 * A read with any credentials (answered where they open the route, refused where not), a valid
 * write with credentials that do not open it, or a malformed write with the other credentials
 * that do (KF5's Basic), which must still be refused for its body.
 */
function credentialsProbe(random: Random, f: Fixtures, family: '/admin/api/' | '/apiv2/', specs: EndpointSpec[], malformed: Iterator<FuzzCase>): Probe {
  const category = family === '/apiv2/' ? 'kf5-credentials' : 'admin-credentials';
  const roll = random();
  if (roll < 0.4) {
    const { route, path } = pick(
      random,
      readRoutes(f).filter((r) => r.route.startsWith(family)),
    );
    const as = pick(random, callers);
    return {
      endpoint: `GET ${route}`,
      as,
      category,
      expect: opens(path, as) ? 'answer' : 'refusal',
      what: `a read as ${as}`,
      fields: [],
      request: { method: 'GET', path, headers: {} },
    };
  }
  if (roll < 0.8 || family === '/admin/api/') {
    const spec = pick(
      random,
      specs.filter((s) => s.path.startsWith(family)),
    );
    const as = pick(
      random,
      callers.filter((c) => !opens(spec.path, c)),
    );
    const path = spec.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(f[spec.params[name]!]));
    const body = spec.base?.(f);
    const request = {
      method: spec.method,
      path: spec.query ? `${path}?${new URLSearchParams(spec.query.valid)}` : path,
      headers: body ? { 'content-type': 'application/json' } : ({} as Record<string, string>),
      body: body && JSON.stringify(body),
    };
    return { endpoint: spec.name, as, category, what: `a valid request as ${as}, whose credentials do not open it`, fields: [], request };
  }
  const c = malformed.next().value as FuzzCase;
  return { ...c, as: 'admin-basic', category, what: `${c.what}, with the admin token as the password of HTTP Basic` };
}

// ---- the export route ----

/** Ways to write /support-endpoint/<secret>.json: the router serves some of them; the logs must hide the secret in all. */
const exportSpellings: Record<string, (secret: string) => string> = {
  'as given': (s) => `/support-endpoint/${s}.json`,
  '%2Ejson': (s) => `/support-endpoint/${s}%2Ejson`,
  '/%73upport-endpoint/': (s) => `/%73upport-endpoint/${s}.json`,
  'every character of the secret percent-encoded': (s) => `/support-endpoint/${[...s].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join('')}.json`,
  'upper case': (s) => `/SUPPORT-ENDPOINT/${s}.JSON`,
  'a double slash': (s) => `//support-endpoint//${s}.json`,
  'no .json': (s) => `/support-endpoint/${s}`,
  'a trailing slash': (s) => `/support-endpoint/${s}.json/`,
  'a trailing dot': (s) => `/support-endpoint/${s}.json.`,
  'a /./ segment': (s) => `/support-endpoint/./${s}.json`,
  'a /x/../ segment': (s) => `/x/../support-endpoint/${s}.json`,
  '%2F for the slash': (s) => `/support-endpoint%2F${s}.json`,
  'a %00 after it': (s) => `/support-endpoint/${s}.json%00`,
  'bad percent-encoding after it': (s) => `/support-endpoint/${s}%zz.json`,
  '/%73upport-endpoint/ and bad percent-encoding': (s) => `/%73upport-endpoint/${s}.json%`,
  'a matrix parameter': (s) => `/support-endpoint/${s}.json;x=1`,
};
const startDates = [
  '',
  '?startDate=2025-01-01',
  '?startDate=2025-01-01T00:00:00Z',
  '?startDate=not-a-date',
  '?startDate=',
  '?startDate=2025-13-45',
  '?startDate=2025-01-01&startDate=2024-01-01',
  '?startDate[]=x',
  '?startDate=%00',
  '?startDate=9999999-01-01',
  '?foo=bar',
  '?startDate=%zz',
];

/** `turn`: the spellings are taken in turn, so every one is sent early. */
function exportProbe(random: Random, f: Fixtures, turn: number): Probe {
  const secret = pick(random, [f.exportSecret, f.exportSecret, `ccx_${token(random, 43)}`, f.exportSecret.toUpperCase(), `${f.exportSecret}x`]);
  const spellings = Object.entries(exportSpellings);
  const [how, spell] = spellings[turn % spellings.length]!;
  const query = pick(random, startDates);
  const method = pick(random, ['GET', 'GET', 'GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE']);
  return {
    endpoint: 'supportExport',
    as: pick(random, ['none', 'none', 'admin', 'app'] as const),
    category: 'export-route',
    // The real secret, served: the export marks its URL used.
    expect: secret === f.exportSecret ? 'answer-may-write' : 'answer',
    what: `${method} with ${secret === f.exportSecret ? 'the real secret' : 'a wrong secret'} spelled with ${how}${query ? `, ${query}` : ''}`,
    fields: [],
    secret,
    request: { method, path: `${spell(secret)}${query}`, headers: {} },
  };
}

// ---- the export check's redirects ----

/** Where the checked URL redirects: other schemes, private addresses, broken or looping Locations. None may be fetched to the end. */
export const redirectTargets = [
  'ftp://files.example.com/export.json',
  'file:///etc/passwd',
  'FILE:///etc/passwd',
  'data:application/json,{"conversations":[]}',
  'javascript:alert(1)',
  'gopher://127.0.0.1:70/x',
  'ws://127.0.0.1/x',
  'mailto:admin@example.com',
  'http://10.0.0.1/export.json',
  'http://169.254.169.254/latest/meta-data/',
  'http://127.0.0.1:1/export.json',
  'http://localhost/export.json',
  'http://[::1]/export.json',
  'http://[::ffff:127.0.0.1]/export.json',
  'http://0.0.0.0/export.json',
  'http://2130706433/export.json',
  'http://0x7f.1/export.json',
  'https://192.168.1.1/export.json',
  'http://[fd00::1]/export.json',
  'https://100.64.0.1/export.json',
  'http://[',
  'http://',
  'https://exa mple.com/',
  'http://%zz/',
  '',
  '/users/sign_in',
  '/again',
];

/** `turn`: the targets are taken in turn, so every one is sent early. */
function checkRedirectProbe(random: Random, redirectorOrigin: string, turn: number): Probe {
  const redirectTo = redirectTargets[turn % redirectTargets.length]!;
  const url = `${redirectorOrigin}${pick(random, ['/export.json', '/support-endpoint/x.json?startDate=2025-01-01'])}`;
  return {
    endpoint: 'admin.checkSupportEndpoint',
    as: 'admin',
    category: 'check-redirect',
    expect: 'failed-check',
    what: `the checked URL redirects to ${JSON.stringify(redirectTo)}`,
    fields: [],
    redirectTo,
    request: {
      method: 'POST',
      path: supportExportAdminApi.checkSupportEndpoint.path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
    },
  };
}

/**
 * The probes for `seed`, endlessly, the kinds in turn (so a few hundred hold each kind often).
 * `redirectorOrigin` is the harness's redirecting server, which the check may fetch.
 */
export function* routeProbes(seed: number, fixtures: Fixtures, redirectorOrigin: string): Generator<FuzzCase> {
  const random = prng(seed);
  const specs = writeEndpoints().filter((s) => s.as === 'admin');
  const kf5Malformed = malformedRequests(
    seed,
    fixtures,
    specs.filter((s) => s.path.startsWith('/apiv2/')),
  );
  for (let n = 1; ; n++) {
    const category = probeCategories[(n - 1) % probeCategories.length]!;
    const turn = Math.floor((n - 1) / probeCategories.length);
    const probe =
      category === 'unknown-route'
        ? unknownRoute(random)
        : category === 'admin-credentials'
          ? credentialsProbe(random, fixtures, '/admin/api/', specs, kf5Malformed)
          : category === 'kf5-credentials'
            ? credentialsProbe(random, fixtures, '/apiv2/', specs, kf5Malformed)
            : category === 'export-route'
              ? exportProbe(random, fixtures, turn)
              : checkRedirectProbe(random, redirectorOrigin, turn);
    yield { n, ...probe };
  }
}
