import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { pinnedLookup, vetTarget, TargetRefusedError, type TargetPolicy, type VettedTarget } from './ssrf.js';

export const USER_AGENT = 'contact-centre-connector-webhooks/1.0 (+Standard Webhooks)';

/** Longest a response body excerpt kept for the delivery log may be. */
const BODY_EXCERPT_CHARS = 300;

export interface WebhookMessage {
  /** The event id: `webhook-id`, identical on every retry so receivers can deduplicate. */
  id: string;
  /** The stored payload text, sent byte for byte. */
  body: string;
  targetUrl: string;
  /** whsec_... of the subscription. */
  secret: string;
}

/** What one attempt came to. `statusCode` is null when no response arrived. */
export interface AttemptResult {
  statusCode: number | null;
  /** Seconds or an HTTP date from a Retry-After header, resolved to milliseconds from now. */
  retryAfterMs: number | null;
  /** Why it failed, in words (null on 2xx). */
  error: string | null;
  /** The target was refused by the address policy: retrying will not help until DNS changes. */
  refused: boolean;
  /** No answer came within the timeout. */
  timedOut: boolean;
  /** The start of the answer's body (trimmed), or null when there was no answer. */
  responseExcerpt: string | null;
  durationMs: number;
}

/** Keeps connections to receivers alive between deliveries; one per worker. */
export interface HttpAgents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

export function createHttpAgents(maxSockets: number): HttpAgents {
  // Every socket stays open while idle: the worker sends in batches, so up to all of them are
  // free at once between two claims, and closing the spares meant a new connection per delivery.
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  const agents = { http: new http.Agent(options), https: new https.Agent(options) };
  return {
    ...agents,
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** Decoded signing keys by secret: a subscription's deliveries all use the same one. */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEYS_KEPT = 10_000;

function signingKey(secret: string): Buffer {
  let key = signingKeys.get(secret);
  if (!key) {
    key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
    if (signingKeys.size >= SIGNING_KEYS_KEPT) signingKeys.clear();
    signingKeys.set(secret, key);
  }
  return key;
}

/**
 * The three Standard Webhooks headers for this message, signed now: `v1,` and the base64
 * HMAC-SHA256 of `id.timestamp.body` under the secret's decoded key, as the spec defines it
 * (the standardwebhooks package verifies it in the tests). Signed with node:crypto rather than
 * that package's Webhook.sign, which hashes in JavaScript and decodes the key on every call:
 * a quarter of the worker's CPU per delivery before.
 */
export function signatureHeaders(message: Pick<WebhookMessage, 'id' | 'body' | 'secret'>, now = new Date()) {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', signingKey(message.secret)).update(`${message.id}.${timestamp}.${message.body}`).digest('base64');
  return { 'webhook-id': message.id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/**
 * Sends one attempt: checks the target against the address policy, connects only to the
 * address it checked, never follows redirects, and gives up after `timeoutMs`. Without
 * `agents` (a one-off send, such as a target's test) the connection is not kept alive.
 */
export async function sendWebhook(message: WebhookMessage, options: TargetPolicy & { timeoutMs: number; agents?: HttpAgents }): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: VettedTarget;
  try {
    target = await vetTarget(message.targetUrl, options);
  } catch (error) {
    const reason = error instanceof TargetRefusedError ? error.reason : String(error);
    return { statusCode: null, retryAfterMs: null, error: reason, refused: true, timedOut: false, responseExcerpt: null, durationMs: elapsed() };
  }
  const response = await post(target.url, message, {
    timeoutMs: options.timeoutMs,
    lookup: pinnedLookup(target),
    agent: options.agents ? (target.url.protocol === 'https:' ? options.agents.https : options.agents.http) : false,
  });
  return { ...response, refused: false, durationMs: elapsed() };
}

interface PostOptions {
  timeoutMs: number;
  lookup: ReturnType<typeof pinnedLookup>;
  /** false: a connection of its own, closed after. */
  agent: http.Agent | false;
}

type PostResult = Omit<AttemptResult, 'refused' | 'durationMs'>;

function post(url: URL, message: WebhookMessage, options: PostOptions): Promise<PostResult> {
  const transport = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(message.body, 'utf8');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const request = transport.request(url, {
      method: 'POST',
      agent: options.agent,
      lookup: options.lookup,
      headers: {
        ...signatureHeaders(message),
        'content-type': 'application/json',
        'content-length': body.length,
        'user-agent': USER_AGENT,
      },
    });
    const deadline = setTimeout(() => {
      request.destroy();
      finish({ statusCode: null, retryAfterMs: null, error: `timed out after ${options.timeoutMs / 1000} s`, timedOut: true, responseExcerpt: null });
    }, options.timeoutMs);

    request.on('error', (error: NodeJS.ErrnoException) => {
      finish({ statusCode: null, retryAfterMs: null, error: connectionErrorText(error), timedOut: false, responseExcerpt: null });
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        // Keep only the start for the log; read (and drop) the rest so the socket can be reused.
        if (kept >= BODY_EXCERPT_CHARS) return;
        chunks.push(chunk);
        kept += chunk.length;
      });
      response.on('end', () => {
        const statusCode = response.statusCode ?? 0;
        const ok = statusCode >= 200 && statusCode < 300;
        const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, BODY_EXCERPT_CHARS).trim();
        finish({
          statusCode,
          retryAfterMs: parseRetryAfter(response.headers['retry-after']),
          error: ok ? null : describeFailure(statusCode, response.headers.location, excerpt),
          timedOut: false,
          responseExcerpt: excerpt,
        });
      });
      response.on('error', (error) =>
        finish({ statusCode: response.statusCode ?? null, retryAfterMs: null, error: connectionErrorText(error), timedOut: false, responseExcerpt: null }),
      );
    });
    request.end(body);
  });
}

function describeFailure(statusCode: number, location: string | undefined, excerpt: string): string {
  if (statusCode >= 300 && statusCode < 400) {
    return `HTTP ${statusCode}: redirects are not followed${location ? ` (to ${location})` : ''}`;
  }
  return excerpt ? `HTTP ${statusCode}: ${excerpt}` : `HTTP ${statusCode}`;
}

function connectionErrorText(error: NodeJS.ErrnoException): string {
  return error.code ? `${error.code}: ${error.message}` : error.message;
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
