import { connect } from 'node:net';
import { ApiError, api } from '../../../contract/index.js';
import { metricsRegistry } from '../../src/http/metrics.js';
import { SettingsError, settingsFromEnv } from '../../src/settings.js';
import { connectorDatabases, startConnector, TEST_ADMIN_TOKEN, type TestConnector } from '../support/connector.js';

describe('the HTTP layer', () => {
  let connector: TestConnector;
  beforeAll(async () => {
    connector = await startConnector();
  });
  afterAll(() => connector?.close());

  it('reports health with the database reachable', async () => {
    const health = await connector.call('/health', { as: 'none' });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', database: { kind: connector.deps.storage.kind, reachable: true } });
  });

  it('serves the OpenAPI document generated from the contract, admin routes included', async () => {
    const doc = await connector.call('/openapi.json', { as: 'none' });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const endpoint of Object.values(api)) {
      const path = endpoint.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.body.paths[path]?.[endpoint.method.toLowerCase()]).toBeDefined();
    }
    expect(doc.body.paths['/admin/api/zapier-accounts'].post.requestBody).toBeDefined();
    expect(doc.body.paths['/v1/contacts'].post.requestBody.content['application/json'].schema.properties.email_address).toBeDefined();
  });

  it('exposes Prometheus metrics by route pattern and status', async () => {
    await connector.call('/v1/contacts/ctc_unknown');
    const metrics = await connector.call('/metrics', { as: 'none' });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.body).toContain('connector_http_requests_total{method="GET",route="/v1/contacts/:id",status="404"}');
    expect(metrics.body).toContain('connector_http_request_duration_seconds_bucket');
    expect(metricsRegistry.getSingleMetric('connector_http_requests_total')).toBeDefined();
  });

  it('gives every response a request id, echoed in error bodies, and keeps a sane one the caller sent', async () => {
    const ok = await connector.call('/v1/me');
    expect(ok.headers.get('x-request-id')).toMatch(/^req_/);
    const missing = await connector.call('/v1/contacts/ctc_unknown', { headers: { 'x-request-id': 'zap-run-42' } });
    expect(missing.headers.get('x-request-id')).toBe('zap-run-42');
    expect(missing.body.error.requestId).toBe('zap-run-42');
    const insane = await connector.call('/v1/me', { headers: { 'x-request-id': 'a b<c>' } });
    expect(insane.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('lets no cache keep an API answer (App Tokens, export URLs, secrets), and leaves the rest to its route', async () => {
    const account = await connector.call('/admin/api/zapier-accounts', { method: 'POST', body: { name: 'Cache test' }, as: 'admin' });
    expect(account.body.appToken).toBeDefined();
    const exportUrl = await connector.call('/admin/api/support-export/urls', { method: 'POST', body: { name: 'Cache test' }, as: 'admin' });
    expect(exportUrl.body.url).toBeDefined();
    const answers = [
      account,
      exportUrl,
      await connector.call('/v1/me'),
      await connector.call('/apiv2/triggers.json', { as: 'admin' }),
      await connector.call('/v1/contacts?email=%2e', { as: 'none' }),
    ];
    for (const answer of answers) expect(answer.headers.get('cache-control')).toBe('no-store');
    expect((await connector.call('/health', { as: 'none' })).headers.get('cache-control')).toBeNull();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const missing = await connector.call('/v2/nothing', { as: 'none' });
    expect(missing.status).toBe(404);
    expect(ApiError.parse(missing.body).error).toMatchObject({ code: 'not_found', message: expect.stringContaining('/v2/nothing') });
  });

  it('answers bad JSON with 400, a wrong content type with 415 and a body over 1 MB with 413, all as JSON', async () => {
    const badJson = await connector.call('/v1/tags', { method: 'POST', rawBody: '{"name": ' });
    expect(badJson.status).toBe(400);
    expect(ApiError.parse(badJson.body).error.message).toMatch(/not valid JSON/);

    const wrongType = await connector.call('/v1/tags', {
      method: 'POST',
      rawBody: 'name=VIP',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
    expect(ApiError.parse(wrongType.body).error.message).toMatch(/must be JSON/);

    const huge = await connector.call('/v1/tags', { method: 'POST', body: { name: 'x'.repeat(1024 * 1024 + 10), colorCode: '#000000' } });
    expect(huge.status).toBe(413);
    expect(ApiError.parse(huge.body).error.message).toMatch(/1 MB/);
  });

  it('explains validation errors in a sentence and per field', async () => {
    const bad = await connector.call('/v1/contacts', { method: 'POST', body: { first_name: 'Mei', email_type: 'work', email_address: 'mei@' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({
      code: 'validation_failed',
      message: 'The request body is not valid: email_address must be an email address such as mei.chan@example.com.',
      details: [{ field: 'email_address', message: 'must be an email address such as mei.chan@example.com' }],
      requestId: bad.headers.get('x-request-id'),
    });
    const wrongType = await connector.call('/v1/tags', { method: 'POST', body: ['VIP'] });
    expect(wrongType.status).toBe(400);
    const nested = await connector.call('/v1/tickets', { method: 'POST', body: { message: 'x', requester: { mail: 42 } } });
    expect(nested.body.error.details[0].field).toBe('requester.mail');
    // A rule about the whole body names the body.
    const nothing = await connector.call('/v1/contacts/ctc_x', { method: 'PATCH', body: {} });
    expect(nothing.body.error.message).toBe('The request body is not valid: give at least one field to change.');
    expect(nothing.body.error.details).toEqual([{ field: 'body', message: 'give at least one field to change' }]);
    const twice = await connector.call('/v1/tickets?status=open&status=spam');
    expect(twice.body.error.details[0].field).toBe('status');
  });

  it('answers a URL that is not valid percent-encoding with a JSON 400', async () => {
    const bad = await connector.call('/v1/contacts/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(ApiError.parse(bad.body).error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('percent-encoding') });
    expect(bad.headers.get('x-request-id')).toBe(bad.body.error.requestId);
  });

  it('answers 503 unavailable (never a stack trace) when the database is gone', async () => {
    const broken = await startConnector();
    await broken.deps.storage.close();
    const health = await broken.call('/health', { as: 'none' });
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('unavailable');
    const me = await broken.call('/v1/me');
    expect(me.status).toBe(503);
    expect(me.body.error.code).toBe('unavailable');
    expect(JSON.stringify(me.body)).not.toMatch(/at .*\.ts|stack/i);
    await broken.close();
  });
});

describe('the rate limit', () => {
  let connector: TestConnector;
  beforeAll(async () => {
    connector = await startConnector({ CONNECTOR_RATE_LIMIT_MAX: '3', CONNECTOR_RATE_LIMIT_WINDOW_SECONDS: '60' });
  });
  afterAll(() => connector?.close());

  it('answers the call over the limit with 429, Retry-After and a sentence, per App ID', async () => {
    for (let i = 0; i < 3; i++) expect((await connector.call('/v1/me')).status).toBe(200);
    const limited = await connector.call('/v1/me');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // The window slides in one-second slots and counts a slot the window touches: at most 61 s.
    expect(retryAfter).toBeLessThanOrEqual(61);
    expect(limited.body.error).toMatchObject({
      code: 'rate_limited',
      message: `This App ID made more than 3 calls in 60 seconds; try again in ${retryAfter} seconds.`,
    });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

    // Another App ID has its own allowance.
    const other = await connector.addAccount('Other');
    expect((await connector.call('/v1/me', { as: other })).status).toBe(200);
  });
});

describe.each(connectorDatabases)('work before authentication, on the %s database', (database) => {
  let connector: TestConnector;
  beforeAll(async () => {
    connector = await startConnector({ CONNECTOR_METRICS_TOKEN: 'metrics-token-7c1e4b9a2f6d3e8b0a5c' }, { database });
  });
  afterAll(() => connector?.close());

  /**
   * Announces a 900 KB JSON body (under the 1 MB limit) but sends only its first bytes, and
   * waits for the answer: one that comes was given without reading (or parsing) the body.
   */
  function answerToAnnouncedBody(path: string, headers: Record<string, string>): Promise<string> {
    const { port } = new URL(connector.baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer to POST ${path} before its body was sent: the connector waited for the body`));
      }, 2000);
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
        if (/\r\n\r\n/.test(answer)) {
          clearTimeout(timer);
          socket.destroy();
          resolve(answer);
        }
      });
      socket.on('error', reject);
      const head = Object.entries({ host: 'localhost', 'content-type': 'application/json', 'content-length': String(900_000), ...headers })
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n\r\n{"name": "`);
    });
  }

  it.each([
    ['a URL no route serves', '/no/such/route', {}, 404],
    ['a method the route does not take', '/health', {}, 404],
    ['the public API without credentials', '/v1/tags', {}, 401],
    ['the public API with a wrong App Token', '/v1/tags', { 'x-app-id': 'app_nope', authorization: 'Bearer cct_wrong' }, 401],
    ['the admin API with a wrong token', '/admin/api/zapier-accounts', { authorization: 'Bearer wrong' }, 401],
    ['KF5 with a wrong password', '/apiv2/triggers.json', { authorization: `Basic ${Buffer.from('me@example.com:wrong').toString('base64')}` }, 401],
  ] as Array<[string, string, Record<string, string>, number]>)('%s: answered before the body is read', async (_case, path, headers, status) => {
    const answer = await answerToAnnouncedBody(path, headers);
    expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
  });

  it('and with the right credentials, the body is waited for (the check above can fail)', async () => {
    await expect(
      answerToAnnouncedBody('/v1/tags', { 'x-app-id': connector.account.appId, authorization: `Bearer ${connector.account.appToken}` }),
    ).rejects.toThrow(/waited for the body/);
  });

  it('/metrics asks for CONNECTOR_METRICS_TOKEN when one is set', async () => {
    const without = await connector.call('/metrics', { as: 'none' });
    expect(without.status).toBe(401);
    expect(without.body.error.message).toMatch(/metrics token \(CONNECTOR_METRICS_TOKEN\) as a Bearer token/);
    expect((await connector.call('/metrics', { as: 'admin' })).status).toBe(401);
    const scraped = await connector.call('/metrics', { as: 'none', headers: { authorization: 'Bearer metrics-token-7c1e4b9a2f6d3e8b0a5c' } });
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('connector_http_requests_total');
  });
});

describe('settings', () => {
  it('have defaults', () => {
    const settings = settingsFromEnv({}, '/srv');
    expect(settings).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      publicBaseUrl: 'http://localhost:8080',
      databaseUrl: undefined,
      sqlitePath: '/srv/data/connector.db',
      adminToken: undefined,
      workspaceName: 'Contact Centre',
      rateLimit: { max: 100, windowSeconds: 60 },
      authFailureLimit: 30,
      metricsToken: undefined,
      trustProxy: false,
      sms: { provider: 'sandbox', sandboxReportDelayMs: 1000 },
      logLevel: 'info',
    });
  });

  it('name each bad variable, without echoing secrets', () => {
    expect(() => settingsFromEnv({ PORT: 'eighty', CONNECTOR_RATE_LIMIT_MAX: '0', ADMIN_TOKEN: 'short', CONNECTOR_PUBLIC_BASE_URL: 'ftp://x' })).toThrow(
      SettingsError,
    );
    try {
      settingsFromEnv({ PORT: 'eighty', CONNECTOR_RATE_LIMIT_MAX: '0', ADMIN_TOKEN: 'short', CONNECTOR_PUBLIC_BASE_URL: 'ftp://x' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT must be a number (got "eighty")');
      expect(message).toContain('CONNECTOR_RATE_LIMIT_MAX must be at least 1');
      expect(message).toContain('ADMIN_TOKEN must be at least 24 characters');
      expect(message).toContain('CONNECTOR_PUBLIC_BASE_URL');
      expect(message).not.toContain('short');
    }
    expect(settingsFromEnv({ PORT: '', ADMIN_TOKEN: TEST_ADMIN_TOKEN }).port).toBe(8080);
  });

  it.each([
    ['one character', 'a'.repeat(32), 'has fewer than 12 different characters'],
    ['a repeated word', 'password'.repeat(4), 'has fewer than 12 different characters'],
    ['digits in a row', '1234567890'.repeat(3), 'has fewer than 12 different characters'],
    ['a repeated phrase', 'Kx7#mQ2$vR9@wL4!'.repeat(2), 'is one piece repeated'],
    ['the alphabet', 'abcdefghijklmnopqrstuvwxyz', 'is mostly a run of consecutive characters (like 0123… or abcd…)'],
  ])('refuse a guessable ADMIN_TOKEN or CONNECTOR_METRICS_TOKEN (%s), naming why without echoing it', (_case, token, why) => {
    for (const name of ['ADMIN_TOKEN', 'CONNECTOR_METRICS_TOKEN']) {
      const attempt = () => settingsFromEnv({ [name]: token });
      expect(attempt).toThrow(SettingsError);
      expect(attempt).toThrow(`${name} ${why}: use a long random value, such as the output of "openssl rand -base64 32" (got (hidden))`);
    }
  });

  it('take random tokens, and read CONNECTOR_TRUST_PROXY and the failure limit', () => {
    const settings = settingsFromEnv({
      ADMIN_TOKEN: 'q8ZrT1x0kLm3VbN7cW2eYp9s',
      CONNECTOR_METRICS_TOKEN: 'V2hhdCBhIHJhbmRvbSB0b2tlbg',
      CONNECTOR_TRUST_PROXY: '10.0.0.1,192.168.0.0/16',
      CONNECTOR_AUTH_FAILURE_LIMIT: '12',
    });
    expect(settings).toMatchObject({ metricsToken: 'V2hhdCBhIHJhbmRvbSB0b2tlbg', trustProxy: '10.0.0.1,192.168.0.0/16', authFailureLimit: 12 });
    expect(settingsFromEnv({ CONNECTOR_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => settingsFromEnv({ CONNECTOR_TRUST_PROXY: 'the load balancer' })).toThrow(
      "CONNECTOR_TRUST_PROXY must be true, false, or the proxies' addresses",
    );
  });
});
