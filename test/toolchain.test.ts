// Smoke test of the test toolchain: Node 22, ESM + ts-jest, nock intercepting z.request.
import nock from 'nock';
import zapier, { createAppTester, defineApp, type Bundle, type ZObject } from 'zapier-platform-core';

import App from '../index.js';

const TestApp = defineApp({
  version: '1.0.0',
  platformVersion: zapier.version,
  beforeRequest: [
    (request) => {
      request.headers = { ...request.headers, Authorization: 'Bearer test-token' };
      return request;
    },
  ],
  triggers: {},
  creates: {},
  searches: {},
});
const appTester = createAppTester(TestApp);

afterEach(() => nock.cleanAll());

describe('toolchain', () => {
  it('runs on Node 22 (node:sqlite available)', async () => {
    expect(process.versions.node.split('.')[0]).toBe('22');
    await expect(import('node:sqlite')).resolves.toHaveProperty('DatabaseSync');
  });

  it('nock intercepts z.request, middleware included', async () => {
    const scope = nock('https://api.example.test')
      .matchHeader('authorization', 'Bearer test-token')
      .get('/ping')
      .query({ q: 'x' })
      .reply(200, { ok: true });

    const perform = async (z: ZObject, _bundle: Bundle) =>
      (await z.request({ url: 'https://api.example.test/ping', params: { q: 'x' } })).data;

    await expect(appTester(perform, {})).resolves.toEqual({ ok: true });
    expect(scope.isDone()).toBe(true);
  });

  it('the app definition passes schema validation', async () => {
    // createAppHandler is not in core's .d.ts; 'validate' resolves to { results: [] } when valid.
    type Handler = (event: object, context: object) => Promise<{ results: unknown[] }>;
    const { createAppHandler } = zapier as unknown as { createAppHandler: (app: object) => Handler };
    const res = await createAppHandler(App)({ command: 'validate', calledFromCli: true }, {});
    expect(res.results).toEqual([]);
  });
});
