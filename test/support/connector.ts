import nock from 'nock';
import zapier, { type Bundle, type ZObject } from 'zapier-platform-core';
import App from '../../index.js';
import { authData, BASE_URL, bundleWith } from './bundle.js';
import { createInvoker } from './invoke.js';
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export const appTester = zapier.createAppTester(App);
/** Runs operations with Zapier's cursor store (dropdown paging); see invoke.ts. */
export const invoke = createInvoker(App);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const userAgentPattern = new RegExp(`^${escapeRegExp(`${packageJson.name}/${packageJson.version}`)}\\b`);

/**
 * A nock scope on the connector that answers only requests carrying this connection's
 * credentials: X-App-Id, the App Token as a Bearer token and the app's User-Agent.
 */
export const connector = (baseUrl = BASE_URL, auth: { appId: string; appToken: string } = authData) =>
  nock(baseUrl).matchHeader('x-app-id', auth.appId).matchHeader('authorization', `Bearer ${auth.appToken}`).matchHeader('user-agent', userAgentPattern);

/**
 * The discipline of every file that talks to the connector: no real network, every interceptor
 * used, and no request that no interceptor expected (so "exactly one request" holds).
 */
export function useNock() {
  let unexpected: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string; href?: string; options?: { href?: string } }) =>
    unexpected.push(`${req.method ?? ''} ${req.href ?? req.options?.href ?? req.path ?? '(unknown)'}`);

  beforeAll(() => {
    nock.disableNetConnect();
    nock.emitter.on('no match', onNoMatch);
  });
  beforeEach(() => {
    unexpected = [];
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect({ pending, unexpected }).toEqual({ pending: [], unexpected: [] });
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.enableNetConnect();
  });
}

export { failureOf, type Failure } from './failure.js';

type Kind = 'triggers' | 'creates' | 'searches';
type Method = 'perform' | 'performList' | 'performSubscribe' | 'performUnsubscribe';
type AnyPerform = (z: ZObject, bundle: Bundle) => unknown;

/** Runs one method of an operation of the app, the way Zapier would, with this connection's authData. */
export function run(kind: Kind, key: string, inputData: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, method: Method = 'perform') {
  const operation = (App[kind] as unknown as Record<string, { operation: Partial<Record<Method, AnyPerform>> }>)[key]?.operation;
  const perform = operation?.[method];
  if (!perform) throw new Error(`${kind}.${key} has no ${method}`);
  return invoke(kind, key, method, bundleWith({ ...extra, inputData }));
}
