import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The webhook receiver: a plain node:http server on 127.0.0.1 answering 200 to every POST, on
 * any path (one per subscription). For each request it notes when it arrived and how long after
 * the event's `occurredAt` that was (both are wall-clock milliseconds on this machine).
 */
export interface Sink {
  url: string;
  /**
   * Starts a new count; `expect` requests (to paths starting with `pathPrefix` only, when given)
   * complete the returned promise (rejected after `timeoutMs`). Other requests are still timed, by path.
   */
  expect(count: number, timeoutMs: number, pathPrefix?: string): Promise<SinkRun>;
  close(): Promise<void>;
}

export interface SinkRun {
  firstAt: number;
  lastAt: number;
  /** Of the expected requests: change → receipt, milliseconds. */
  latencies: Float64Array;
  paths: Map<string, number>;
  /** Receipt times (epoch ms) of every request, by path. */
  arrivals: Map<string, number[]>;
}

export async function startSink(): Promise<Sink> {
  let expected = 0;
  let expectedPrefix: string | undefined;
  let received = 0;
  let latencies = new Float64Array(0);
  let paths = new Map<string, number>();
  let arrivals = new Map<string, number[]>();
  let firstAt = 0;
  let lastAt = 0;
  let done: (() => void) | undefined;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      response.writeHead(200, { 'content-length': 0 }).end();
      const path = request.url ?? '';
      paths.set(path, (paths.get(path) ?? 0) + 1);
      const times = arrivals.get(path);
      if (times) times.push(at);
      else arrivals.set(path, [at]);
      if (expectedPrefix !== undefined && !path.startsWith(expectedPrefix)) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const occurredAt = /"occurredAt":"([^"]+)"/.exec(body)?.[1];
      if (received < latencies.length) latencies[received] = occurredAt ? at - Date.parse(occurredAt) : Number.NaN;
      if (received === 0) firstAt = at;
      received++;
      lastAt = at;
      if (received === expected) done?.();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    expect(count, timeoutMs, pathPrefix) {
      expected = count;
      expectedPrefix = pathPrefix;
      received = 0;
      latencies = new Float64Array(count);
      paths = new Map();
      arrivals = new Map();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          done = undefined;
          reject(new Error(`the sink got ${received} of ${count} requests within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        done = () => {
          clearTimeout(timer);
          done = undefined;
          resolve({ firstAt, lastAt, latencies: latencies.filter((x) => !Number.isNaN(x)), paths, arrivals });
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
