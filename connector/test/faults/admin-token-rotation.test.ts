import { call, type Reply } from './support/client.js';
import { forEachProcessDatabase } from './support/databases.js';
import { killLeftoverProcesses, runConnectorCommand, spawnConnector, type ConnectorProcess } from './support/process.js';

/**
 * The `admin-token` command replaces the stored admin token while connectors run: every running
 * process (two on PostgreSQL, as behind a load balancer) refuses the old token at its next
 * request and accepts the new one, on the admin API and on KF5's /apiv2, without a restart.
 */
const STORED = { ADMIN_TOKEN: '' }; // unset: the connector generates one and keeps its hash

const tokenIn = (output: string) => /^ {2}(cca_[A-Za-z0-9_-]+)$/m.exec(output)?.[1];
const asAdmin = (token: string) => ({ authorization: `Bearer ${token}` });
const kf5Basic = (token: string) => ({ authorization: `Basic ${Buffer.from(`admin@example.com:${token}`).toString('base64')}` });
const statusOf = (reply: Reply) => reply.status;

forEachProcessDatabase((database) => {
  afterEach(() => killLeftoverProcesses());

  it('a rotated admin token works at once in every running process, and the old one is refused', async () => {
    const env = { ...database().env, ...STORED };
    const first = await spawnConnector(env);
    const connectors: ConnectorProcess[] = [first];
    if (database().kind === 'postgres') connectors.push(await spawnConnector(env));
    const generated = tokenIn(first.output());
    expect(generated).toBeDefined();
    for (const { baseUrl } of connectors) expect(statusOf(await call(baseUrl, '/admin/api/zapier-accounts', { headers: asAdmin(generated!) }))).toBe(200);

    // The embedded database takes one writer at a time; the command waits its turn like any other.
    const rotation = await runConnectorCommand(env, ['admin-token']);
    expect(rotation.code).toBe(0);
    const rotated = tokenIn(rotation.output);
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(generated);
    expect(rotation.output).toMatch(/running connectors accept it at once/i);

    for (const { baseUrl } of connectors) {
      expect(statusOf(await call(baseUrl, '/admin/api/zapier-accounts', { headers: asAdmin(generated!) }))).toBe(401);
      expect(statusOf(await call(baseUrl, '/apiv2/triggers.json', { headers: kf5Basic(generated!) }))).toBe(401);
      expect(statusOf(await call(baseUrl, '/admin/api/zapier-accounts', { headers: asAdmin(rotated!) }))).toBe(200);
      expect(statusOf(await call(baseUrl, '/apiv2/triggers.json', { headers: kf5Basic(rotated!) }))).toBe(200);
    }
  }, 90_000);

  it('with ADMIN_TOKEN set, the command changes nothing and says to change the variable', async () => {
    const env = { ...database().env, ADMIN_TOKEN: 'set-admin-token-9f8e7d6c5b4a3210zyxw' };
    const rotation = await runConnectorCommand(env, ['admin-token']);
    expect(rotation.code).toBe(2);
    expect(rotation.output).toContain('ADMIN_TOKEN is set, so the connector uses it and stores none: change the variable instead.');
  }, 60_000);
});
