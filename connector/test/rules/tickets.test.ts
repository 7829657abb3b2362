// Trigger rules on tickets changed through the app-facing routes (/v1/tickets, and the Zapier
// app's own Create Ticket and Update Ticket actions): their changes come back in the answer and
// in ticket.created, their notifications are queued, targets get signed webhooks.
import zapier, { type Bundle } from 'zapier-platform-core';
import { Webhook } from 'standardwebhooks';
import App from '../../../index.js';
import { RuleNotification, Ticket, TRIGGER_TARGET_EVENT } from '../../../contract/index.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import { startConnector, type TestConnector } from '../support/connector.js';
import { eventually } from '../support/delivery-fixtures.js';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll } from '../support/teardown.js';
import { action, condition, ruleHelpers } from './support.js';

let connector: TestConnector;
let worker: DeliveryWorker;
beforeAll(async () => {
  // Demo data: agents Ava 1001 (group 1), Ben 1002 (groups 1, 3), Chloe 1003 (group 2).
  connector = await startConnector(
    { CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true', CONNECTOR_DELIVERY_POLL_MS: '50', CONNECTOR_WORKSPACE_NAME: 'Acme "Care"' },
    { seed: true },
  );
  worker = createDeliveryWorker(connector.deps);
  worker.start();
});
afterAll(() => closeAll(() => worker?.stop(), connector));

const AVA = 1001;
const BEN = 1002;

const { admin, onlyTriggers, createTicket, updateTicket } = ruleHelpers(() => connector);
const notifications = async (ticketId: string) =>
  (await admin(`/admin/api/notifications?ticketId=${ticketId}`)).body.data.map((n: unknown) => RuleNotification.parse(n));

describe('a ticket created through /v1/tickets', () => {
  it('runs the rules in its transaction: their changes are in the answer and in ticket.created; the email is queued, rendered', async () => {
    const [id] = await onlyTriggers({
      title: 'Acknowledge customers',
      conditions: {
        all: [condition('{ticket}', 'is', 'created'), condition('{current_user}', 'is', 'enduser'), condition('comment_is_public', 'is', '1')],
        any: [],
      },
      actions: [
        action('priority', '2'),
        action('tags', 'auto 已受理'),
        action('field_757', '99'),
        action('email_user', '(requester)', {
          subject: '[{{account.name}}] 工单: {{ticket.title}} 已收到',
          body: '{{ticket.requester.name}}, see {{ticket.url}} ({{ticket.status}}, {{Ticket.Title}}{{nope}})',
        }),
      ],
    });
    await connector.takeEvents();
    const ticket = await createTicket({
      message: 'Where is my parcel?',
      requester: { mail: 'kim@example.com', name: 'Kim Lee', organization_id: 159, language: 'en' },
      kf5: { recipient: 'support@b.kf5.co' },
    });
    expect(ticket.kf5).toMatchObject({
      status: 0,
      status_name: 'new',
      priority: 2,
      priority_name: 'high',
      fields: { field_757: '99' },
      organization_id: 159,
      language: 'en',
      source: 'api',
      recipient: 'support@b.kf5.co',
      description: 'Where is my parcel?',
    });
    expect(ticket.tags).toEqual(['auto', '已受理']);
    const [event] = await connector.takeEvents();
    expect(event).toMatchObject({ type: 'ticket.created', payload: { ticket } });
    const [email] = await notifications(ticket.id);
    expect(email).toMatchObject({
      kind: 'email',
      status: 'recorded', // no SMTP configured: kept, listed, not sent
      triggerId: id,
      action: 'email_user',
      recipient: { userId: ticket.kf5.requester_id, name: 'Kim Lee', email: 'kim@example.com' },
      subject: `[Acme "Care"] 工单: Where is my parcel? 已收到`,
      body: `Kim Lee, see ${ticket.link} (new, )`, // placeholders are case-sensitive; unknown ones are empty
      lastError: expect.stringContaining('CONNECTOR_SMTP_URL'),
    });
  });

  it('the same through the Zapier app: Create Ticket and Update Ticket run the rules', async () => {
    await onlyTriggers(
      { title: 'VIP', conditions: { all: [condition('tags', 'contain_at_least_one', 'vip')] }, actions: [action('priority', '3'), action('group_id', '1')] },
      {
        title: 'Solved note',
        conditions: { all: [condition('status', 'changed_to', '3'), condition('{current_user}', 'is', 'agent')] },
        actions: [action('tags', 'closed-by-zap')],
      },
    );
    const tester = zapier.createAppTester({ ...App, flags: { ...App.flags, skipHttpPatch: true } });
    const authData = { ...connector.account, baseUrl: connector.baseUrl };
    const perform = (key: 'createTicket' | 'updateTicket', inputData: Record<string, unknown>) =>
      tester(App.creates[key]!.operation.perform as never, { authData, inputData } as Partial<Bundle>) as Promise<Ticket>;
    const created = await perform('createTicket', {
      message: 'Gold member here',
      requesterEmail: 'vip@example.com',
      tags: ['VIP'],
      priority: '1',
      ticketType: '2',
    });
    expect(created.kf5).toMatchObject({ priority: 3, type_id: 2, type_name: 'problem' }); // the rule raised the priority the form set
    expect(created.currentGroup).toEqual({ id: 1, name: 'Customer Care' });
    const solved = await perform('updateTicket', { ticketId: created.id, status: 'solved' });
    expect(solved).toMatchObject({ status: 'solved', kf5: { status: 3 } });
    expect(solved.tags).toContain('closed-by-zap');
  });
});

describe('ticket updates', () => {
  it('knows who the current user is: the requester replying, the assignee replying, an agent through the API', async () => {
    await onlyTriggers(
      {
        title: 'customer wrote',
        conditions: { all: [condition('{current_user}', 'is', 'enduser'), condition('{ticket}', 'is', 'updated')] },
        actions: [action('tags', 'customer-replied')],
      },
      {
        title: 'assignee wrote privately',
        conditions: { all: [condition('{current_user}', 'is', String(BEN)), condition('comment_is_public', 'is', '0')] },
        actions: [action('tags', 'internal-note')],
      },
      {
        title: 'api change',
        conditions: { all: [condition('{current_user}', 'is', 'agent'), condition('priority', 'changed', '')] },
        actions: [action('tags', 'api-priority')],
      },
    );
    const ticket = await createTicket({ message: 'Help', requester: { mail: 'who@example.com' } });
    expect((await updateTicket(ticket.id, { message: 'Any news?' })).tags).toEqual(['customer-replied']);
    const assigned = await updateTicket(ticket.id, { assignee: { id: 'ben.lee@acme.example' }, message: 'Checking with the warehouse', is_private: true });
    expect(assigned.tags).toEqual(['customer-replied', 'internal-note']);
    expect(assigned.events.at(-1)).toMatchObject({ is_private: true, author: { type: 'agent' } });
    expect(assigned.kf5.assignee_id).toBe(BEN);
    expect((await updateTicket(ticket.id, { kf5: { priority: 1 } })).tags).toContain('api-priority');
  });

  it('keeps LiveChat and KF5 statuses in step; rules leave a closed ticket alone; spam is closed', async () => {
    await onlyTriggers(
      { title: 'close solved', conditions: { all: [condition('status', 'changed_to', '3')] }, actions: [action('status', '4')] },
      { title: 'note every change', conditions: { all: [condition('{ticket}', 'is', 'updated')] }, actions: [action('tags', 'touched')] },
    );
    const ticket = await createTicket({ message: 'Close me', requester: { mail: 'close@example.com' } });
    expect(ticket).toMatchObject({ status: 'open', kf5: { status: 0 } });
    const pending = await updateTicket(ticket.id, { status: 'pending' });
    expect(pending).toMatchObject({ status: 'pending', kf5: { status: 2, status_name: 'pending' } });
    const closed = await updateTicket(ticket.id, { kf5: { status: 3 } }); // a rule closes it as it is solved
    expect(closed).toMatchObject({ status: 'solved', kf5: { status: 4, status_name: 'closed' } });
    const untouched = await updateTicket(ticket.id, { subject: 'Renamed while closed', tags: [] });
    expect(untouched.tags).toEqual([]); // the rules did not run
    expect((await connector.call(`/v1/tickets/${ticket.id}/push`, { method: 'POST' })).status).toBe(409);
    const spam = await updateTicket((await createTicket({ message: 'Buy now', requester: { mail: 'spam@example.com' } })).id, { status: 'spam' });
    expect(spam).toMatchObject({ status: 'spam', kf5: { status: 4 } });
    const mismatch = await connector.call(`/v1/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'pending', kf5: { status: 3 } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.details[0].field).toBe('kf5.status');
  });

  it('a push runs {ticket} is pushed, with the requester as the current user', async () => {
    await onlyTriggers({
      title: 'urged',
      conditions: { all: [condition('{ticket}', 'is', 'pushed'), condition('requester_id', 'is', '(current_user)')] },
      actions: [action('priority', '3'), action('message_user', '(assigned_group)', { body: '{{ticket.requester.name}} urges {{ticket.id}}' })],
    });
    const ticket = await createTicket({ message: 'Still waiting', requester: { mail: 'urge@example.com', name: 'Urgent Ursula' }, groupId: 1 });
    const pushed = await connector.call(`/v1/tickets/${ticket.id}/push`, { method: 'POST' });
    expect(pushed.status).toBe(200);
    expect(pushed.body.kf5).toMatchObject({ push_count: 1, priority: 3 });
    const messages = await notifications(ticket.id);
    const byRecipient = messages
      .map((m: RuleNotification) => [m.kind, m.recipient.userId, m.status, m.body])
      .sort((a: number[], b: number[]) => Number(a[1]) - Number(b[1]));
    expect(byRecipient).toEqual([
      ['message', AVA, 'recorded', `Urgent Ursula urges ${ticket.id}`],
      ['message', BEN, 'recorded', `Urgent Ursula urges ${ticket.id}`],
    ]);
  });

  it('inturn_assign takes the agents of the group in turn; the position is kept in the database', async () => {
    await onlyTriggers({ title: 'round robin', conditions: { all: [condition('{ticket}', 'is', 'created')] }, actions: [action('inturn_assign', '1')] });
    const assignees = [];
    for (let i = 0; i < 3; i++) assignees.push((await createTicket({ message: `Ticket ${i}`, requester: { mail: `rr${i}@example.com` } })).kf5.assignee_id);
    const row = await connector.db.selectFrom('trigger_rotations').selectAll().where('group_id', '=', 1).executeTakeFirstOrThrow();
    expect([assignees[1], assignees[2]]).toEqual(assignees[0] === AVA ? [BEN, AVA] : [AVA, BEN]);
    expect(Number(row.last_user_id)).toBe(assignees[2]);
    const ticket = Ticket.parse((await connector.call(`/v1/tickets?requesterEmail=rr0%40example.com`)).body.data[0]);
    expect(ticket.currentGroup.id).toBe(1);
    expect(ticket.assignee?.id).toBe(assignees[0] === AVA ? 'ava.wong@acme.example' : 'ben.lee@acme.example');
  });

  it('deleting an agent unassigns their tickets as a change by the system, and rules run on it', async () => {
    await connector.call('/v1/agents', { method: 'POST', body: { login: 'temp@acme.example', name: 'Temp Agent', groups: [2] } });
    const temp = (await connector.call('/v1/agents?login=temp%40acme.example')).body.data[0];
    await onlyTriggers({
      title: 'orphaned',
      conditions: { all: [condition('assignee_id', 'changed_from', String(temp.user_id)), condition('assignee_id', 'is', '(-)')] },
      actions: [action('inturn_assign', '2')],
    });
    const ticket = await createTicket({ message: 'Assigned to temp', requester: { mail: 'orphan@example.com' }, assignee: { id: 'temp@acme.example' } });
    expect(ticket.kf5.assignee_id).toBe(temp.user_id);
    expect((await connector.call('/v1/agents/temp@acme.example', { method: 'DELETE' })).status).toBe(200);
    const after = Ticket.parse((await connector.call(`/v1/tickets/${ticket.id}`)).body);
    expect(after.assignee).toEqual({ id: 'chloe.ng@acme.example', name: 'Chloe Ng' }); // the only agent left in group 2
  });
});

describe('the target action', () => {
  let sink: Sink;
  beforeAll(async () => {
    sink = await startSink();
  });
  afterAll(() => sink?.close());

  it('sends the rendered body, JSON-escaped, through the signed, durable delivery; the delivery log shows it', async () => {
    const target = await admin('/admin/api/targets', 'POST', { title: 'Escalations room', url: sink.url });
    expect(target.status).toBe(201);
    await onlyTriggers({
      title: 'to the room',
      conditions: { all: [condition('priority', 'changed_to', '3')], any: [] },
      actions: [
        action('target', String(target.body.id), {
          body: '{"text": "{{ticket.title}} by {{ticket.requester.name}}", "ticket": "{{ticket.id}}", "n": {{ticket.requester.id}}}',
        }),
        action('target', String(target.body.id), { body: 'Plain: {{ticket.title}}' }),
      ],
    });
    const ticket = await createTicket({
      message: 'He said "now"\nand left',
      requester: { mail: 'json@example.com', name: 'Zoë "Z" Ng' },
      kf5: { priority: 3 },
    });
    const [first, second] = await sink.waitFor(2);
    const payloads = [first!, second!].map((r) => JSON.parse(r.body));
    expect(payloads).toEqual(
      expect.arrayContaining([{ text: 'He said "now" by Zoë "Z" Ng', ticket: ticket.id, n: ticket.kf5.requester_id }, { text: 'Plain: He said "now"' }]),
    );
    for (const received of [first!, second!]) {
      const headers = {
        'webhook-id': String(received.headers['webhook-id']),
        'webhook-timestamp': String(received.headers['webhook-timestamp']),
        'webhook-signature': String(received.headers['webhook-signature']),
      };
      expect(() => new Webhook(target.body.secret).verify(received.body, headers)).not.toThrow();
    }
    // the worker records the outcome just after the answer
    await eventually(
      async () => {
        const log = (await admin(`/admin/api/deliveries?appId=rules_${connector.workspaceId}`)).body.data;
        return log.filter((d: { eventType: string; status: string }) => d.eventType === TRIGGER_TARGET_EVENT && d.status === 'delivered').length === 2;
      },
      5000,
      'both target deliveries recorded as delivered',
    );
  });
});
