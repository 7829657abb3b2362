import type { Bundle, HttpRequestOptions, HttpResponse, ZObject } from 'zapier-platform-core';
import type { EndpointName, ResponseOf } from '../contract/index.js';
import { fillPath, routes } from '../contract/routes.js';
import { errorFor } from './errors.js';
import { userAgent } from './package-info.js';

/** The three connection fields; `authentication.ts` defines them. */
export interface ConnectorAuth {
  appId: string;
  appToken: string;
  baseUrl: string;
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Says what the call is for in error messages: "send the SMS". */
  action: string;
  fieldLabels?: Record<string, string>;
  /** Searches: a 404 means "nothing found", so the call answers null instead of failing. */
  notFoundIsEmpty?: boolean;
}

export const baseUrlOf = (authData: Partial<ConnectorAuth>) =>
  String(authData.baseUrl ?? '')
    .trim()
    .replace(/\/+$/, '');

/** https anywhere; plain http only for a connector on this machine (local development). */
export const BASE_URL_PATTERN = /^(https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?)(\/[^\s?#]*)?$/;

export const baseUrlProblem = (baseUrl: string): string | null =>
  BASE_URL_PATTERN.test(baseUrl)
    ? null
    : `The Base URL "${baseUrl}" is not valid: it must start with https:// (http:// is allowed only for localhost), ` +
      'for example https://connector.example.com. Copy it from Administration > Service Integration > Third-party Integration > Zapier.';

/** The first `:name` of the path that has no value (an empty id mapped from an earlier step). */
const missingPathParam = (path: string, params: Record<string, string> = {}) =>
  [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!).find((name) => params[name] === undefined || params[name] === '');

/** Query values trimmed; blank ones left out (a search field mapped to "  " is not a filter). */
const definedOnly = (query: CallOptions['query'] = {}) =>
  Object.fromEntries(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, String(v).trim()])
      .filter(([, v]) => v !== ''),
  );

/**
 * The one way the app talks to the connector: one HTTP request per call, credentials and
 * User-Agent attached, every unsuccessful answer turned into an error a person understands.
 */
export async function callConnector<N extends EndpointName>(
  z: ZObject,
  bundle: Bundle,
  name: N,
  options: CallOptions & { notFoundIsEmpty: true },
): Promise<ResponseOf<N> | null>;
export async function callConnector<N extends EndpointName>(z: ZObject, bundle: Bundle, name: N, options: CallOptions): Promise<ResponseOf<N>>;
export async function callConnector<N extends EndpointName>(z: ZObject, bundle: Bundle, name: N, options: CallOptions): Promise<ResponseOf<N> | null> {
  const endpoint = routes[name];
  const auth = bundle.authData as Partial<ConnectorAuth>;
  const baseUrl = baseUrlOf(auth);
  const problem = baseUrlProblem(baseUrl);
  if (problem) throw new z.errors.Error(problem, 'InvalidBaseUrl');
  const missing = missingPathParam(endpoint.path, options.params);
  if (missing) {
    const label = options.fieldLabels?.[missing];
    throw new z.errors.Error(`Could not ${options.action}: ${label ? `${label} (${missing})` : missing} is empty.`, 'InvalidInput');
  }
  const request = {
    method: endpoint.method,
    url: `${baseUrl}${fillPath(endpoint.path, options.params)}`,
    params: definedOnly(options.query),
    headers: {
      'X-App-Id': String(auth.appId ?? ''),
      Authorization: `Bearer ${auth.appToken ?? ''}`,
      'User-Agent': userAgent,
      Accept: 'application/json',
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: options.body as object }),
    skipThrowForStatus: true,
    throwForThrottlingEarly: false,
  } as HttpRequestOptions & { url: string };

  let response: HttpResponse;
  try {
    response = await z.request(request);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new z.errors.Error(
      `Could not reach the contact centre connector at ${baseUrl || '(no Base URL)'} to ${options.action}: ${reason}. Check the Base URL of this connection.`,
      'ConnectorUnreachable',
    );
  }

  if (response.status === 404 && options.notFoundIsEmpty) return null;
  if (response.status < 200 || response.status >= 300) {
    throw errorFor(z, response, { action: options.action, fieldLabels: options.fieldLabels, baseUrl });
  }
  if (response.data === undefined || response.data === null || typeof response.data !== 'object') {
    throw new z.errors.Error(
      `The connector at ${baseUrl} answered without JSON while trying to ${options.action}. Check that the Base URL points at the contact centre connector.`,
      'UnexpectedResponse',
      response.status,
    );
  }
  return response.data as ResponseOf<N>;
}
