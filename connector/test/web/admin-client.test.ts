/**
 * The admin page's client (connector/web/src/api.ts) calls endpoints by their name in the
 * contract's table (contract/routes.ts adminRoutes): every function of it reaches a route of the
 * table with its method and path (connector/test/http/admin-api.test.ts shows the connector
 * serves exactly that table). Plain fetch, stubbed: no browser needed.
 */
import { jest } from '@jest/globals';
import { adminRoutes, type AdminEndpointName } from '../../../contract/routes.js';
import { adminApi as pageClient } from '../../web/src/api.js';

const names = Object.keys(adminRoutes) as AdminEndpointName[];
const newRule = {
  title: 'Acknowledge',
  status: true,
  sort: 0,
  conditions: { all: [{ source: '{ticket}', operator: 'is', value: 'created' }], any: [] },
  actions: [{ source: 'email_user', value: '(requester)', subject: 'Got it', body: 'See {{ticket.url}}' }],
};

describe("the admin page's client", () => {
  const sent: Array<{ method: string; url: string; body: unknown }> = [];
  beforeAll(() => {
    jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      sent.push({ method: init?.method ?? 'GET', url: String(input), body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return new Response(JSON.stringify({ data: [], triggers: [], trigger: {} }), { status: 200, headers: { 'content-type': 'application/json' } });
    });
  });
  afterAll(() => jest.restoreAllMocks());

  /** The table's route a request was made to, matching `:name` segments with any one segment. */
  const routeOf = ({ method, url }: { method: string; url: string }) =>
    names.find((name) => {
      const route = adminRoutes[name];
      const pattern = new RegExp(`^${route.path.replace(/\./g, '\\.').replace(/:[A-Za-z]+/g, '[^/?]+')}(\\?|$)`);
      return route.method === method && pattern.test(url);
    });

  it('calls only routes of the table, each with the method and path the table gives', async () => {
    const client = pageClient('admin-token');
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['listAccounts', () => client.listAccounts()],
      ['addAccount', () => client.addAccount('Support Zaps')],
      ['renameAccount', () => client.renameAccount('app_1', 'Renamed')],
      ['regenerateToken', () => client.regenerateToken('app_1')],
      ['deleteAccount', () => client.deleteAccount('app_1')],
      ['listSubscriptions', () => client.listSubscriptions('app_1')],
      ['enableSubscription', () => client.enableSubscription('sub_1')],
      ['listDeliveries', () => client.listDeliveries({ appId: 'app_1', status: 'failed', limit: 20 })],
      ['getDelivery', () => client.getDelivery('dlv_1')],
      ['retryDelivery', () => client.retryDelivery('dlv_1', true)],
      ['recoveryStatus', () => client.recoveryStatus('app_1', '2026-01-01T00:00:00.000Z', 'sub_1')],
      ['recoverDeliveries', () => client.recoverDeliveries('app_1', '2026-01-01T00:00:00.000Z')],
      ['listNotices', () => client.listNotices()],
      ['dismissNotice', () => client.dismissNotice('ntc_1')],
      ['listExportUrls', () => client.listExportUrls()],
      ['createExportUrl', () => client.createExportUrl('Ferndesk')],
      ['rotateExportUrl', () => client.rotateExportUrl('exp_1')],
      ['deleteExportUrl', () => client.deleteExportUrl('exp_1')],
      ['checkSupportEndpoint', () => client.checkSupportEndpoint('https://example.com/support-endpoint.json')],
      ['getRecord', () => client.getRecord('tickets', 'tkt_1')],
      ['listRules', () => client.listRules()],
      ['setRuleStatus', () => client.setRuleStatus(985, false)],
      ['getRule', () => client.getRule(985)],
      ['createRule', () => client.createRule(newRule)],
      ['updateRule', () => client.updateRule(985, newRule)],
      ['deleteRule', () => client.deleteRule(985)],
      ['getHelpdeskDirectory', () => client.getHelpdeskDirectory()],
      ['listTargets', () => client.listTargets()],
      ['createTarget', () => client.createTarget('Escalations', 'https://hooks.example.com/escalations')],
      ['updateTarget', () => client.updateTarget(12, { title: 'Escalations room' })],
      ['deleteTarget', () => client.deleteTarget(12)],
      ['testTarget', () => client.testTarget(12)],
    ];
    expect(calls.map(([name]) => name).sort()).toEqual(Object.keys(client).sort()); // every function of the client is tried
    for (const [name, call] of calls) {
      sent.length = 0;
      await call();
      expect({ name, requests: sent.length }).toEqual({ name, requests: 1 });
      expect({ name, route: routeOf(sent[0]!) }).toEqual({ name, route: expect.any(String) });
    }
  });

  it('fills path parameters and queries as the connector reads them', async () => {
    const client = pageClient('admin-token');
    sent.length = 0;
    await client.retryDelivery('dlv_1/..', true);
    await client.listDeliveries({ status: 'failed', appId: '' });
    await client.setRuleStatus(985, false);
    await client.createRule(newRule);
    await client.recoveryStatus('app_1', '2026-01-01T00:00:00.000Z');
    await client.recoverDeliveries('app_1', '2026-01-01T00:00:00.000Z', 'sub_1');
    await client.listNotices();
    await client.dismissNotice('ntc_1');
    expect(sent.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'POST', url: '/admin/api/deliveries/dlv_1%2F../retry?reactivate=true', body: undefined },
      { method: 'GET', url: '/admin/api/deliveries?status=failed', body: undefined },
      { method: 'PUT', url: '/apiv2/triggers/985.json', body: { trigger: { status: false } } },
      { method: 'POST', url: '/apiv2/triggers.json', body: { trigger: newRule } },
      { method: 'GET', url: '/admin/api/zapier-accounts/app_1/recovery?since=2026-01-01T00%3A00%3A00.000Z', body: undefined },
      { method: 'POST', url: '/admin/api/zapier-accounts/app_1/recovery', body: { since: '2026-01-01T00:00:00.000Z', subscriptionId: 'sub_1' } },
      { method: 'GET', url: '/admin/api/notices?include=open', body: undefined },
      { method: 'POST', url: '/admin/api/notices/ntc_1/dismiss', body: undefined },
    ]);
  });
});
