import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { z } from 'zod';
import { AcceptedSupportExport, type SupportEndpointCheck, type SupportEndpointFetch } from '../../../contract/index.js';
import { pinnedLookup, refusalReason } from '../delivery/ssrf.js';

/**
 * The "test" check Ferndesk's documentation asks for: fetch a support-endpoint URL (this
 * connector's or anyone's) the way Ferndesk would (a plain GET, no credentials), both exactly as
 * given and with the startDate Ferndesk appends, and say of each, in
 * words a person can act on, whether Ferndesk can read it, and if not, why: the host cannot
 * be found or refuses connections, it is too slow, it answers an HTTP error, it wants a login,
 * its body is not JSON, or the JSON breaks the format (each violation with its JSON path).
 */

export interface CheckOptions {
  /** For the whole exchange, body included. */
  timeoutMs?: number;
  /** The most of the body the check reads. */
  maxBytes?: number;
  /** Fetch URLs whose host is on a loopback or private address (the command line: yes; the admin API: as deliveries are allowed). */
  allowPrivateTargets?: boolean;
  /** Origins fetched even when private targets are not allowed (the connector's own Base URL). */
  trustedOrigins?: string[];
  maxRedirects?: number;
  /** "Today", for the startDate the check appends as Ferndesk does (30 days back). */
  now?: Date;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
export const DEFAULT_CHECK_MAX_BYTES = 50 * 1024 * 1024;
const USER_AGENT = 'contact-centre-connector-support-endpoint-check/1.0';
/** Format problems listed one by one; beyond this they are counted. */
const MAX_LISTED_PROBLEMS = 50;

type Verdict = SupportEndpointFetch['verdict'];
type Problem = SupportEndpointFetch['problems'][number];

class CheckFailure extends Error {
  constructor(
    readonly verdict: Exclude<Verdict, 'ok'>,
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
  }
}

const lookupAll = promisify(dnsLookup);

export async function checkSupportEndpoint(input: string, options: CheckOptions = {}): Promise<SupportEndpointCheck> {
  const started = performance.now();
  const urlWarnings: string[] = [];
  let url: URL;
  try {
    url = parseUrl(input, urlWarnings);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const failed = failedFetch(input, error, urlWarnings, started);
    return combine(failed, failed, '', started);
  }
  const { built, appended } = asFerndeskBuildsIt(url, options.now ?? new Date());
  const [asGiven, asFerndesk] = await Promise.all([fetchAndCheck(url, options, urlWarnings), fetchAndCheck(built, options, urlWarnings)]);
  return combine(asGiven, asFerndesk, appended, started);
}

/**
 * The URL as Ferndesk fetches it: it appends `?startDate=<day>` to the pasted URL, or
 * `&startDate=<day>` when the URL has a query already (which may hold a startDate of its own).
 * The day is 30 days back, a date like Ferndesk's placeholder (2025-01-01).
 */
export function asFerndeskBuildsIt(url: URL, now: Date): { built: URL; appended: string } {
  const day = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const appended = `${url.search ? '&' : '?'}startDate=${day}`;
  const built = new URL(url);
  built.search = `${url.search}${appended}`;
  return { built, appended };
}

/** Both fetches as one report: the verdict of the first that fails (as given first), a sentence about both. */
function combine(asGiven: SupportEndpointFetch, asFerndesk: SupportEndpointFetch, appended: string, started: number): SupportEndpointCheck {
  const deciding = asGiven.ok ? asFerndesk : asGiven;
  const built = `as Ferndesk builds it (with ${appended} appended)`;
  const message =
    asGiven.message === asFerndesk.message
      ? asGiven.message
      : asGiven.summary?.conversations && asFerndesk.summary?.conversations && asGiven.ok && asFerndesk.ok
        ? `Ferndesk can read this endpoint, as given (${found(asGiven.summary, lastStartDate(asGiven.url))}) and as it builds the URL with ${appended} appended (${found(asFerndesk.summary, lastStartDate(asFerndesk.url))}); the newest last message is at ${asFerndesk.summary.newestLastMessageAt}.`
        : asGiven.ok && !asFerndesk.ok
          ? `The URL works as given, but not ${built}: ${asFerndesk.message}`
          : !asGiven.ok && asFerndesk.ok
            ? `The URL works ${built}, but not as given: ${asGiven.message}`
            : `As given: ${sentence(asGiven.message)} A${built.slice(1)}: ${asFerndesk.message}`;
  return {
    ...deciding,
    ok: asGiven.ok && asFerndesk.ok,
    message,
    warnings: [...new Set([...asGiven.warnings, ...asFerndesk.warnings])],
    durationMs: Math.round(performance.now() - started),
    fetches: { asGiven, asFerndesk },
  };
}

/** Repeated, the last startDate is the one Ferndesk appended: the moment it means. */
const lastStartDate = (url: string | URL) => new URL(url).searchParams.getAll('startDate').at(-1) ?? null;

const sentence = (text: string) => (/[.!?"…]$/.test(text) ? text : `${text}.`);

function failedFetch(url: string, error: CheckFailure, warnings: string[], started: number): SupportEndpointFetch {
  return {
    ok: false,
    verdict: error.verdict,
    message: error.message,
    problems: [],
    warnings,
    url,
    httpStatus: error.httpStatus,
    durationMs: Math.round(performance.now() - started),
    summary: null,
  };
}

/** One fetch of one URL, judged: can Ferndesk read this answer, and if not, why. */
async function fetchAndCheck(url: URL, options: CheckOptions, urlWarnings: string[]): Promise<SupportEndpointFetch> {
  const started = performance.now();
  const warnings = [...urlWarnings];
  const fetched = url.toString();
  const report = (verdict: Verdict, message: string, rest: Partial<SupportEndpointFetch> = {}): SupportEndpointFetch => ({
    ok: verdict === 'ok',
    verdict,
    message,
    problems: [],
    warnings,
    url: fetched,
    httpStatus: null,
    durationMs: Math.round(performance.now() - started),
    summary: null,
    ...rest,
  });
  try {
    const response = await fetchFollowingRedirects(url, options, warnings);
    const body = readJson(response, warnings);
    const since = lastStartDate(url);
    const { problems, unlisted, summary } = checkFormat(body, since, warnings);
    if (problems.length > 0) {
      const total = problems.length + unlisted;
      const shown = problems.slice(0, 3).map((p) => p.message);
      const more = total > 3 ? `; and ${total - 3} more` : '';
      if (unlisted > 0) warnings.push(`Only the first ${problems.length} format problems are listed; ${unlisted.toLocaleString('en-US')} more are like them.`);
      return report('invalid_format', `The JSON does not follow Ferndesk's format (${count(total, 'problem')}): ${shown.join('; ')}${more}.`, {
        problems,
        httpStatus: response.status,
      });
    }
    const message =
      summary.conversations === 0
        ? since === null
          ? "The endpoint answers in Ferndesk's format, but with no conversations at all (the URL has no startDate): Ferndesk would import nothing."
          : `The endpoint answers in Ferndesk's format, but with no conversations since startDate=${since}: Ferndesk would import nothing. Try an earlier startDate to see some.`
        : `Ferndesk can read this endpoint: ${found(summary, since)}; the newest last message is at ${summary.newestLastMessageAt}.`;
    return report('ok', message, { httpStatus: response.status, summary });
  } catch (error) {
    if (error instanceof CheckFailure) return report(error.verdict, error.message, { httpStatus: error.httpStatus });
    throw error;
  }
}

/** "2 conversations with 4 messages since startDate=2025-01-01" */
const found = (summary: Summary, since: string | null) =>
  `${count(summary.conversations, 'conversation')} with ${count(summary.messages, 'message')}${since === null ? ' (the URL has no startDate)' : ` since startDate=${since}`}`;

const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

function parseUrl(input: string, warnings: string[]): URL {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new CheckFailure(
      'invalid_url',
      `"${input}" is not a URL: give the whole address, such as https://connector.example.com/support-endpoint/<secret>.json.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CheckFailure('invalid_url', `The URL must start with https:// (or http://), not ${url.protocol}//: Ferndesk fetches it over the web.`);
  }
  if (url.username || url.password) {
    warnings.push(
      'The URL carries a user name or password: Ferndesk does not support authenticated endpoints, and may not send them. Put a secret in the path instead.',
    );
  }
  if (url.protocol === 'http:' && !isLocal(url.hostname)) {
    warnings.push('The URL uses http, not https: the conversations would travel unencrypted, and the secret in the URL with them.');
  }
  return url;
}

const isLocal = (hostname: string) => hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';

// ---- fetching ----

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const LOGIN_PATH = /(^|[/_.-])(log[-_]?in|sign[-_]?in|signon|sso|oauth2?|auth(enticate|orize)?|session|saml|cas)([/_.?#-]|$)/i;
/** Query keys that login pages use to send the visitor back afterwards. */
const RETURN_KEYS = /^(return_?to|redirect_uri|redirect_to|relaystate|samlrequest|service)$/i;

async function fetchFollowingRedirects(start: URL, options: CheckOptions, warnings: string[]): Promise<Fetched> {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
  const maxRedirects = options.maxRedirects ?? 5;
  let url = start;
  for (let hop = 0; ; hop++) {
    const addresses = await resolveHost(url, options);
    const response = await fetchOnce(url, addresses, deadline, options);
    const { status, headers } = response;
    if (status >= 300 && status < 400 && headers.location) {
      const next = URL.parse(headers.location, url.href);
      if (!next) {
        throw new CheckFailure(
          'http_error',
          `The endpoint redirects (HTTP ${status}) to "${headers.location.slice(0, 200)}", which is not a valid address: Ferndesk could not follow it.`,
          status,
        );
      }
      // An ftp:, file: or data: Location is not fetched (it was, and failed as a 500).
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new CheckFailure(
          'http_error',
          `The endpoint redirects (HTTP ${status}) to ${next.protocol}// (${next.href.slice(0, 200)}), which is not a web address: Ferndesk follows only http and https.`,
          status,
        );
      }
      if (LOGIN_PATH.test(next.pathname) || [...next.searchParams.keys()].some((key) => RETURN_KEYS.test(key))) {
        throw new CheckFailure(
          'authentication_required',
          `The endpoint redirects (HTTP ${status}) to what looks like a login page (${next.origin}${next.pathname}): it wants a login, and Ferndesk sends no credentials. Make the URL answer without a login, protected by a secret in the URL instead.`,
          status,
        );
      }
      if (hop >= maxRedirects) {
        throw new CheckFailure(
          'http_error',
          `The endpoint redirected more than ${maxRedirects} times (the last time to ${next}): give Ferndesk the final URL.`,
          status,
        );
      }
      warnings.push(`The URL redirects (HTTP ${status}) to ${next}: give Ferndesk that URL, in case it does not follow redirects.`);
      url = next;
      continue;
    }
    if (status === 401 || status === 403 || status === 407 || headers['www-authenticate']) {
      const scheme = headers['www-authenticate'] ? ` and asks for ${String(headers['www-authenticate']).split(/[\s,]/)[0]} credentials` : '';
      throw new CheckFailure(
        'authentication_required',
        `The endpoint demands authentication (HTTP ${status} ${http.STATUS_CODES[status] ?? ''}${scheme}): Ferndesk sends no credentials, so it would be refused too. Make the URL answer without a login, protected by a secret in the URL instead.`.replace(
          ' )',
          ')',
        ),
        status,
      );
    }
    if (status < 200 || status >= 300) throw new CheckFailure('http_error', httpErrorSentence(status, response), status);
    return response;
  }
}

function httpErrorSentence(status: number, response: Fetched): string {
  const name = http.STATUS_CODES[status] ?? 'an unknown status';
  const excerpt = response.body.toString('utf8', 0, 200).replace(/\s+/g, ' ').trim();
  const saying = excerpt ? ` Its body begins: "${excerpt}${response.body.length > 200 ? '…' : ''}"` : '';
  const advice =
    status === 404
      ? "nothing is at this URL. Check the path; for this connector's export URLs, the secret may be wrong, or the URL was rotated or deleted."
      : status === 400
        ? 'the endpoint refused the request; check the startDate in the URL and what the endpoint expects.'
        : status === 429
          ? 'the endpoint is limiting how often it is called; try again later.'
          : status >= 500
            ? 'the server failed while answering; its logs should say why.'
            : status >= 300
              ? 'a redirect without a Location to follow.'
              : 'the endpoint refused the request.';
  return `The endpoint answered HTTP ${status} ${name}: ${advice}${saying}`;
}

async function resolveHost(url: URL, options: CheckOptions): Promise<LookupAddress[]> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  const family = isIP(hostname);
  if (family) {
    addresses = [{ address: hostname, family }];
  } else {
    try {
      addresses = await lookupAll(hostname, { all: true, verbatim: true });
      if (addresses.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENOTFOUND' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new CheckFailure(
        'unreachable',
        ['ENOTFOUND', 'EAI_NONAME', 'ENODATA', 'EAI_NODATA'].includes(code)
          ? `The host ${hostname} could not be found (DNS has no address for it): check the spelling of the URL, and that the domain exists.`
          : `The host ${hostname} could not be looked up right now (DNS ${code || 'failure'}): the name server did not answer. Try again, or check this machine's DNS settings.`,
      );
    }
  }
  const trusted = (options.trustedOrigins ?? []).includes(url.origin);
  if (!options.allowPrivateTargets && !trusted) {
    for (const { address } of addresses) {
      const reason = refusalReason(address);
      if (reason) {
        const where = address === hostname ? address : `${hostname} (${address})`;
        throw new CheckFailure(
          'refused',
          `The check does not fetch ${where}: it is ${reason}, not on the public internet, so Ferndesk could not reach it either. (To check private URLs from here, the operator can set CONNECTOR_ALLOW_PRIVATE_TARGETS=true, or run the check-support-endpoint command.)`,
        );
      }
    }
  }
  return addresses;
}

const connectionErrors: Record<string, (where: string) => string> = {
  ECONNREFUSED: (where) => `Nothing accepts connections at ${where} (connection refused): the server is not running there, or the port is wrong.`,
  ECONNRESET: (where) => `The server at ${where} closed the connection without answering (connection reset).`,
  EHOSTUNREACH: (where) => `${where} cannot be reached from here (no route to the host): check the address, and any firewall between.`,
  ENETUNREACH: (where) => `${where} cannot be reached from here (the network is unreachable).`,
  EPIPE: (where) => `The server at ${where} closed the connection while the request was being sent.`,
  EPROTO: (where) => `The TLS handshake with ${where} failed: is it really serving https on that port?`,
  ERR_SSL_WRONG_VERSION_NUMBER: (where) => `The TLS handshake with ${where} failed: the port does not speak https (is the URL meant to be http://?).`,
};

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_)/;

function fetchOnce(url: URL, addresses: LookupAddress[], deadline: number, options: CheckOptions): Promise<Fetched> {
  const maxBytes = options.maxBytes ?? DEFAULT_CHECK_MAX_BYTES;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let stage: 'connecting' | 'waiting' | 'reading' = 'connecting';
    let received = 0;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (verdict: Exclude<Verdict, 'ok'>, message: string, status: number | null = null) =>
      settle(() => {
        request.destroy();
        reject(new CheckFailure(verdict, message, status));
      });

    const request = transport.request(url, {
      method: 'GET',
      agent: false,
      lookup: pinnedLookup({ url, hostname, addresses }),
      headers: { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', 'user-agent': USER_AGENT },
    });
    const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    const timer = setTimeout(
      () => {
        const total = seconds(options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
        fail(
          'timeout',
          stage === 'connecting'
            ? `${where} did not accept a connection within ${total}: the host may be down, or a firewall drops the traffic.`
            : stage === 'waiting'
              ? `The endpoint accepted the connection but sent no answer within ${total}: it is too slow (Ferndesk will give up too) or stuck. A later startDate asks for less.`
              : `The endpoint started answering but had sent only ${received.toLocaleString('en-US')} bytes after ${total}: it is too slow, or stopped sending. A later startDate asks for less.`,
        );
      },
      Math.max(0, deadline - Date.now()),
    );
    request.on('socket', (socket) => {
      const connected = () => {
        if (stage === 'connecting') stage = 'waiting';
      };
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (TLS_CODES.test(code) && !connectionErrors[code]) {
        fail(
          'unreachable',
          `The TLS certificate of ${url.hostname} is not accepted (${code}: ${error.message}): Ferndesk will refuse it too. Serve a certificate from a public certificate authority that names this host.`,
        );
      } else if (connectionErrors[code]) {
        fail('unreachable', connectionErrors[code](where));
      } else if (code === 'ETIMEDOUT') {
        fail('timeout', `${where} did not accept a connection in time (ETIMEDOUT): the host may be down, or a firewall drops the traffic.`);
      } else {
        fail('unreachable', `The request to ${where} failed: ${code ? `${code}: ` : ''}${error.message}.`);
      }
    });
    request.on('response', (response) => {
      stage = 'reading';
      const status = response.statusCode ?? 0;
      const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
      const decoder =
        encoding === 'gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : null;
      const chunks: Buffer[] = [];
      let kept = 0;
      const body = decoder ? response.pipe(decoder) : response;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      body.on('data', (chunk: Buffer) => {
        kept += chunk.length;
        if (kept > maxBytes) {
          fail(
            'too_large',
            `The answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, more than the check reads: ask for less with a later startDate, and check that the endpoint filters by it.`,
            status,
          );
          return;
        }
        chunks.push(chunk);
      });
      body.on('end', () => settle(() => resolve({ status, headers: response.headers, body: Buffer.concat(chunks) })));
      const cutOff = () =>
        fail(
          'incomplete_response',
          `The connection closed after ${received.toLocaleString('en-US')} bytes, before the answer was complete (HTTP ${status}): the server failed or gave up while sending it. Its logs should say why.`,
          status,
        );
      response.on('aborted', cutOff);
      response.on('error', cutOff);
      decoder?.on('error', (error) => fail('not_json', `The body is declared ${encoding}-compressed but does not decompress (${error.message}).`, status));
    });
    request.end();
  });
}

// ---- reading the body ----

function readJson(response: Fetched, warnings: string[]): unknown {
  const text = response.body.toString('utf8').replace(/^\uFEFF/, '');
  const type = String(response.headers['content-type'] ?? '');
  const status = response.status;
  if (text.trim() === '') {
    throw new CheckFailure('not_json', `The body is empty (HTTP ${status}): the endpoint must answer with JSON such as {"conversations": []}.`, status);
  }
  const start = text.trimStart();
  if (start.startsWith('<')) {
    const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
    const named = title ? ` (titled "${title}")` : '';
    if (looksLikeLogin(text)) {
      throw new CheckFailure(
        'authentication_required',
        `The endpoint answered with a login page${named}, not JSON: it wants a login, and Ferndesk sends no credentials. Make the URL answer without a login, protected by a secret in the URL instead.`,
        status,
      );
    }
    throw new CheckFailure(
      'not_json',
      `The body is an HTML page${named}, not JSON: the URL probably points at a web page rather than at the endpoint.`,
      status,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = Number(/at position (\d+)/.exec(reason)?.[1] ?? NaN);
    if (/end of JSON input/.test(reason) || position >= text.trimEnd().length) {
      throw new CheckFailure(
        'not_json',
        `The body is not complete JSON: it stops after ${response.body.length.toLocaleString('en-US')} bytes in the middle of a value (${reason}). The endpoint probably failed while writing it, or cut it short.`,
        status,
      );
    }
    const excerpt = start.slice(0, 80).replace(/\s+/g, ' ');
    if (/html/i.test(type)) {
      throw new CheckFailure(
        'not_json',
        `The body is a web page (${type}), not JSON; it begins: "${excerpt}${start.length > 80 ? '…' : ''}". The URL probably points at a web page rather than at the endpoint.`,
        status,
      );
    }
    throw new CheckFailure(
      'not_json',
      `The body is not valid JSON (${reason}); it begins: "${excerpt}${start.length > 80 ? '…' : ''}".${type ? ` It was sent as ${type}.` : ''}`,
      status,
    );
  }
  if (!/json/i.test(type)) {
    warnings.push(`The body is JSON but is sent as ${type ? `"${type}"` : 'no content type'}: answer with Content-Type: application/json.`);
  }
  return data;
}

function looksLikeLogin(html: string): boolean {
  return /<input[^>]+type\s*=\s*["']?password/i.test(html) || /<(title|h1|h2|button)[^>]*>[^<]*(log ?in|sign ?in|anmelden|登入|登录)[^<]*</i.test(html);
}

// ---- the format ----

/** conversations[3].messages[0].role */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${String(step)}` : String(step)), '');
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): { present: boolean; value: unknown } {
  let node: unknown = data;
  for (const step of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, step)) return { present: false, value: undefined };
    node = (node as Record<PropertyKey, unknown>)[step];
  }
  return { present: true, value: node };
}

const describeValue = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
};

/** One zod issue as a sentence: "conversations[3].messages[0].role must be user or agent, got "bot"". */
export function describeIssue(issue: z.core.$ZodIssue, data: unknown): Problem {
  const path = jsonPath(issue.path);
  const subject = path || 'The body';
  const { present, value } = valueAt(data, issue.path);
  if (!present) {
    const hint = path === 'conversations' ? ': the body must be {"conversations": [...]}' : '';
    return { path, message: `${subject} is missing${hint}` };
  }
  const got = issue.code === 'too_small' && value === '' ? '' : `, got ${describeValue(value)}`;
  return { path, message: `${subject} ${issue.message}${got}` };
}

interface Summary {
  conversations: number;
  messages: number;
  newestLastMessageAt: string | null;
}

function checkFormat(data: unknown, startDate: string | null, warnings: string[]): { problems: Problem[]; unlisted: number; summary: Summary } {
  const parsed = AcceptedSupportExport.safeParse(data);
  if (!parsed.success) {
    // Sentences for the ones listed; the rest are only counted.
    const issues = parsed.error.issues;
    const problems = issues.slice(0, MAX_LISTED_PROBLEMS).map((issue) => describeIssue(issue, data));
    const unlisted = issues.length - problems.length;
    return { problems, unlisted, summary: { conversations: 0, messages: 0, newestLastMessageAt: null } };
  }
  const { conversations } = parsed.data;
  const since = startDate ? Date.parse(startDate.length === 10 ? `${startDate}T00:00:00Z` : startDate) : NaN;
  const seen = new Set<string>();
  const found = {
    supportAgent: [] as string[],
    noUrl: [] as string[],
    empty: [] as string[],
    duplicate: [] as string[],
    stale: [] as string[],
    mismatch: [] as string[],
  };
  let messages = 0;
  let newest: string | null = null;
  conversations.forEach((conversation, i) => {
    const at = `conversations[${i}]`;
    messages += conversation.messages.length;
    if (!newest || Date.parse(conversation.lastMessageAt) > Date.parse(newest)) newest = conversation.lastMessageAt;
    if (seen.has(conversation.id)) found.duplicate.push(`${at}.id, "${conversation.id}"`);
    seen.add(conversation.id);
    if (conversation.url === undefined) found.noUrl.push(at);
    if (conversation.messages.length === 0) found.empty.push(at);
    if (Date.parse(conversation.lastMessageAt) < since) found.stale.push(`${at}.lastMessageAt, ${conversation.lastMessageAt}`);
    conversation.messages.forEach((message, j) => {
      if (message.role === 'support_agent') found.supportAgent.push(`${at}.messages[${j}].role`);
    });
    const newestMessage = conversation.messages.reduce<(typeof conversation.messages)[number] | null>(
      (found, m) => (!found || Date.parse(m.createdAt) > Date.parse(found.createdAt) ? m : found),
      null,
    );
    if (newestMessage && Date.parse(newestMessage.createdAt) !== Date.parse(conversation.lastMessageAt)) {
      found.mismatch.push(`${at}: lastMessageAt is ${conversation.lastMessageAt}, the newest message is from ${newestMessage.createdAt}`);
    }
  });
  const where = (list: string[]) => (list.length === 1 ? ` (at ${list[0]})` : ` (the first at ${list[0]})`);
  const n = (list: string[], noun: string, one: string, many: string) => `${count(list.length, noun)} ${list.length === 1 ? one : many}`;
  if (found.supportAgent.length) {
    warnings.push(
      `${n(found.supportAgent, 'message', 'uses', 'use')} the role "support_agent"${where(found.supportAgent)}: Ferndesk's own example does, but its format names only user and agent; prefer "agent".`,
    );
  }
  if (found.duplicate.length)
    warnings.push(`${n(found.duplicate, 'conversation', 'repeats', 'repeat')} an id seen before${where(found.duplicate)}: Ferndesk may keep only one of each.`);
  if (found.noUrl.length) warnings.push(`${n(found.noUrl, 'conversation', 'has', 'have')} no url${where(found.noUrl)}: audits cannot link to them.`);
  if (found.empty.length) warnings.push(`${n(found.empty, 'conversation', 'has', 'have')} no messages${where(found.empty)}.`);
  if (found.mismatch.length)
    warnings.push(`In ${count(found.mismatch.length, 'conversation')}, lastMessageAt is not the time of the newest message${where(found.mismatch)}.`);
  if (found.stale.length) {
    warnings.push(
      `${n(found.stale, 'conversation', 'has', 'have')} its last message before startDate=${startDate}${where(found.stale)}: the endpoint seems not to filter by startDate, so Ferndesk reads old conversations again every time.`.replace(
        /have its/,
        'have their',
      ),
    );
  }
  return { problems: [], unlisted: 0, summary: { conversations: conversations.length, messages, newestLastMessageAt: newest } };
}
