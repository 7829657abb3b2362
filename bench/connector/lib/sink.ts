import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The webhook receiver: a plain node:http server on 127.0.0.1 answering 200 to every POST, on
 * any path (one per subscription). For each request it notes when it arrived and how long after
 * the event's `occurredAt` that was (both are wall-clock milliseconds on this machine).
 */
export interface Sink {
  url: string;
  /** Starts a new count; `expect` requests complete the returned promise (rejected after `timeoutMs`). */
  expect(count: number, timeoutMs: number): Promise<{ firstAt: number; lastAt: number; latencies: Float64Array; paths: Map<string, number> }>;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  let expected = 0;
  let received = 0;
  let latencies = new Float64Array(0);
  let paths = new Map<string, number>();
  let firstAt = 0;
  let lastAt = 0;
  let done: (() => void) | undefined;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      response.writeHead(200, { 'content-length': 0 }).end();
      const body = Buffer.concat(chunks).toString('utf8');
      const occurredAt = /"occurredAt":"([^"]+)"/.exec(body)?.[1];
      if (received < latencies.length) latencies[received] = occurredAt ? at - Date.parse(occurredAt) : Number.NaN;
      paths.set(request.url ?? '', (paths.get(request.url ?? '') ?? 0) + 1);
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
    expect(count, timeoutMs) {
      expected = count;
      received = 0;
      latencies = new Float64Array(count);
      paths = new Map();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          done = undefined;
          reject(new Error(`the sink got ${received} of ${count} requests within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        done = () => {
          clearTimeout(timer);
          done = undefined;
          resolve({ firstAt, lastAt, latencies: latencies.filter((x) => !Number.isNaN(x)), paths });
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
