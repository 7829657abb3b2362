/**
 * End-to-end harness: a real connector (port 0, fresh database: the embedded one, or PostgreSQL
 * when TEST_DATABASE_URL is set) with its delivery worker and SMS report poller running, driven
 * over real HTTP by the app's own operations through zapier-platform-core's app tester.
 * No nock anywhere here: every request crosses a socket.
 */
import zapier, { type Bundle, type ZObject } from 'zapier-platform-core';
import { Webhook } from 'standardwebhooks';
import App from '../../index.js';
import { createInvoker } from '../support/invoke.js';
import type { CreatedSubscription } from '../../contract/index.js';
import { createSmsReportPoller } from '../../connector/src/contact-centre/sms.js';
import { createDeliveryWorker } from '../../connector/src/delivery/worker.js';
import { startConnector, type ConnectorDatabase, type Credentials, type TestConnector } from '../../connector/test/support/connector.js';
import { startSink, type Received, type Sink } from '../../connector/test/support/sink.js';

export { startSink, type Received, type Sink };

/**
 * The app's own definition, run by Zapier's app tester. One flag differs: `skipHttpPatch`.
 * Zapier's runtime patches node:http(s) process-wide to log outbound requests, and its patch
 * takes only `request(options, callback)`: a `request(url, options)` call (the connector's
 * webhook sender) turns into a bare GET without headers or body. In production the connector
 * is another process; here it shares this one, so the patch stays off. The app itself calls
 * only z.request, which Zapier logs without the patch.
 */
export const appTester = zapier.createAppTester({ ...App, flags: { ...App.flags, skipHttpPatch: true } });
/** The same app run with Zapier's cursor store, which dropdown paging (z.cursor) needs; see test/support/invoke.ts. */
export const invoke = createInvoker({ ...App, flags: { ...App.flags, skipHttpPatch: true } });

/** A connection's authData (a type, not an interface, so it fits Zapier's `Record<string, string>`). */
export type AuthData = {
  appId: string;
  appToken: string;
  baseUrl: string;
};

export interface E2E {
  connector: TestConnector;
  /** The connector's first account as Zapier would hold it. */
  authData: AuthData;
  /** A new Zapier account (App ID, App Token) for a test that needs its own. */
  newAccount(name?: string): Promise<AuthData>;
  /** Calls the connector's admin API with its admin token (Bearer). */
  admin<T = any>(path: string, method?: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/**
 * The database the e2e jest projects run on: `e2e` the embedded one, `e2e-postgres` PostgreSQL
 * (jest.config.js sets E2E_DATABASE as a global); neither, as before: PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
function e2eDatabase(): ConnectorDatabase | undefined {
  const chosen = (globalThis as { E2E_DATABASE?: string }).E2E_DATABASE;
  return chosen === 'embedded' || chosen === 'postgres' ? chosen : undefined;
}

/**
 * Starts a connector for one test file. Loopback webhook targets are allowed (the sinks live on
 * 127.0.0.1); the delivery worker polls often and the sandbox SMS provider reports at once, so
 * tests wait on deliveries, not on timers. `env` overrides settings (e.g. the rate limit).
 */
export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  const connector = await startConnector(
    {
      CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true',
      CONNECTOR_DELIVERY_POLL_MS: '50',
      CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '5',
      ...env,
    },
    { seed: true, database: e2eDatabase() },
  );
  const worker = createDeliveryWorker(connector.deps);
  const smsPoller = createSmsReportPoller(connector.db, { error: (details, message) => console.error(message, details) }, 20);
  worker.start();
  smsPoller.start();

  const authDataOf = (credentials: Credentials): AuthData => ({ ...credentials, baseUrl: connector.baseUrl });
  const admin: E2E['admin'] = async (path, method = 'GET', body) => {
    const result = await connector.call(path, { method, body, as: 'admin' });
    return { status: result.status, body: result.body };
  };
  return {
    connector,
    authData: authDataOf(connector.account),
    admin,
    newAccount: async (name = 'E2E Zaps') => authDataOf(await connector.addAccount(name)),
    async close() {
      // Deliveries and reports in flight finish before the database goes.
      await Promise.all([worker.stop(), smsPoller.stop()]);
      await connector.close();
    },
  };
}

type Kind = 'triggers' | 'creates' | 'searches';
type Method = 'perform' | 'performList' | 'performSubscribe' | 'performUnsubscribe';
type AnyPerform = (z: ZObject, bundle: Bundle) => unknown;

/** One method of one of the app's operations, looked up in the app definition itself. */
export function operationOf(kind: Kind, key: string, method: Method = 'perform'): AnyPerform {
  const operation = (App[kind] as unknown as Record<string, { operation: Partial<Record<Method, AnyPerform>> }>)[key]?.operation;
  const perform = operation?.[method];
  if (!perform) throw new Error(`${kind}.${key} has no ${method}`);
  return perform;
}

/** Runs an operation the way Zapier does: through the app tester, with this connection's authData. */
export function run<T = any>(
  authData: AuthData,
  kind: Kind,
  key: string,
  inputData: Record<string, unknown> = {},
  { method = 'perform', ...extra }: { method?: Method } & Partial<Bundle> = {},
): Promise<T> {
  operationOf(kind, key, method); // fails naming what is missing
  return invoke(kind, key, method, { ...extra, authData, inputData } as Partial<Bundle>) as Promise<T>;
}

export { failureOf, type Failure } from '../support/failure.js';

/** The webhook headers as Zapier hands them to a hook trigger's perform ("Http-Webhook-Id"). */
export function zapierRawRequest(received: Received) {
  const header = (name: string) => String(received.headers[name] ?? '');
  return {
    method: 'POST',
    headers: {
      'Http-Content-Type': header('content-type'),
      'Http-Webhook-Id': header('webhook-id'),
      'Http-Webhook-Timestamp': header('webhook-timestamp'),
      'Http-Webhook-Signature': header('webhook-signature'),
    },
    content: received.body,
    querystring: '',
  };
}

/** Verifies a received delivery with the subscription's secret (Standard Webhooks); returns the payload. */
export function verifySignature(subscription: CreatedSubscription, received: Received): Record<string, unknown> {
  const headers = {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  };
  return new Webhook(subscription.secret).verify(received.body, headers) as Record<string, unknown>;
}

/**
 * Every key path of a value: objects by key, array items under "[]" (merged over items), so
 * `{a: {b: 1}, c: [{d: 2}]}` gives a, a.b, c, c[].d. Sorted.
 */
export function keyPaths(value: unknown): string[] {
  return [...shapeOf(value).paths].sort();
}

/** Key paths, plus the paths whose value is empty here (null or []), so nothing below them can be known. */
function shapeOf(value: unknown) {
  const paths = new Set<string>();
  const empty = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (node === null || (Array.isArray(node) && node.length === 0)) {
      empty.add(path);
    } else if (Array.isArray(node)) {
      for (const item of node) if (item && typeof item === 'object') walk(item, `${path}[]`);
    } else if (typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const childPath = path ? `${path}.${key}` : key;
        paths.add(childPath);
        walk(child, childPath);
      }
    }
  };
  walk(value, '');
  return { paths, empty };
}

/**
 * Compares the key paths of two records of one type. Below a value that is null or an empty
 * list on either side nothing can be compared (an empty `addresses` has no `city`), so those
 * paths are left out; every other key must be on both sides. Answers what is only on one side.
 */
export function shapeDifference(a: unknown, b: unknown): { onlyInFirst: string[]; onlyInSecond: string[] } {
  const [first, second] = [shapeOf(a), shapeOf(b)];
  const unknowable = [...first.empty, ...second.empty];
  const comparable = (path: string) => !unknowable.some((e) => path.startsWith(`${e}.`) || path.startsWith(`${e}[]`));
  const only = (x: Set<string>, y: Set<string>) => [...x].filter((p) => !y.has(p) && comparable(p)).sort();
  return { onlyInFirst: only(first.paths, second.paths), onlyInSecond: only(second.paths, first.paths) };
}

/** Polls `check` until it gives something truthy, or fails after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
