import { FAULT_ADMIN_TOKEN } from './process.js';

export interface Credentials {
  appId: string;
  appToken: string;
}

export interface Reply<T = any> {
  status: number;
  body: T;
  /** The body as it came. */
  text: string;
  headers: Headers;
}

export interface Request {
  method?: string;
  body?: unknown;
  /** Sent as is (broken JSON, other content types). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Whose credentials: an account, 'admin', or 'none'. */
  as?: Credentials | 'admin' | 'none';
  timeoutMs?: number;
}

export function authHeaders(as: Request['as']): Record<string, string> {
  if (!as || as === 'none') return {};
  if (as === 'admin') return { authorization: `Bearer ${FAULT_ADMIN_TOKEN}` };
  return { 'x-app-id': as.appId, authorization: `Bearer ${as.appToken}` };
}

/** One HTTP call to a connector; throws only when no answer came (refused, reset, timed out). */
export async function call<T = any>(
  baseUrl: string,
  path: string,
  { method = 'GET', body, rawBody, headers = {}, as, timeoutMs = 20_000 }: Request = {},
): Promise<Reply<T>> {
  const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...authHeaders(as), ...(payload !== undefined && rawBody === undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: payload,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

/** Adds a Zapier account through the admin API. */
export async function addAccount(baseUrl: string, name = 'Fault Zaps'): Promise<Credentials> {
  const created = await call(baseUrl, '/admin/api/zapier-accounts', { method: 'POST', body: { name }, as: 'admin' });
  if (created.status !== 201) throw new Error(`could not add an account: ${created.status} ${created.text}`);
  return { appId: created.body.appId, appToken: created.body.appToken };
}

/** Subscribes a target through POST /v1/hooks; returns the subscription with its secret. */
export async function subscribe(baseUrl: string, as: Credentials, event: string, targetUrl: string, filters?: Record<string, string>) {
  const created = await call(baseUrl, '/v1/hooks', { method: 'POST', body: { event, targetUrl, ...(filters ? { filters } : {}) }, as });
  if (created.status !== 201) throw new Error(`could not subscribe: ${created.status} ${created.text}`);
  return created.body as { id: string; secret: string; event: string; targetUrl: string };
}

/**
 * Runs `work(i)` for i in [0, count) with at most `concurrency` at once; resolves to the results
 * in order. `work` may throw: its error is kept as the result.
 */
export async function inParallel<T>(count: number, concurrency: number, work: (i: number) => Promise<T>): Promise<Array<T | Error>> {
  const results: Array<T | Error> = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      try {
        results[i] = await work(i);
      } catch (error) {
        results[i] = error instanceof Error ? error : new Error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return results;
}

/** Every record of a paged /v1 list, following `nextCursor` to the last page. */
export async function listAll<T = any>(baseUrl: string, path: string, as: Request['as']): Promise<T[]> {
  const records: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: Reply<{ data: T[]; nextCursor: string | null }> = await call(
      baseUrl,
      cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path,
      { as },
    );
    if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}: ${JSON.stringify(page.body)}`);
    records.push(...page.body.data);
    cursor = page.body.nextCursor;
  } while (cursor);
  return records;
}
