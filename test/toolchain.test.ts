// Smoke test of the test toolchain: Node 22, ESM + ts-jest, nock intercepting z.request.
import { jest } from '@jest/globals';
import nock from 'nock';
import zapier, { createAppTester, defineApp, type Bundle, type ZObject } from 'zapier-platform-core';

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
    const scope = nock('https://api.example.test').matchHeader('authorization', 'Bearer test-token').get('/ping').query({ q: 'x' }).reply(200, { ok: true });

    const perform = async (z: ZObject, _bundle: Bundle) => (await z.request({ url: 'https://api.example.test/ping', params: { q: 'x' } })).data;

    await expect(appTester(perform, {})).resolves.toEqual({ ok: true });
    expect(scope.isDone()).toBe(true);
  });
});

describe("zapier-platform-core's Lambda memory guard under jest", () => {
  it('does not exit a worker that has served 250+ runs with more than 450 MB resident', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`process.exit(${code}) was called`);
    }) as typeof process.exit);
    const ballast = Buffer.alloc(480 * 1000 * 1000, 1); // pushes RSS past the guard's 450 MB
    try {
      const perform = async () => ({ ok: true });
      for (let run = 0; run < 260; run++) await appTester(perform, {});
      expect(process.memoryUsage().rss).toBeGreaterThan(450 * 1000 * 1000);
      expect(exit).not.toHaveBeenCalled();
    } finally {
      ballast.fill(0, 0, 1);
      exit.mockRestore();
    }
  });
});
