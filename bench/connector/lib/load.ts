import autocannon from 'autocannon';
import { summarise } from './stats.js';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  /** The path of request n (e.g. a different email each time). */
  path: (n: number) => string;
  /** The JSON body of request n. */
  body?: (n: number) => string;
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Responses that were not 2xx, and connection errors or timeouts: a run with any is not a result. */
  failed: number;
}

/**
 * One autocannon run (pipelining 1, `connections` keep-alive connections, for `seconds`) from
 * this process. Latencies are collected from autocannon's per-response event with
 * sub-millisecond precision (its own histogram rounds to whole milliseconds).
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const latencies: number[] = [];
  let failed = 0;
  // Without a callback autocannon returns its instance (an event emitter) made thenable.
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: options.method,
        headers: { ...options.headers, ...(options.body ? { 'content-type': 'application/json' } : {}) },
        setupRequest: (request: any) => {
          const i = n++;
          return { ...request, path: options.path(i), ...(options.body ? { body: options.body(i) } : {}) };
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else failed++;
  });
  const result = await instance;
  failed += result.errors + result.timeouts;
  const summary = summarise(latencies);
  const seconds = Number(result.duration) > 0 ? Number(result.duration) : options.seconds;
  return { requests: latencies.length, perSecond: latencies.length / seconds, p50: summary.p50, p99: summary.p99, failed };
}

/** A short run first (warm-up: JIT, caches, connections), then the measured one. */
export async function warmThenLoad(options: LoadOptions, warmupSeconds: number): Promise<LoadResult> {
  await load({ ...options, seconds: warmupSeconds });
  return load(options);
}
