import { jest } from '@jest/globals';
// The demo's own parts: credentials kept across starts, the .env writer, the port check, and the simulator's hook sink.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regenerateAppToken } from '../../src/accounts/zapier-accounts.js';
import { demoAccountCredentials } from '../../src/demo/credentials.js';
import { updateEnvFile } from '../../src/demo/env-file.js';
import { runSimulation, UsageError } from '../../src/demo/simulate.js';
import { createDeliveryWorker } from '../../src/delivery/worker.js';
import { assertPortFree, PortInUseError } from '../../src/port.js';
import { startConnector, type TestConnector } from '../support/connector.js';

// Real connectors, a simulator and a delivery worker: seconds on a quiet machine, more on a busy one.
jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'connector-demo-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the demo account credentials', () => {
  it('are created once, kept in a 0600 file, reused while the hash matches, and regenerated when it does not', async () => {
    const connector = await startConnector({}, { database: 'embedded' });
    try {
      const scope = { workspaceId: connector.workspaceId, baseUrl: connector.baseUrl };
      const file = join(dir, 'data', 'demo-credentials.json');
      const first = await demoAccountCredentials(connector.db, scope, file);
      expect(first).toMatchObject({ how: 'created', file });
      expect(modeOf(file)).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ appId: first.appId, appToken: first.appToken });

      const again = await demoAccountCredentials(connector.db, scope, file);
      expect(again).toEqual({ ...first, how: 'kept' });
      expect((await connector.call('/v1/me', { as: again })).status).toBe(200);

      await regenerateAppToken(connector.db, scope, first.appId); // e.g. on the admin page
      const renewed = await demoAccountCredentials(connector.db, scope, file);
      expect(renewed).toMatchObject({ appId: first.appId, how: 'regenerated' });
      expect(renewed.appToken).not.toBe(first.appToken);
      expect(JSON.parse(readFileSync(file, 'utf8')).appToken).toBe(renewed.appToken);
      expect((await connector.call('/v1/me', { as: renewed })).status).toBe(200);
    } finally {
      await connector.close();
    }
  });
});

describe('updateEnvFile', () => {
  it('replaces the lines it sets, appends missing ones, keeps every other line, and makes the file 0600', () => {
    const path = join(dir, '.env');
    writeFileSync(path, '# mine\nFOO=bar\nauthData_appToken=old\nexport authData_baseUrl=http://x\nauthData_appToken=older\n');
    updateEnvFile(path, { authData_appId: 'app_1', authData_appToken: 'cct_1', authData_baseUrl: 'http://localhost:8080' });
    expect(readFileSync(path, 'utf8')).toBe(
      '# mine\nFOO=bar\nauthData_appToken=cct_1\nauthData_baseUrl=http://localhost:8080\nauthData_appToken=cct_1\nauthData_appId=app_1\n',
    );
    expect(modeOf(path)).toBe(0o600);
  });

  it('writes a new file', () => {
    const path = join(dir, 'new.env');
    updateEnvFile(path, { A: '1' });
    expect(readFileSync(path, 'utf8')).toBe('A=1\n');
  });
});

describe('assertPortFree', () => {
  it('passes on a free port and names the port and PORT in one sentence on a taken one', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await assertPortFree(port, '127.0.0.1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toMatch(new RegExp(`^Port ${port} is already in use .*the PORT variable, e\\.g\\. PORT=\\d+ npm start\\.$`));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await expect(assertPortFree(port, '127.0.0.1')).resolves.toBeUndefined();
  });
});

/** The statuses of every subscription the connector's first account ever had (the admin API lists ended ones too). */
async function subscriptionStatuses(connector: TestConnector): Promise<string[]> {
  const { body } = await connector.call(`/admin/api/zapier-accounts/${connector.account.appId}/subscriptions`, { as: 'admin' });
  const list = (Array.isArray(body) ? body : body.data) as { status: string }[];
  return list.map((s) => s.status);
}

describe('the simulator with --sink', () => {
  it('subscribes a local sink to every event, prints each delivery verified, and unsubscribes at the end', async () => {
    const connector = await startConnector({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true', CONNECTOR_DELIVERY_POLL_MS: '50' }, { seed: true, database: 'embedded' });
    const worker = createDeliveryWorker(connector.deps);
    worker.start();
    try {
      const lines: string[] = [];
      const result = await runSimulation({
        baseUrl: connector.baseUrl,
        ...connector.account,
        rate: 20,
        count: 12,
        sink: true,
        print: (line) => lines.push(line),
        signal: new AbortController().signal,
      });
      expect(result.failed).toBe(0);
      expect(lines).toContainEqual(expect.stringMatching(/^Hook sink on http:\/\/127\.0\.0\.1:\d+: subscribed to all 16 events/));
      const deliveries = lines.filter((line) => /webhook-id /.test(line));
      expect(deliveries.length).toBeGreaterThan(0);
      for (const line of deliveries) expect(line).toMatch(/^[a-z_.]+ +verified {2}webhook-id evt_\w+$/);
      expect(await subscriptionStatuses(connector)).toEqual(Array(16).fill('ended'));
    } finally {
      await worker.stop();
      await connector.close();
    }
  });

  it('says what to set when the connector refuses a local target, and leaves no subscription behind', async () => {
    const connector = await startConnector({}, { seed: true, database: 'embedded' });
    try {
      const run = runSimulation({
        baseUrl: connector.baseUrl,
        ...connector.account,
        rate: 20,
        count: 1,
        sink: true,
        print: () => undefined,
        signal: new AbortController().signal,
      });
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(/refused the local hook sink: .*CONNECTOR_ALLOW_PRIVATE_TARGETS=true/);
      expect((await subscriptionStatuses(connector)).filter((status) => status !== 'ended')).toEqual([]);
    } finally {
      await connector.close();
    }
  });
});
