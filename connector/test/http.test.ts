import { ApiError, api } from '../../contract/index.js';
import { metricsRegistry } from '../src/http/metrics.js';
import { SettingsError, settingsFromEnv } from '../src/settings.js';
import { startConnector, TEST_ADMIN_TOKEN, type TestConnector } from './support/connector.js';

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
    const answers = [account, exportUrl, await connector.call('/v1/me'), await connector.call('/apiv2/triggers.json', { as: 'admin' }), await connector.call('/v1/contacts?email=%2e', { as: 'none' })];
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

    const wrongType = await connector.call('/v1/tags', { method: 'POST', rawBody: 'name=VIP', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
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
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', message: `This App ID made more than 3 calls in 60 seconds; try again in ${retryAfter} seconds.` });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');

    // Another App ID has its own allowance.
    const other = await connector.addAccount('Other');
    expect((await connector.call('/v1/me', { as: other })).status).toBe(200);
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
      sms: { provider: 'sandbox', sandboxReportDelayMs: 1000 },
      logLevel: 'info',
    });
  });

  it('name each bad variable, without echoing secrets', () => {
    expect(() => settingsFromEnv({ PORT: 'eighty', CONNECTOR_RATE_LIMIT_MAX: '0', ADMIN_TOKEN: 'short', CONNECTOR_PUBLIC_BASE_URL: 'ftp://x' })).toThrow(SettingsError);
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
});
