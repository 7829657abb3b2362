// The delivery baseline: a plain HTTP POST loop to the same sink, with the connector's
// concurrency and keep-alive agent, sending a stored event payload. No database, no signing.
import http from 'node:http';
import { serveCommands } from './lib/rpc.js';

const commands = {
  /**
   * POSTs `count` copies of `payload` (JSON text) to `urls` (round robin). Paced at `perSecond`
   * when given, else as fast as `concurrency` loops can. Each body's occurredAt is the moment
   * it was due (paced) or sent, so the sink measures latency the same way as for the connector.
   */
  async run({ urls, payload, count, concurrency, perSecond }: { urls: string[]; payload: string; count: number; concurrency: number; perSecond?: number }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: Math.min(concurrency, 16) });
    const template = JSON.parse(payload) as Record<string, unknown>;
    let failures = 0;
    const post = (n: number, occurredAt: number) =>
      new Promise<void>((resolve) => {
        const body = Buffer.from(JSON.stringify({ ...template, occurredAt: new Date(occurredAt).toISOString() }));
        const request = http.request(urls[n % urls.length]!, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        });
        request.on('error', () => {
          failures++;
          resolve();
        });
        request.on('response', (response) => {
          if (response.statusCode !== 200) failures++;
          response.resume();
          response.on('end', resolve);
        });
        request.end(body);
      });
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const origin = Date.now() - started;
    if (perSecond) {
      const sent: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const due = started + (i * 1000) / perSecond;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        sent.push(post(i, origin + performance.now()));
      }
      await Promise.all(sent);
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) await post(next++, Date.now());
        }),
      );
    }
    const cpu = process.cpuUsage(cpuBefore);
    agent.destroy();
    return { seconds: (performance.now() - started) / 1000, failures, cpuMicros: cpu.user + cpu.system };
  },
};

export type PostLoopCommands = typeof commands;

serveCommands(commands);
