import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { eventTypes, type CreatedSubscription } from '../../../contract/index.js';
import type { ConnectorClient } from './client.js';

/** A local receiver subscribed to every event: what a Zap's hook URL would get, shown as it arrives. */
export interface HookSink {
  url: string;
  /** Deliveries received so far (verified or not). */
  received(): number;
  /** Resolves once no delivery has arrived for `quietMs` (or after `maxMs`): the last actions' hooks are in. */
  settle(quietMs?: number, maxMs?: number): Promise<void>;
  /** Ends every subscription it made, then stops listening. */
  close(): Promise<void>;
}

const header = (headers: IncomingHttpHeaders, name: string) => String(headers[name] ?? '');

/**
 * One line per delivery: the event, whether its Standard Webhooks signature checks out with the
 * secret of the subscription it was sent for (each has its own), and its webhook-id.
 */
function describeDelivery(event: string, secret: string | undefined, headers: IncomingHttpHeaders, body: string): { ok: boolean; line: string } {
  const id = header(headers, 'webhook-id');
  const column = event.padEnd(30);
  if (!secret) return { ok: false, line: `${column} NOT VERIFIED (no subscription for this path)  webhook-id ${id}` };
  try {
    new Webhook(secret).verify(body, {
      'webhook-id': id,
      'webhook-timestamp': header(headers, 'webhook-timestamp'),
      'webhook-signature': header(headers, 'webhook-signature'),
    });
    return { ok: true, line: `${column} verified  webhook-id ${id}` };
  } catch (error) {
    return { ok: false, line: `${column} NOT VERIFIED (${error instanceof Error ? error.message : String(error)})  webhook-id ${id}` };
  }
}

/**
 * Starts an HTTP receiver on a free 127.0.0.1 port and subscribes it to every event through the
 * public hook API, as the Zapier app's performSubscribe does: one subscription per event, at
 * `<sink>/<event>`, so each delivery is checked with its own subscription's secret.
 */
export async function startHookSink(client: ConnectorClient, print: (line: string) => void): Promise<HookSink> {
  const secrets = new Map<string, string>();
  let received = 0;
  let lastAt = Date.now();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received++;
      lastAt = Date.now();
      const event = decodeURIComponent((request.url ?? '/').slice(1));
      const { ok, line } = describeDelivery(event, secrets.get(event), request.headers, Buffer.concat(chunks).toString('utf8'));
      print(line);
      // A refused delivery is retried by the connector: only a verified one is taken.
      response.writeHead(ok ? 204 : 400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const subscriptions: CreatedSubscription[] = [];
  const close = async () => {
    await Promise.allSettled(subscriptions.splice(0).map((s) => client.call('unsubscribe', { params: { id: s.id } })));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    for (const event of eventTypes) {
      const subscription = await client.call('subscribe', { body: { event, targetUrl: `${url}/${event}`, filters: {} } });
      secrets.set(event, subscription.secret);
      subscriptions.push(subscription);
    }
  } catch (error) {
    await close(); // no subscription left behind, whatever went wrong
    throw error;
  }
  print(`Hook sink on ${url}: subscribed to all ${subscriptions.length} events; each delivery is printed as it arrives, with its signature checked.`);

  return {
    url,
    received: () => received,
    async settle(quietMs = 2000, maxMs = 15_000) {
      const deadline = Date.now() + maxMs;
      lastAt = Math.max(lastAt, Date.now());
      while (Date.now() - lastAt < quietMs && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    close,
  };
}
