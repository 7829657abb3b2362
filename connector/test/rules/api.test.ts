// The KF5 Triggers API over HTTP (admin token): shapes as in the seed, sort order, the active
// list, 422 with details per condition or action, 404 for unknown ids; and, without HTTP, that
// the contract's validation accepts exactly the seed's source × operator × value table.
import {
  actionSources,
  ApiError,
  conditionOperators,
  conditionSources,
  CreateTriggerBody,
  ruleNotificationSample,
  RuleNotification,
  Trigger,
  TriggerEnvelope,
  TriggerList,
  triggerSample,
  WebhookTarget,
  webhookTargetSample,
} from '../../../contract/index.js';
import { startConnector, type TestConnector } from '../support/connector.js';

let connector: TestConnector;
beforeAll(async () => {
  connector = await startConnector({}, { seed: true }); // agents: Ava 1001, Ben 1002, Chloe 1003; groups 1, 2, 3
});
afterAll(() => connector?.close());

const admin = (path: string, method = 'GET', body?: unknown) => connector.call(path, { method, body, as: 'admin' });
const condition = (source: string, operator: string, value = '') => ({ source, operator, value });
const action = (source: string, value: string, extra: object = {}) => ({ source, value, subject: null, body: null, ...extra });
const valid = (over: object = {}) => ({
  title: '提醒工单发起人已收到工单',
  conditions: { all: [condition('{ticket}', 'is', 'created')], any: [] },
  actions: [action('email_user', '(requester)', { subject: '[{{account.name}}] {{ticket.title}}', body: '{{ticket.url}}' })],
  ...over,
});

describe('the samples', () => {
  it('parse with their schemas', () => {
    expect(Trigger.parse(triggerSample)).toEqual(triggerSample);
    expect(WebhookTarget.parse(webhookTargetSample)).toEqual(webhookTargetSample);
    expect(RuleNotification.parse(ruleNotificationSample)).toEqual(ruleNotificationSample);
    // the seed's own example is a valid trigger body (its group 219 aside, which conditions may name freely)
    expect(CreateTriggerBody.safeParse({ title: triggerSample.title, conditions: triggerSample.conditions, actions: triggerSample.actions }).success).toBe(
      true,
    );
  });
});

describe('validation follows the seed table exactly', () => {
  const representative: Record<string, string> = {
    status: '3',
    type_id: '(-)',
    priority: '2',
    group_id: '(current_groups)',
    requester_id: '(current_user)',
    assignee_id: '1315',
    source: 'weibo',
    recipient: 'support@b.kf5.co',
    score: '5',
    tags: '产品A 售后',
    description: '服务咨询',
    comment_is_public: '0',
    '{ticket}': 'pushed',
    '{current_user}': 'enduser',
    organization: '159',
    '{language}': 'en',
    'field_<n>': 'Gold',
  };
  const parse = (c: object) => CreateTriggerBody.safeParse({ title: 't', conditions: { all: [c], any: [] }, actions: [action('priority', '1')] });
  const sourceName = (row: string) => (row === 'field_<n>' ? 'field_757' : row);

  it('accepts every operator each source allows, and refuses every other operator at .operator', () => {
    const wrong: string[] = [];
    for (const [row, spec] of Object.entries(conditionSources)) {
      for (const operator of Object.keys(conditionOperators)) {
        const value = operator === 'changed' || operator === 'not_changed' ? '' : representative[row]!;
        const result = parse(condition(sourceName(row), operator, value));
        const allowed = (spec.operators as readonly string[]).includes(operator);
        if (result.success !== allowed) wrong.push(`${row} ${operator}: ${result.success ? 'accepted' : 'refused'}`);
        if (!allowed && !result.success && result.error.issues[0]!.path.join('.') !== 'conditions.all.0.operator') wrong.push(`${row} ${operator}: wrong path`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('accepts every listed value and refuses values outside the list at .value', () => {
    const problems: string[] = [];
    for (const [row, spec] of Object.entries(conditionSources)) {
      for (const value of (spec.values as { options?: readonly string[] }).options ?? []) {
        if (!parse(condition(sourceName(row), spec.operators[0]!, value)).success) problems.push(`${row} ${value} refused`);
      }
    }
    const outside: [string, string, string][] = [
      ['status', 'is', '5'],
      ['status', 'is', '(-)'], // status is never empty
      ['type_id', 'is', '4'],
      ['priority', 'changed_to', 'urgent'],
      ['group_id', 'is', '(current_user)'],
      ['requester_id', 'is', '(-)'],
      ['assignee_id', 'is', '(current_groups)'],
      ['source', 'is', 'fax'],
      ['recipient', 'is', 'not-an-address'],
      ['score', 'is', '0'],
      ['tags', 'contain_at_least_one', '   '],
      ['description', 'contain', ''],
      ['comment_is_public', 'is', 'yes'],
      ['{ticket}', 'is', 'deleted'],
      ['{current_user}', 'is', 'admin'],
      ['organization', 'is', 'acme'],
      ['{language}', 'is', 'fr'],
      ['field_757', 'is', '(空)(-)'], // the seed's value with its label, not a value (as-written.test.ts)
      ['status', 'changed', '3'], // changed takes no value
    ];
    for (const [source, operator, value] of outside) {
      const result = parse(condition(source, operator, value));
      if (result.success) problems.push(`${source} ${operator} ${value} accepted`);
      else if (result.error.issues[0]!.path.join('.') !== 'conditions.all.0.value')
        problems.push(`${source} ${value}: path ${result.error.issues[0]!.path.join('.')}`);
    }
    expect(problems).toEqual([]);
  });

  it('accepts every action with its listed values; notifications may have a body, emails a subject', () => {
    const problems: string[] = [];
    for (const [row, spec] of Object.entries(actionSources)) {
      const source = row === 'field_<n>' ? 'field_757' : row;
      const values = [
        ...((spec.values as { options?: readonly string[] }).options ?? []),
        ...((spec.values as { id?: string }).id ? ['135'] : []),
        ...((spec.values as { text?: string }).text ? ['产品A 售后'] : []),
      ];
      for (const value of values) {
        const extra = spec.kind === 'field' ? {} : { body: 'Ticket {{ticket.id}}', ...(spec.kind === 'email' ? { subject: 'About {{ticket.title}}' } : {}) };
        const result = CreateTriggerBody.safeParse({
          title: 't',
          conditions: { all: [condition('status', 'is', '1')] },
          actions: [action(source, value, extra)],
        });
        if (!result.success) problems.push(`${row} ${value}: ${result.error.issues[0]!.message}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('GET, POST, PUT, DELETE /apiv2/triggers', () => {
  it('needs the admin token (HTTP Basic too: as-written.test.ts)', async () => {
    expect((await connector.call('/apiv2/triggers.json')).status).toBe(401);
    expect((await connector.call('/apiv2/triggers.json', { as: 'none' })).status).toBe(401);
  });

  it('creates a trigger ({"trigger": {...}} or bare) and shows it as the seed does', async () => {
    const created = await admin('/apiv2/triggers.json', 'POST', {
      trigger: valid({
        sort: 2,
        conditions: {
          all: [condition('status', 'changed_to', '3'), condition('group_id', 'is_not', '219')],
          any: [{ source: 'priority', operator: 'less_than', value: 0 }],
        },
      }),
    });
    expect(created.status).toBe(201);
    const { trigger } = TriggerEnvelope.parse(created.body);
    expect(trigger).toEqual({
      id: trigger.id,
      url: `https://connector.test/apiv2/triggers/${trigger.id}.json`,
      title: '提醒工单发起人已收到工单',
      status: true,
      sort: 2,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      updated_at: trigger.created_at,
      conditions: { all: [condition('status', 'changed_to', '3'), condition('group_id', 'is_not', '219')], any: [condition('priority', 'less_than', '0')] },
      actions: [{ source: 'email_user', value: '(requester)', subject: '[{{account.name}}] {{ticket.title}}', body: '{{ticket.url}}' }],
    });
    const bare = await admin('/apiv2/triggers.json', 'POST', valid({ title: 'bare', status: 'false' }));
    expect(bare.status).toBe(201);
    expect(bare.body.trigger).toMatchObject({ title: 'bare', status: false, sort: 0 });
    expect((await admin(`/apiv2/triggers/${trigger.id}.json`)).body).toEqual({ trigger });
  });

  it('lists by sort descending, then id ascending; active.json only the active ones, in the same order', async () => {
    for (const [title, sort, status] of [
      ['low', -5, true],
      ['high', 10, true],
      ['off', 10, false],
      ['mid-a', 3, true],
      ['mid-b', 3, true],
    ] as const) {
      expect((await admin('/apiv2/triggers.json', 'POST', { trigger: valid({ title, sort, status }) })).status).toBe(201);
    }
    const all = TriggerList.parse((await admin('/apiv2/triggers.json')).body).triggers;
    const keys = all.map((t) => [t.sort, t.id]);
    expect(keys).toEqual([...keys].sort((a, b) => b[0]! - a[0]! || a[1]! - b[1]!));
    expect(all.filter((t) => ['high', 'off', 'mid-a', 'mid-b', 'low'].includes(t.title)).map((t) => t.title)).toEqual(['high', 'off', 'mid-a', 'mid-b', 'low']);
    const active = TriggerList.parse((await admin('/apiv2/triggers/active.json')).body).triggers;
    expect(active.every((t) => t.status)).toBe(true);
    expect(active.map((t) => t.id)).toEqual(all.filter((t) => t.status).map((t) => t.id));
  });

  it('updates the properties given and deletes; unknown ids are 404', async () => {
    const { trigger } = (await admin('/apiv2/triggers.json', 'POST', { trigger: valid({ title: 'to change' }) })).body;
    const changed = await admin(`/apiv2/triggers/${trigger.id}.json`, 'PUT', { trigger: { status: false, sort: 7, actions: [action('priority', '3')] } });
    expect(changed.status).toBe(200);
    expect(changed.body.trigger).toMatchObject({
      id: trigger.id,
      title: 'to change',
      status: false,
      sort: 7,
      conditions: trigger.conditions,
      actions: [action('priority', '3')],
    });
    expect((await admin(`/apiv2/triggers/${trigger.id}.json`, 'DELETE')).body).toEqual({ trigger: changed.body.trigger });
    for (const path of [`/apiv2/triggers/${trigger.id}.json`, '/apiv2/triggers/999999.json', '/apiv2/triggers/abc.json']) {
      const missing = await admin(path);
      expect(missing.status).toBe(404);
      expect(ApiError.parse(missing.body).error.code).toBe('not_found');
      expect((await admin(path, 'PUT', { trigger: { title: 'x' } })).status).toBe(404);
      expect((await admin(path, 'DELETE')).status).toBe(404);
    }
  });

  it('answers an invalid rule with 422 and a detail per offending condition or action, writing nothing', async () => {
    const before = (await admin('/apiv2/triggers.json')).body.triggers.length;
    const refused = await admin('/apiv2/triggers.json', 'POST', {
      trigger: {
        title: 'broken',
        conditions: {
          all: [condition('status', 'is', '1'), condition('type_id', 'less_than', '2'), condition('colour', 'is', 'red')],
          any: [condition('status', 'is', '9'), condition('priority', 'changed', '2')],
        },
        actions: [
          action('priority', 'urgent'),
          action('message_user', '(assignee)', { subject: 'hi', body: 'hello' }),
          action('status', '3', { body: 'hello' }),
          action('fly', '1'),
          action('assignee_id', '1999'),
          action('target', '77', { body: 'x' }),
        ],
      },
    });
    expect(refused.status).toBe(422);
    const { error } = ApiError.parse(refused.body);
    expect(error.code).toBe('validation_failed');
    expect(error.details!.map((d) => d.field)).toEqual([
      'conditions.all[1].operator',
      'conditions.all[2].source',
      'conditions.any[0].value',
      'conditions.any[1].value',
      'actions[0].value',
      'actions[1].subject',
      'actions[2].body',
      'actions[3].source',
    ]);
    expect(error.details![0]!.message).toMatch(/"less_than" is not an operator of type_id: use one of is, is_not, changed/);
    expect(error.details![2]!.message).toMatch(/"9" is not allowed for status: use 0 \(new\), 1 \(open\), 2 \(pending\), 3 \(solved\), 4 \(closed\)/);
    expect(error.message).toContain('conditions.all[1].operator');

    // once the table is satisfied, the names are checked: agents, groups, users and targets must exist
    const unknown = await admin('/apiv2/triggers.json', 'POST', {
      trigger: valid({
        actions: [
          action('assignee_id', '1999'),
          action('target', '77', { body: 'x' }),
          action('inturn_assign', '42'),
          action('email_group', '3', { body: 'x' }),
          action('assignee_id', '1002'),
        ],
      }),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.map((d: { field: string }) => d.field)).toEqual(['actions[0].value', 'actions[1].value', 'actions[2].value']);

    const shape = await admin('/apiv2/triggers.json', 'POST', { trigger: { conditions: { all: [] }, actions: [], extra: 1 } });
    expect(shape.status).toBe(422);
    expect(shape.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['actions', 'conditions', 'extra', 'title']);
    const json = await admin('/apiv2/triggers.json', 'POST', { trigger: valid({ actions: [action('target', '1', { body: '{"id": {{ticket.id}}}' })] }) });
    expect(json.status).toBe(422);

    const existing = (await admin('/apiv2/triggers.json', 'POST', { trigger: valid() })).body.trigger;
    const badUpdate = await admin(`/apiv2/triggers/${existing.id}.json`, 'PUT', { trigger: { conditions: { all: [condition('score', 'is', '6')] } } });
    expect(badUpdate.status).toBe(422);
    expect(badUpdate.body.error.details).toEqual([{ field: 'conditions.all[0].value', message: expect.stringContaining('"6" is not allowed for score') }]);
    expect((await admin('/apiv2/triggers.json')).body.triggers.length).toBe(before + 1);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await connector.call('/openapi.json', { as: 'none' })).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/apiv2/triggers.json',
        '/apiv2/triggers/active.json',
        '/apiv2/triggers/{id}.json',
        '/admin/api/targets',
        '/admin/api/notifications',
      ]),
    );
    expect(Object.keys(doc.paths['/apiv2/triggers/{id}.json']).sort()).toEqual(['delete', 'get', 'put']);
  });
});

describe('webhook targets (admin)', () => {
  it('registers, lists, renames, refuses private addresses, and cannot delete one a trigger uses', async () => {
    const refused = await admin('/admin/api/targets', 'POST', { title: 'local', url: 'http://127.0.0.1:9/hook' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0].field).toBe('url');
    const created = await admin('/admin/api/targets', 'POST', { title: 'Escalations', url: 'https://93.184.215.14/hook' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Escalations', status: 'active', secret: expect.stringMatching(/^whsec_/) });
    const id = created.body.id;
    expect((await admin('/admin/api/targets')).body.data).toEqual([WebhookTarget.parse({ ...created.body, secret: undefined })]);
    // its subscription is listed with the other subscriptions of the reserved account (it was a 500: the schema lacked the event)
    const subscriptions = await admin(`/admin/api/zapier-accounts/rules_${connector.workspaceId}/subscriptions`);
    expect(subscriptions.status).toBe(200);
    expect(subscriptions.body.data).toEqual([expect.objectContaining({ event: 'trigger.target', targetUrl: 'https://93.184.215.14/hook', status: 'active' })]);
    expect((await admin(`/admin/api/targets/${id}`, 'PATCH', { title: 'Escalations room' })).body.title).toBe('Escalations room');
    const trigger = (
      await admin('/apiv2/triggers.json', 'POST', { trigger: valid({ actions: [action('target', String(id), { body: '{"ticket": "{{ticket.id}}"}' })] }) })
    ).body.trigger;
    expect((await admin(`/admin/api/targets/${id}`, 'DELETE')).status).toBe(409);
    await admin(`/apiv2/triggers/${trigger.id}.json`, 'DELETE');
    expect((await admin(`/admin/api/targets/${id}`, 'DELETE')).body.status).toBe('ended');
    expect((await admin(`/admin/api/targets/${id}`)).status).toBe(404);
    // the reserved account that owns target subscriptions never shows as a Zapier account
    expect((await admin('/admin/api/zapier-accounts')).body.data.map((a: { appId: string }) => a.appId)).not.toContain(`rules_${connector.workspaceId}`);
  });
});
