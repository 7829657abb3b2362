import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** One webhook request the sink received. */
export interface Hit {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when it arrived. */
  at: number;
}

/** How to answer: a status (with headers, after a delay), or never (the sender times out). */
export type Answer = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';
export type Responder = (hit: Hit, n: number) => Answer;

export interface FaultSink {
  url: string;
  port: number;
  hits: Hit[];
  /** Every request per webhook-id, in arrival order. */
  byId: Map<string, Hit[]>;
  respond: Responder;
  /** Stops listening and drops open connections: senders get "connection refused". */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Resolves once every one of `ids` has arrived at least once. */
  waitForIds(ids: Iterable<string>, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1 for fault tests: answers as `respond` says (which the test may
 * swap at any time), can go down (refusing connections) and come back on the same port, and
 * indexes what it got by webhook-id.
 */
export async function startFaultSink(respond: Responder = () => ({ status: 200 })): Promise<FaultSink> {
  const hits: Hit[] = [];
  const byId = new Map<string, Hit[]>();
  const sockets = new Set<Socket>();
  const hanging = new Set<() => void>();
  let listening = false;
  let port = 0;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = String(request.headers['webhook-id'] ?? '');
      const hit: Hit = { id, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() };
      hits.push(hit);
      const seen = byId.get(id);
      if (seen) seen.push(hit);
      else byId.set(id, [hit]);
      const answer = sink.respond(hit, hits.length);
      if (answer === 'hang') {
        const release = () => response.destroy();
        hanging.add(release);
        response.on('close', () => hanging.delete(release));
        return;
      }
      const send = () => {
        if (!response.destroyed) response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = () =>
    new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', fail);
        port = (server.address() as { port: number }).port;
        listening = true;
        done();
      });
    });
  const stop = () =>
    new Promise<void>((done) => {
      if (!listening) return done();
      listening = false;
      for (const release of hanging) release();
      for (const socket of sockets) socket.destroy();
      server.close(() => done());
    });

  await listen();
  const sink: FaultSink = {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    hits,
    byId,
    respond,
    down: stop,
    up: listen,
    async waitForIds(ids, timeoutMs) {
      const wanted = [...ids];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const missing = wanted.filter((id) => !byId.has(id));
        if (missing.length === 0) return;
        if (Date.now() > deadline)
          throw new Error(
            `the sink is still missing ${missing.length} of ${wanted.length} events after ${timeoutMs} ms (e.g. ${missing.slice(0, 3).join(', ')})`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: stop,
  };
  return sink;
}
