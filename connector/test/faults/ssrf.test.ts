import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { ApiError } from '../../../contract/index.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import type { HostResolver } from '../../src/delivery/ssrf.js';
import { startConnector, type TestConnector } from '../support/connector.js';
import { closeAll } from '../support/teardown.js';
import { until } from './support/process.js';

/**
 * "A delivery worker must not become a way into the private network": hook targets on
 * loopback, private, link-local, CGNAT and IPv4-mapped IPv6 addresses, written in any form
 * the URL parser accepts, and host names that resolve to them, are refused by the real
 * subscribe endpoint (422 naming targetUrl, nothing stored) unless the operator allows private
 * targets. Names other than `localhost` resolve through the connector's resolver seam
 * (`resolveHost`), standing in for DNS: no network, no /etc/hosts.
 */

const dns: Record<string, string[]> = {
  'metadata.example': ['169.254.169.254'],
  'db.internal.example': ['10.1.2.3'],
  'office.example': ['192.168.10.20'],
  'docker.example': ['172.17.0.2'],
  'cgnat.example': ['100.100.1.1'],
  'mapped.example': ['::ffff:192.168.1.1'],
  'mapped-loopback.example': ['::ffff:7f00:1'],
  'ula.example': ['fd12:3456::1'],
  'link-local-v6.example': ['fe80::1'],
  'loopback-v6.example': ['::1'],
  'split.example': ['93.184.216.34', '10.0.0.7'],
  'public.example': ['93.184.216.34'],
  'public-v6.example': ['2606:2800:220:1:248:1893:25c8:1946'],
  'rebind.example': ['93.184.216.34'],
};
/** Names under .example come from the table above; anything else (localhost) from the system resolver. */
const resolveHost: HostResolver = async (hostname) => {
  if (!hostname.endsWith('.example')) return lookup(hostname, { all: true, verbatim: true });
  if (hostname === 'flaky.example') throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname}`), { code: 'EAI_AGAIN' });
  const addresses = dns[hostname.toLowerCase()];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
};

/** [target URL, words the refusal must contain] */
const refused: Array<[string, string]> = [
  ['http://127.0.0.1/hook', 'a loopback address'],
  ['http://127.8.9.10:8080/hook', 'a loopback address'],
  ['http://2130706433/hook', '127.0.0.1, a loopback address'], // 127.0.0.1 as one decimal number
  ['http://0x7f.1/hook', '127.0.0.1, a loopback address'], // hex and short forms
  ['http://0177.0.0.1/hook', '127.0.0.1, a loopback address'], // octal
  ['http://[::1]/hook', 'a loopback address'],
  ['http://0.0.0.0/hook', 'an unspecified address'],
  ['http://[::]/hook', 'an unspecified address'],
  ['http://10.0.0.1/hook', 'a private network address'],
  ['http://172.16.0.1/hook', 'a private network address'],
  ['http://172.31.255.254/hook', 'a private network address'],
  ['http://192.168.1.1/hook', 'a private network address'],
  ['http://[fc00::1]/hook', 'a private (unique local) IPv6 address'],
  ['http://[fd00:ec2::254]/hook', 'a private (unique local) IPv6 address'],
  ['http://169.254.169.254/latest/meta-data/', 'a link-local address'],
  ['http://169.254.0.1/hook', 'a link-local address'],
  ['http://[fe80::1]/hook', 'a link-local address'],
  ['http://100.64.0.1/hook', 'a carrier-grade NAT address'],
  ['http://100.127.255.254/hook', 'a carrier-grade NAT address'],
  ['http://[::ffff:127.0.0.1]/hook', 'a loopback address'],
  ['http://[::ffff:7f00:1]/hook', 'a loopback address'],
  ['http://[::ffff:10.0.0.1]/hook', 'a private network address'],
  ['http://[::ffff:169.254.169.254]/hook', 'a link-local address'],
  ['http://[::ffff:100.64.0.1]/hook', 'a carrier-grade NAT address'],
  ['http://[::127.0.0.1]/hook', 'a loopback address'], // IPv4-compatible (deprecated)
  ['http://[64:ff9b::10.0.0.1]/hook', 'a private network address'], // NAT64
  ['http://224.0.0.1/hook', 'a multicast address'],
  ['http://255.255.255.255/hook', 'a broadcast address'],
  // Names, through the system resolver...
  ['http://localhost:3000/hook', 'localhost resolves to'],
  ['http://LocalHost/hook', 'localhost resolves to'],
  // ...and through the resolver seam.
  ['https://metadata.example/latest/meta-data/', 'metadata.example resolves to 169.254.169.254, a link-local address'],
  ['https://db.internal.example/hook', 'db.internal.example resolves to 10.1.2.3, a private network address'],
  ['https://office.example/hook', 'office.example resolves to 192.168.10.20, a private network address'],
  ['https://docker.example/hook', 'docker.example resolves to 172.17.0.2, a private network address'],
  ['https://cgnat.example/hook', 'cgnat.example resolves to 100.100.1.1, a carrier-grade NAT address'],
  ['https://mapped.example/hook', 'mapped.example resolves to ::ffff:192.168.1.1, a private network address'],
  ['https://mapped-loopback.example/hook', 'mapped-loopback.example resolves to ::ffff:7f00:1, a loopback address'],
  ['https://ula.example/hook', 'ula.example resolves to fd12:3456::1, a private (unique local) IPv6 address'],
  ['https://link-local-v6.example/hook', 'link-local-v6.example resolves to fe80::1, a link-local address'],
  ['https://loopback-v6.example/hook', 'loopback-v6.example resolves to ::1, a loopback address'],
  // One public and one private address: which one a connection would use is not ours to choose.
  ['https://split.example/hook', 'split.example resolves to 10.0.0.7, a private network address'],
];

let connector: TestConnector;
let allowing: TestConnector;
beforeAll(async () => {
  connector = await startConnector({ CONNECTOR_RETRY_SCHEDULE: '0' }, { resolveHost });
  allowing = await startConnector({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' }, { resolveHost });
}, 30_000);
afterAll(() => closeAll(connector, allowing));

const subscriptionCount = async (c: TestConnector) =>
  Number(
    (
      await c.db
        .selectFrom('subscriptions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const subscribeTo = (c: TestConnector, targetUrl: string) => c.call('/v1/hooks', { method: 'POST', body: { event: 'tag.created', targetUrl } });

describe('hook targets through POST /v1/hooks', () => {
  it.each(refused)('refuses %s (%s) with 422 naming targetUrl, and stores nothing', async (targetUrl, words) => {
    const before = await subscriptionCount(connector);
    const reply = await subscribeTo(connector, targetUrl);
    expect(reply.status).toBe(422);
    const { error } = ApiError.parse(reply.body);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain(words);
    expect(error.message).toMatch(
      /^The target URL was refused\. The target URL points into a private network: .+\. Webhooks are only sent to public addresses \(for local development, start the connector with CONNECTOR_ALLOW_PRIVATE_TARGETS=true\)\.$/,
    );
    expect(error.details).toEqual([{ field: 'targetUrl', message: expect.stringContaining(words) }]);
    expect(await subscriptionCount(connector)).toBe(before);
  });

  it.each(['https://public.example/hook', 'https://public-v6.example/hook', 'https://93.184.216.34/hook', 'http://[2606:4700::1111]/hook'])(
    'accepts the public target %s',
    async (targetUrl) => {
      expect((await subscribeTo(connector, targetUrl)).status).toBe(201);
    },
  );

  it('answers a name that does not exist with 422, and one the resolver cannot answer now with 503', async () => {
    const missing = await subscribeTo(connector, 'https://nowhere.example/hook');
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toContain('nowhere.example could not be resolved (ENOTFOUND)');
    const flaky = await subscribeTo(connector, 'https://flaky.example/hook');
    expect(flaky.status).toBe(503);
    expect(flaky.headers.get('retry-after')).toBe('5');
    expect(flaky.body.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('flaky.example could not be resolved (EAI_AGAIN)') });
  });

  it.each([
    ['http://127.0.0.1:3000/hook'],
    ['http://[::ffff:10.0.0.1]/hook'],
    ['http://169.254.169.254/latest/meta-data/'],
    ['http://100.64.0.1/hook'],
    ['http://localhost:3000/hook'],
    ['https://db.internal.example/hook'],
    ['https://mapped.example/hook'],
  ])('accepts %s when the operator allows private targets', async (targetUrl) => {
    expect((await subscribeTo(allowing, targetUrl)).status).toBe(201);
  });
});

describe('at delivery time', () => {
  it('checks the target again and refuses a name that has come to resolve privately (DNS rebinding), without connecting', async () => {
    const subscribed = await subscribeTo(connector, 'https://rebind.example/hook');
    expect(subscribed.status).toBe(201);
    dns['rebind.example'] = ['10.0.0.5'];
    const worker = createDeliveryWorker(connector.deps);
    worker.start();
    try {
      expect((await connector.call('/v1/tags', { method: 'POST', body: { name: 'Rebound', colorCode: '#123456' } })).status).toBe(201);
      const delivery = await until(
        async () =>
          connector.db.selectFrom('deliveries').selectAll().where('subscription_id', '=', subscribed.body.id).where('status', '=', 'failed').executeTakeFirst(),
        10_000,
        'the delivery being refused',
      );
      expect(delivery).toMatchObject({ attempts: 1, last_status_code: null });
      expect(delivery.last_error).toBe(
        'The target URL points into a private network: rebind.example resolves to 10.0.0.5, a private network address. Webhooks are only sent to public addresses (for local development, start the connector with CONNECTOR_ALLOW_PRIVATE_TARGETS=true).',
      );
    } finally {
      await worker.stop();
    }
  });
});
