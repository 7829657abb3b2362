/**
 * Guessing is throttled: failed authentications are counted per client address and per
 * credential (an App ID, the admin token, an export URL's secret); past the limit, the address
 * or the credential gets 429 with Retry-After and a sentence, while other addresses and other
 * credentials carry on. On both databases (the counts in memory, or in PostgreSQL).
 *
 * Clients are told apart by X-Forwarded-For, which the connector believes from 127.0.0.1 here
 * (CONNECTOR_TRUST_PROXY), as it would from a load balancer in front of it.
 */
import { ApiError } from '../../../contract/index.js';
import { connectorDatabases, startConnector, TEST_ADMIN_TOKEN, type CallResult, type TestConnector } from '../support/connector.js';

const LIMIT = 5;
const WRONG_TOKEN = 'cct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function expectThrottled(reply: CallResult): void {
  expect(reply.status).toBe(429);
  const { error } = ApiError.parse(reply.body);
  expect(error.code).toBe('rate_limited');
  expect(error.message).toMatch(
    /^Too many failed authentications \(more than 5 in a minute\) from this address or for these credentials; try again in \d+ seconds/,
  );
  const retryAfter = Number(reply.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(61);
}

describe.each(connectorDatabases)('failed authentications on the %s database', (database) => {
  let connector: TestConnector;
  beforeAll(async () => {
    connector = await startConnector({ CONNECTOR_AUTH_FAILURE_LIMIT: String(LIMIT), CONNECTOR_TRUST_PROXY: '127.0.0.1' }, { database, seed: true });
  }, 30_000);
  afterAll(() => connector?.close());

  let nextAddress = 1;
  /** A client of its own, as seen through the proxy. */
  const newClient = () => ({ 'x-forwarded-for': `203.0.113.${nextAddress++}` });

  it('from one address: the first failures get 401, then everything from it gets 429; other addresses are served', async () => {
    const client = newClient();
    for (let i = 0; i < LIMIT; i++) {
      const guess = await connector.call('/v1/me', { as: { appId: `app_guess_${i}`, appToken: WRONG_TOKEN }, headers: client });
      expect(guess.status).toBe(401);
    }
    expectThrottled(await connector.call('/v1/me', { as: { appId: 'app_guess_next', appToken: WRONG_TOKEN }, headers: client }));
    // The address is throttled whatever it sends: credentials it has not tried, or none.
    expectThrottled(await connector.call('/v1/me', { headers: client }));
    expectThrottled(await connector.call('/admin/api/zapier-accounts', { as: 'admin', headers: client }));
    // Another address, and the real account, are not.
    expect((await connector.call('/v1/me', { headers: newClient() })).status).toBe(200);
  });

  it('for one App ID: failures from many addresses throttle that App ID, not its neighbours', async () => {
    const target = await connector.addAccount('Targeted');
    for (let i = 0; i < LIMIT; i++) {
      expect((await connector.call('/v1/me', { as: { appId: target.appId, appToken: WRONG_TOKEN }, headers: newClient() })).status).toBe(401);
    }
    expectThrottled(await connector.call('/v1/me', { as: { appId: target.appId, appToken: WRONG_TOKEN }, headers: newClient() }));
    expectThrottled(await connector.call('/v1/me', { as: target, headers: newClient() }));
    expect((await connector.call('/v1/me', { headers: newClient() })).status).toBe(200); // another App ID
  });

  it('the admin token: failures on the admin API and on /apiv2 count together, and the public API carries on', async () => {
    const fresh = await startConnector({ CONNECTOR_AUTH_FAILURE_LIMIT: String(LIMIT), CONNECTOR_TRUST_PROXY: '127.0.0.1' }, { database, seed: true });
    try {
      const wrong = { authorization: 'Bearer wrong-admin-token-0123456789abcdef' };
      for (let i = 0; i < LIMIT; i++) {
        const path = i % 2 ? '/apiv2/triggers.json' : '/admin/api/zapier-accounts';
        expect((await fresh.call(path, { as: 'none', headers: { ...wrong, ...newClient() } })).status).toBe(401);
      }
      expectThrottled(await fresh.call('/admin/api/zapier-accounts', { as: 'admin', headers: newClient() }));
      const basic = `Basic ${Buffer.from(`admin@example.com:${TEST_ADMIN_TOKEN}`).toString('base64')}`;
      expectThrottled(await fresh.call('/apiv2/triggers.json', { as: 'none', headers: { authorization: basic, ...newClient() } }));
      expect((await fresh.call('/v1/me', { headers: newClient() })).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });

  it("an export URL's secret: wrong secrets from one address are throttled; the right URL from another address is served", async () => {
    const created = await connector.call<{ url: string }>('/admin/api/support-export/urls', { method: 'POST', body: { name: 'Ferndesk' }, as: 'admin' });
    expect(created.status).toBe(201);
    const client = newClient();
    for (let i = 0; i < LIMIT; i++) {
      expect((await connector.call(`/support-endpoint/guess${i}aaaaaaaaaaaaaaaaaaaaaaaa.json`, { as: 'none', headers: client })).status).toBe(404);
    }
    expectThrottled(await connector.call(`/support-endpoint/guessaaaaaaaaaaaaaaaaaaaaaaaaa.json`, { as: 'none', headers: client }));
    expect((await connector.call(new URL(created.body.url).pathname, { as: 'none', headers: newClient() })).status).toBe(200);
  });

  it('successful calls and unknown routes count nothing', async () => {
    const client = newClient();
    for (let i = 0; i < LIMIT * 3; i++) expect((await connector.call('/v1/me', { headers: client })).status).toBe(200);
    for (let i = 0; i < LIMIT * 3; i++) expect((await connector.call(`/no/such/route/${i}`, { as: 'none', headers: client })).status).toBe(404);
    expect((await connector.call('/v1/me', { as: { appId: 'app_one_slip', appToken: WRONG_TOKEN }, headers: client })).status).toBe(401);
  });
});
