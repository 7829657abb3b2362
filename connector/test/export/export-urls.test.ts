// The secret export URLs on both databases: created with a secret of at least 32 random bytes,
// shown once, stored as a hash, listed masked, rotated (the old URL stops at once) and deleted;
// a wrong, old or missing secret gets exactly the 404 of a URL that never existed; the secret
// never reaches the logs.
import { Writable } from 'node:stream';
import pino from 'pino';
import { ApiError, MAX_SUPPORT_EXPORT_URLS, SupportExportUrl, SupportExportUrlWithSecret } from '../../../contract/index.js';
import { buildApp } from '../../src/app.js';
import { hashSecret } from '../../src/accounts/secrets.js';
import { openStorage } from '../../src/storage/db.js';
import { settingsFromEnv } from '../../src/settings.js';
import { connectorDatabases, startConnector, TEST_ADMIN_TOKEN, type TestConnector } from '../support/connector.js';

const BASE = '/admin/api/support-export/urls';
const SECRET_IN_URL = /^https:\/\/connector\.test\/support-endpoint\/(ccx_[A-Za-z0-9_-]+)\.json$/;

describe.each(connectorDatabases)('export URLs on the %s database', (database) => {
  let connector: TestConnector;
  beforeAll(async () => {
    connector = await startConnector({}, { database });
  }, 30_000);
  afterAll(() => connector?.close());

  const admin = (path: string, method = 'GET', body?: object) => connector.call(path, { method, body, as: 'admin' });
  const create = async (name = 'Ferndesk') => {
    const created = await admin(BASE, 'POST', { name });
    expect(created.status).toBe(201);
    return SupportExportUrlWithSecret.parse(created.body);
  };
  const fetchUrl = (url: string, query = '?startDate=2025-01-01') => connector.call(`${new URL(url).pathname}${query}`, { as: 'none' });
  /** What any unknown URL answers, with the path it names taken out. */
  const notFoundShape = (response: { status: number; body: any; headers: Headers }) => ({
    status: response.status,
    contentType: response.headers.get('content-type'),
    code: response.body?.error?.code,
    message: String(response.body?.error?.message).replace(/GET \S+ on/, 'GET <path> on'),
    keys: Object.keys(response.body?.error ?? {}).sort(),
  });

  it('creates a URL whose secret is at least 32 random bytes, shows it once and keeps only its hash', async () => {
    const url = await create('  Ferndesk audits ');
    expect(url).toMatchObject({ name: 'Ferndesk audits', rotatedAt: null, lastUsedAt: null });
    const secret = SECRET_IN_URL.exec(url.url)?.[1] ?? '';
    expect(Buffer.from(secret.slice('ccx_'.length), 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(url.maskedUrl).toBe(`https://connector.test/support-endpoint/ccx_…${secret.slice(-4)}.json`);

    const row = await connector.db.selectFrom('support_export_urls').selectAll().where('id', '=', url.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    const listed = await admin(BASE);
    expect(listed.status).toBe(200);
    const entry = listed.body.data.find((u: { id: string }) => u.id === url.id);
    expect(SupportExportUrl.strict().parse(entry)).toEqual({
      id: url.id,
      name: 'Ferndesk audits',
      maskedUrl: url.maskedUrl,
      createdAt: url.createdAt,
      rotatedAt: null,
      lastUsedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const used = await fetchUrl(url.url);
    expect(used.status).toBe(200);
    const after = (await admin(BASE)).body.data.find((u: { id: string }) => u.id === url.id);
    expect(Date.parse(after.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(url.createdAt));
  });

  it('two URLs never share a secret', async () => {
    const [a, b] = [await create('A'), await create('B')];
    expect(a.url).not.toBe(b.url);
    expect(a.id).not.toBe(b.id);
  });

  it('rotates: a new secret, and the old URL stops at once', async () => {
    const url = await create();
    expect((await fetchUrl(url.url)).status).toBe(200);
    const rotated = await admin(`${BASE}/${url.id}/rotate`, 'POST');
    expect(rotated.status).toBe(200);
    const fresh = SupportExportUrlWithSecret.parse(rotated.body);
    expect(fresh).toMatchObject({ id: url.id, name: url.name, createdAt: url.createdAt });
    expect(fresh.rotatedAt).not.toBeNull();
    expect(fresh.url).not.toBe(url.url);
    expect((await fetchUrl(url.url)).status).toBe(404);
    expect((await fetchUrl(fresh.url)).status).toBe(200);
    expect((await admin(`${BASE}/sxu_unknown/rotate`, 'POST')).status).toBe(404);
  });

  it('deletes: the URL stops at once and is no longer listed', async () => {
    const url = await create();
    const deleted = await admin(`${BASE}/${url.id}`, 'DELETE');
    expect(deleted.status).toBe(200);
    expect(SupportExportUrl.parse(deleted.body).id).toBe(url.id);
    expect((await fetchUrl(url.url)).status).toBe(404);
    expect((await admin(BASE)).body.data.map((u: { id: string }) => u.id)).not.toContain(url.id);
    expect((await admin(`${BASE}/${url.id}`, 'DELETE')).status).toBe(404);
  });

  it('answers a wrong, old or missing secret with the very 404 of a URL that never existed, before looking at the query', async () => {
    const url = await create();
    const real = SECRET_IN_URL.exec(url.url)![1]!;
    const neverExisted = notFoundShape(await connector.call('/no-such-page/abc.json?startDate=2025-01-01', { as: 'none' }));
    expect(neverExisted).toMatchObject({ status: 404, code: 'not_found', contentType: 'application/json; charset=utf-8' });
    const nearMiss = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [
      `/support-endpoint/${nearMiss}.json?startDate=2025-01-01`,
      `/support-endpoint/${real.toLowerCase()}.json?startDate=2025-01-01`,
      `/support-endpoint/ccx_${'A'.repeat(43)}.json?startDate=2025-01-01`,
      `/support-endpoint/${nearMiss}.json?startDate=not-a-date`,
      `/support-endpoint/${nearMiss}.json`,
      '/support-endpoint/.json?startDate=2025-01-01',
      '/support-endpoint.json?startDate=2025-01-01',
      `/support-endpoint/${real}?startDate=2025-01-01`,
      `/support-endpoint/${real}.json/x?startDate=2025-01-01`,
    ]) {
      const response = await connector.call(path, { as: 'none' });
      expect([path, notFoundShape(response)]).toEqual([path, neverExisted]);
      expect(ApiError.parse(response.body).error.message).not.toContain('secret');
    }
    // The real one, with the same bad query, is answered (400: the query is now the problem).
    expect((await connector.call(`/support-endpoint/${real}.json?startDate=not-a-date`, { as: 'none' })).status).toBe(400);
    // HEAD is not served (it would cost a whole export for nothing).
    expect((await connector.call(`/support-endpoint/${real}.json?startDate=2025-01-01`, { method: 'HEAD', as: 'none' })).status).toBe(404);
  });

  it('needs the admin token for every admin route, and validates names', async () => {
    for (const [path, method] of [
      [BASE, 'POST'],
      [BASE, 'GET'],
      [`${BASE}/x/rotate`, 'POST'],
      [`${BASE}/x`, 'DELETE'],
      ['/admin/api/support-export/check', 'POST'],
    ] as const) {
      const response = await connector.call(path, { method, body: method === 'POST' ? { name: 'x', url: 'https://example.com' } : undefined, as: 'none' });
      expect([path, method, response.status]).toEqual([path, method, 401]);
    }
    const blank = await admin(BASE, 'POST', { name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details).toEqual([{ field: 'name', message: 'must not be empty' }]);
    expect((await admin(BASE, 'POST', { name: 'x', secret: 'mine' })).status).toBe(400);
  });

  it(`allows at most ${MAX_SUPPORT_EXPORT_URLS} URLs per workspace`, async () => {
    const existing = (await admin(BASE)).body.data.length;
    for (let i = existing; i < MAX_SUPPORT_EXPORT_URLS; i++) await create(`URL ${i}`);
    const refused = await admin(BASE, 'POST', { name: 'one too many' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('limit_reached');
  });
});

describe('the logs', () => {
  it('show the export route, never the secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const settings = settingsFromEnv({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, CONNECTOR_SQLITE_PATH: ':memory:', CONNECTOR_PUBLIC_BASE_URL: 'https://connector.test' });
    const storage = await openStorage({ sqlitePath: ':memory:' });
    const app = await buildApp({ db: storage.db, storage, settings, log: pino({ level: 'info' }, sink) });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const created = await fetch(`${base}${BASE}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ferndesk' }),
      });
      const secret = SECRET_IN_URL.exec(((await created.json()) as { url: string }).url)![1]!;
      expect((await fetch(`${base}/support-endpoint/${secret}.json?startDate=2025-01-01`)).status).toBe(200);
      expect((await fetch(`${base}/support-endpoint/${secret}x.json?startDate=2025-01-01`)).status).toBe(404);
      // spelled otherwise, served all the same: %2E for the dot, %73 for the s, %2F... any percent-encoding
      expect((await fetch(`${base}/support-endpoint/${secret}%2Ejson?startDate=2025-01-01`)).status).toBe(200);
      expect((await fetch(`${base}/%73upport-endpoint/${secret}.json?startDate=2025-01-01`)).status).toBe(200);
      expect((await fetch(`${base}/support-endpoint/${secret.slice(0, 5)}%${secret.charCodeAt(5).toString(16)}${secret.slice(6)}.json`)).status).toBe(200);
      // mistyped, mixed-case, or with a malformed escape: not served, and not logged either
      for (const wrong of [
        `/support-endpoint/${secret}.json%?startDate=2025-01-01`,
        `/%73upport-endpoint/${secret}.json%zz`,
        `/Support-Endpoint/${secret}.JSON`,
        `/support-endpoints/${secret}.json`,
        `/support_endpoint/${secret}`,
        `/v1/contacts?email=${secret}`,
        `/${secret.slice(0, 10)}%${secret.charCodeAt(10).toString(16)}${secret.slice(11)}`,
      ]) {
        expect((await fetch(`${base}${wrong}`)).status).toBeGreaterThanOrEqual(400);
      }
      const logged = lines.join('');
      expect(logged).toContain('/support-endpoint/[secret].json?startDate=2025-01-01');
      expect(logged).not.toContain(secret);
    } finally {
      await app.close();
      await storage.close();
    }
  });
});
