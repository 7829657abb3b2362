// The KF5 Triggers API as the seed writes it (kf5-triggers-api.zh.txt): the empty value spelled
// (空), (-) or "" in conditions and actions (field_<n> included), evaluated as empty on real ticket
// changes; the seed's curl examples' HTTP Basic credentials (-u email:password, -u email/token:token);
// notification actions whose body is left out, which send a default text.
import { ApiError, RuleNotification, TriggerEnvelope } from '../../../contract/index.js';
import { startConnector, TEST_ADMIN_TOKEN, type TestConnector } from '../support/connector.js';
import { action, condition, ruleHelpers } from './support.js';

let connector: TestConnector;
beforeAll(async () => {
  connector = await startConnector({ CONNECTOR_WORKSPACE_NAME: 'Acme Care' }, { seed: true }); // agents: Ava 1001, Ben 1002, Chloe 1003; groups 1, 2, 3
});
afterAll(() => connector?.close());

const { admin, onlyTriggers, createTicket, updateTicket } = ruleHelpers(() => connector);
const basic = (userAndPassword: string) => ({ authorization: `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}` });
const withHeaders = (path: string, headers: Record<string, string>, method = 'GET', body?: unknown) =>
  connector.call(path, { method, body, headers, as: 'none' });

describe('the empty value: (空), (-) and "" alike', () => {
  it('are accepted in conditions and actions, field_<n> included, and read back as (-); (空)(-) is refused at its path', async () => {
    const spellings = ['(空)', '(-)', ''];
    for (const empty of spellings) {
      const created = await admin('/apiv2/triggers.json', 'POST', {
        trigger: {
          title: `empty as "${empty}"`,
          status: false,
          conditions: {
            all: [condition('type_id', 'is', empty), condition('field_757', 'is', empty), condition('organization', 'changed_from', empty)],
            any: [condition('priority', 'less_than', empty), condition('assignee_id', 'is_not', empty)],
          },
          actions: [
            action('field_757', empty),
            action('score', empty),
            action('group_id', empty),
            action('assignee_id', empty),
            action('priority', empty),
            action('type_id', empty),
          ],
        },
      });
      expect(created.status).toBe(201);
      const { trigger } = TriggerEnvelope.parse(created.body);
      expect(trigger.conditions).toEqual({
        all: [condition('type_id', 'is', '(-)'), condition('field_757', 'is', '(-)'), condition('organization', 'changed_from', '(-)')],
        any: [condition('priority', 'less_than', '(-)'), condition('assignee_id', 'is_not', '(-)')],
      });
      expect(trigger.actions.map((a) => a.value)).toEqual(['(-)', '(-)', '(-)', '(-)', '(-)', '(-)']);
      expect((await admin(`/apiv2/triggers/${trigger.id}.json`)).body).toEqual({ trigger });
    }

    const { trigger } = (
      await admin('/apiv2/triggers.json', 'POST', {
        trigger: { title: 'to change', status: false, conditions: { all: [condition('field_9', 'is', 'x')] }, actions: [action('field_9', 'y')] },
      })
    ).body;
    const changed = await admin(`/apiv2/triggers/${trigger.id}.json`, 'PUT', {
      trigger: { conditions: { all: [condition('field_9', 'is_not', ' (空) ')] }, actions: [action('field_9', '(空)')] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.trigger).toMatchObject({ conditions: { all: [condition('field_9', 'is_not', '(-)')], any: [] }, actions: [action('field_9', '(-)')] });

    // where the seed has no empty value, none of the spellings is one; the table's "(空)(-)" is a value with its label
    const refused = await admin('/apiv2/triggers.json', 'POST', {
      trigger: {
        title: 'not empty here',
        conditions: { all: [condition('status', 'is', '(空)'), condition('requester_id', 'is', ''), condition('type_id', 'is', '(空)(-)')] },
        actions: [action('status', '(空)'), action('field_757', '(空)(-)'), action('tags', '')],
      },
    });
    expect(refused.status).toBe(422);
    const { details } = ApiError.parse(refused.body).error;
    expect(details!.map((d) => d.field)).toEqual([
      'conditions.all[0].value',
      'conditions.all[1].value',
      'conditions.all[2].value',
      'actions[0].value',
      'actions[1].value',
      'actions[2].value',
    ]);
    expect(details![0]!.message).toContain('"(空)" is not allowed for status');
    expect(details![2]!.message).toBe("is the seed's empty value written with its label: send (-), (空) or an empty value");
    expect(details![4]!.message).toBe(details![2]!.message);
  });

  it('is evaluated as empty on real ticket changes, and clears what actions set to it', async () => {
    const updated = condition('{ticket}', 'is', 'updated');
    await onlyTriggers(
      {
        title: '(空)',
        conditions: { all: [updated, condition('type_id', 'is', '(空)'), condition('field_757', 'is', '(空)')] },
        actions: [action('tags', 'kong'), action('field_758', '(空)'), action('priority', '(空)')],
      },
      {
        title: 'blank',
        conditions: { all: [updated, condition('assignee_id', 'is', ''), condition('field_757', 'is', '')] },
        actions: [action('tags', 'blank'), action('field_759', ''), action('score', '')],
      },
      {
        title: '(-)',
        conditions: { all: [updated, condition('group_id', 'is', '(-)'), condition('field_757', 'is', '(-)')] },
        actions: [action('tags', 'dash')],
      },
      { title: 'has 757', conditions: { all: [updated, condition('field_757', 'is_not', '(空)')] }, actions: [action('tags', 'has-757')] },
      // fires after "(空)" cleared the priority: the list is tried again from the top
      { title: 'priority cleared', conditions: { all: [updated, condition('priority', 'changed_to', '')] }, actions: [action('tags', 'priority-cleared')] },
    );
    const emptyOne = await createTicket({
      message: 'Nothing set',
      requester: { mail: 'empty@example.com' },
      kf5: { priority: 2, score: 4, fields: { field_758: 'x', field_759: 'y' } },
    });
    expect(emptyOne.tags).toEqual([]); // the rules are about updates
    const after = await updateTicket(emptyOne.id, { subject: 'Nothing set, still' });
    expect([...after.tags].sort()).toEqual(['blank', 'dash', 'kong', 'priority-cleared']);
    expect(after.kf5).toMatchObject({ priority: null, score: null, fields: {} });

    const filled = await createTicket({
      message: 'All set',
      requester: { mail: 'filled@example.com' },
      assignee: { id: 'ben.lee@acme.example' },
      groupId: 1,
      kf5: { type_id: 1, priority: 1, fields: { field_757: 'Gold' } },
    });
    const filledAfter = await updateTicket(filled.id, { subject: 'All set, still' });
    expect(filledAfter.tags).toEqual(['has-757']);
    expect(filledAfter.kf5).toMatchObject({ type_id: 1, priority: 1, fields: { field_757: 'Gold' } });
  });
});

describe("HTTP Basic on /apiv2, as the seed's curl -u examples send it", () => {
  it('takes the admin token as the password (-u email:password) or the API token (-u email/token:token)', async () => {
    for (const user of ['agent@example.com', 'agent@example.com/token']) {
      const list = await withHeaders('/apiv2/triggers.json', basic(`${user}:${TEST_ADMIN_TOKEN}`));
      expect(list.status).toBe(200);
      expect(Array.isArray(list.body.triggers)).toBe(true);
      const created = await withHeaders('/apiv2/triggers.json', basic(`${user}:${TEST_ADMIN_TOKEN}`), 'POST', {
        trigger: { title: `made by ${user}`, status: false, conditions: { all: [condition('status', 'is', '1')] }, actions: [action('priority', '2')] },
      });
      expect(created.status).toBe(201);
      expect((await withHeaders(`/apiv2/triggers/${created.body.trigger.id}.json`, basic(`${user}:${TEST_ADMIN_TOKEN}`), 'DELETE')).status).toBe(200);
    }
    // the Bearer form stays
    expect((await withHeaders('/apiv2/triggers/active.json', { authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).status).toBe(200);
  });

  it('refuses a wrong password, token or header with the same 401, which invites Basic (Bearer after a Bearer token); nothing is written', async () => {
    const before = (await admin('/apiv2/triggers.json')).body.triggers.length;
    const wrong: Record<string, string>[] = [
      basic('agent@example.com:not-the-token'),
      basic(`agent@example.com/token:${TEST_ADMIN_TOKEN}x`),
      basic(`agent@example.com:${TEST_ADMIN_TOKEN.slice(0, -1)}`),
      basic(`${TEST_ADMIN_TOKEN}:`), // the token as the user name is not the password
      basic(TEST_ADMIN_TOKEN), // no colon
      { authorization: `Basic !!${TEST_ADMIN_TOKEN}` }, // not base64
      basic(`agent@example.com:${connector.account.appToken}`), // a Zapier account's App Token is not the admin token
      { authorization: 'Bearer not-the-token' },
      {},
    ];
    for (const headers of wrong) {
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', { trigger: { title: 'sneaky', conditions: { all: [condition('status', 'is', '1')] }, actions: [action('priority', '2')] } }],
      ] as const) {
        const refused = await withHeaders('/apiv2/triggers.json', headers, method, body);
        expect({ headers, status: refused.status, code: refused.body?.error?.code }).toEqual({ headers, status: 401, code: 'unauthenticated' });
        const challenge = headers.authorization?.startsWith('Bearer')
          ? /^Bearer realm="[^"]+", error="invalid_token"$/
          : /^Basic realm="[^"]+", charset="UTF-8"$/;
        expect(refused.headers.get('www-authenticate')).toMatch(challenge);
      }
    }
    expect((await admin('/apiv2/triggers.json')).body.triggers.length).toBe(before);
  });

  it('is only for /apiv2: the admin API still takes Bearer only', async () => {
    for (const user of ['agent@example.com', 'agent@example.com/token']) {
      for (const path of ['/admin/api/targets', '/admin/api/notifications', '/admin/api/zapier-accounts']) {
        const refused = await withHeaders(path, basic(`${user}:${TEST_ADMIN_TOKEN}`));
        expect({ path, status: refused.status }).toEqual({ path, status: 401 });
      }
    }
    expect((await withHeaders('/admin/api/targets', { authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).status).toBe(200);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await connector.call('/openapi.json', { as: 'none' })).body;
    expect(doc.components.securitySchemes.kf5Basic).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(doc.paths['/apiv2/triggers.json'].get.security).toEqual([{ adminToken: [] }, { kf5Basic: [] }]);
    expect(doc.paths['/admin/api/targets'].get.security).toEqual([{ adminToken: [] }]);
  });
});

describe('a notification action without a body', () => {
  it('is accepted, read back with body null, and queued with the default text: title, status, link, latest public message', async () => {
    const [id] = await onlyTriggers({
      title: 'tell everyone',
      conditions: { all: [condition('{ticket}', 'is', 'updated')] },
      actions: [
        action('email_user', '(requester)'),
        action('message_user', '(assignee)', { body: '   ' }),
        action('email_group', '(assigned_group)', { subject: 'Group: {{ticket.title}}' }),
      ],
    });
    const stored = (await admin(`/apiv2/triggers/${id}.json`)).body.trigger;
    expect(stored.actions).toEqual([
      action('email_user', '(requester)'),
      action('message_user', '(assignee)', { body: '   ' }),
      action('email_group', '(assigned_group)', { subject: 'Group: {{ticket.title}}' }),
    ]);

    const ticket = await createTicket({
      message: 'My order is late',
      requester: { mail: 'late@example.com', name: 'Lou Late' },
      assignee: { id: 'ava.wong@acme.example' },
      groupId: 3,
    });
    await updateTicket(ticket.id, { message: 'Checked: internal only', is_private: true });
    const queued = (await admin(`/admin/api/notifications?ticketId=${ticket.id}`)).body.data.map((n: unknown) => RuleNotification.parse(n));
    const expected = `Ticket ${ticket.id}: My order is late\nStatus: new\n${ticket.link}\n\nLatest message:\nMy order is late`; // the private note is not the latest public message
    const summary = queued
      .map((n: RuleNotification) => [n.action, n.recipient.userId, n.subject, n.body])
      .sort((a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
    expect(summary).toEqual([
      ['email_group', 1002, 'Group: My order is late', expected], // group 3: Ben
      ['email_user', ticket.kf5.requester_id, '[Acme Care] My order is late', expected],
      ['message_user', 1001, null, expected],
    ]);
  });
});
