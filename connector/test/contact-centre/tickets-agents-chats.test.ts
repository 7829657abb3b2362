import { Agent, Chat, DeletedAgent, Group, listOf, Ticket } from '../../../contract/index.js';
import { expectNoEvent, expectOneEvent, startConnector, type TestConnector } from '../support/connector.js';

let connector: TestConnector;
beforeAll(async () => {
  connector = await startConnector({}, { seed: true });
});
afterAll(() => connector?.close());

const createTicket = (body: object) => connector.call('/v1/tickets', { method: 'POST', body });
const createAgent = (body: object) => connector.call('/v1/agents', { method: 'POST', body });

describe('tickets', () => {
  it('creates an open ticket whose first event is the message; ticket.created carries it', async () => {
    const created = await createTicket({
      message: 'The app crashes on login.\nSince this morning.',
      requester: { mail: 'Kim@Example.com', name: 'Kim Lee' },
      tags: ['app', 'app'],
    });
    expect(created.status).toBe(201);
    const ticket = Ticket.parse(created.body);
    expect(ticket).toMatchObject({
      status: 'open',
      subject: 'The app crashes on login.',
      requester: { mail: 'Kim@Example.com', name: 'Kim Lee', ip: null },
      source: { type: 'agent-app-manual', url: null },
      assignee: null,
      currentGroup: { id: 0, name: 'General' },
      tags: ['app'],
    });
    expect(ticket.id).toMatch(/^TKT-\d+$/);
    expect(ticket.events).toEqual([
      expect.objectContaining({
        type: 'message',
        message: 'The app crashes on login.\nSince this morning.',
        author: { id: 'Kim@Example.com', name: 'Kim Lee', type: 'client' },
      }),
    ]);
    const event = await expectOneEvent(connector, 'ticket.created');
    expect(event.ticket).toEqual(ticket);
  });

  it('lists newest first and filters by id, requester email (any case) and status', async () => {
    const a = (await createTicket({ message: 'First', requester: { mail: 'filter@example.com' } })).body;
    const b = (await createTicket({ message: 'Second', requester: { mail: 'filter@example.com' } })).body;
    await connector.takeEvents();
    const byMail = listOf(Ticket).parse((await connector.call('/v1/tickets?requesterEmail=FILTER%40example.com')).body).data;
    expect(byMail.map((t) => t.id)).toEqual([b.id, a.id]);
    expect((await connector.call(`/v1/tickets?id=${a.id}`)).body.data.map((t: Ticket) => t.id)).toEqual([a.id]);
    await connector.call(`/v1/tickets/${a.id}`, { method: 'PATCH', body: { status: 'solved' } });
    expect((await connector.call('/v1/tickets?requesterEmail=filter%40example.com&status=solved')).body.data.map((t: Ticket) => t.id)).toEqual([a.id]);
    expect((await connector.call(`/v1/tickets/${b.id}`)).body.id).toBe(b.id);
    expect((await connector.call('/v1/tickets/TKT-1')).status).toBe(404);
  });

  it('updates a ticket: a message becomes an event written by the assignee; no trigger event', async () => {
    const ticket = (await createTicket({ message: 'Refund please', requester: { mail: 'refund@example.com' } })).body;
    await connector.takeEvents();
    const updated = await connector.call(`/v1/tickets/${ticket.id}`, {
      method: 'PATCH',
      body: {
        assignee: { id: 'ben.lee@acme.example' },
        message: 'Refund approved.',
        status: 'pending',
        groupId: 3,
        source: { type: 'chat-window', url: 'https://shop.example.com/help' },
      },
    });
    expect(updated.status).toBe(200);
    const after = Ticket.parse(updated.body);
    expect(after).toMatchObject({ status: 'pending', assignee: { id: 'ben.lee@acme.example', name: 'Ben Lee' }, currentGroup: { id: 3, name: 'Billing' } });
    expect(after.groups.map((g) => g.id)).toEqual([0, 3]);
    expect(after.events.at(-1)).toMatchObject({
      message: 'Refund approved.',
      author: { id: 'ben.lee@acme.example', type: 'agent' },
      source: { type: 'chat-window' },
    });
    expect(Date.parse(after.modified)).toBeGreaterThanOrEqual(Date.parse(ticket.modified));
    await expectNoEvent(connector);
  });

  it('validates tickets, naming the fields, and writes nothing', async () => {
    const missing = await createTicket({ requester: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['message', 'requester.mail']);
    const urlOnMail = await createTicket({ message: 'x', requester: { mail: 'a@example.com' }, source: { type: 'mail', url: 'https://x.example.com' } });
    expect(urlOnMail.body.error.details).toEqual([{ field: 'source.url', message: 'is only allowed when the source type is chat-window' }]);
    const unknownAgent = await createTicket({ message: 'x', requester: { mail: 'a@example.com' }, assignee: { id: 'ghost@acme.example' } });
    expect(unknownAgent.status).toBe(404);
    const unknownGroup = await createTicket({ message: 'x', requester: { mail: 'a@example.com' }, groupId: 99 });
    expect(unknownGroup.status).toBe(404);
    const badStatus = await connector.call('/v1/tickets/TKT-1001', { method: 'PATCH', body: { status: 'closed' } });
    expect(badStatus.body.error.details[0].field).toBe('status');
    await expectNoEvent(connector);
  });
});

describe('agents and groups', () => {
  it('lists groups', async () => {
    const groups = listOf(Group).parse((await connector.call('/v1/groups')).body).data;
    expect(groups.map((g) => g.name)).toEqual(['General', 'Customer Care', 'Sales', 'Billing']);
  });

  it('creates an agent with the seed defaults, never returning the password', async () => {
    const created = await createAgent({ login: 'New.Agent@acme.example', name: 'New Agent', password: 'secret1' });
    expect(created.status).toBe(201);
    const agent = Agent.parse(created.body);
    expect(agent).toMatchObject({
      id: 'new.agent@acme.example',
      login: 'new.agent@acme.example',
      job_title: 'Support Agent',
      max_chats_count: 6,
      permission: 'normal',
      login_status: 'accepting chats',
      groups: [{ id: 0, name: 'General' }],
    });
    expect(JSON.stringify(created.body)).not.toContain('secret1');
    const row = await connector.db.selectFrom('agents').selectAll().where('login', '=', agent.login).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.document).not.toContain('secret1');

    const duplicate = await createAgent({ login: 'new.agent@acme.example', name: 'Again' });
    expect(duplicate.status).toBe(409);
  });

  it('lists every agent, or finds them by login or name', async () => {
    const all = listOf(Agent).parse((await connector.call('/v1/agents')).body).data;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect((await connector.call('/v1/agents?login=AVA.WONG%40acme.example')).body.data.map((a: Agent) => a.name)).toEqual(['Ava Wong']);
    expect((await connector.call('/v1/agents?name=ben%20lee')).body.data.map((a: Agent) => a.login)).toEqual(['ben.lee@acme.example']);
    expect((await connector.call('/v1/agents?name=LEE')).body.data.map((a: Agent) => a.login)).toEqual(['ben.lee@acme.example']); // in part, any case
    expect((await connector.call('/v1/agents?name=nobody')).body.data).toEqual([]);
  });

  it('validates agents, naming the fields', async () => {
    const bad = await createAgent({ login: 'not-an-email', name: '', password: '123', max_chats_count: 21, permission: 'god' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['login', 'max_chats_count', 'name', 'password', 'permission']);
    expect(bad.body.error.details.find((d: { field: string }) => d.field === 'max_chats_count').message).toBe('must be at most 20');
  });

  it('deletes an agent, answering DeletedAgent and unassigning their open tickets', async () => {
    await createAgent({ login: 'leaver@acme.example', name: 'Leaver' });
    const open = (await createTicket({ message: 'Help', requester: { mail: 'c@example.com' }, assignee: { id: 'leaver@acme.example' } })).body;
    const solved = (await createTicket({ message: 'Done', requester: { mail: 'c@example.com' }, assignee: { id: 'leaver@acme.example' } })).body;
    await connector.call(`/v1/tickets/${solved.id}`, { method: 'PATCH', body: { status: 'solved' } });
    await connector.takeEvents();

    const deleted = await connector.call('/v1/agents/leaver@acme.example', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(DeletedAgent.parse(deleted.body)).toMatchObject({ login: 'leaver@acme.example', deleted: true });
    expect((await connector.call(`/v1/tickets/${open.id}`)).body.assignee).toBeNull();
    expect((await connector.call(`/v1/tickets/${solved.id}`)).body.assignee).toMatchObject({ id: 'leaver@acme.example' });
    expect((await connector.call('/v1/agents/leaver@acme.example', { method: 'DELETE' })).status).toBe(404);
    const badLogin = await connector.call('/v1/agents/not-an-email', { method: 'DELETE' });
    expect(badLogin.status).toBe(400);
    expect(badLogin.body.error.details[0].field).toBe('login');
    await expectNoEvent(connector);
  });
});

describe('chats', () => {
  const start = (body: object = {}) =>
    connector.call('/v1/chats', {
      method: 'POST',
      body: {
        visitor: { name: 'Sam Po', email: 'sam@example.com', page_current: 'https://shop.example.com/cart' },
        message: 'Is this in stock?',
        pre_chat_survey: [{ id: 'q1', label: 'Topic', answer: 'Stock' }],
        tags: ['stock'],
        ...body,
      },
    });

  it('starts a chat: chat.started with chat, visitor and pre-chat survey', async () => {
    const started = await start({ groupId: 2 });
    expect(started.status).toBe(201);
    const chat = Chat.parse(started.body);
    expect(chat).toMatchObject({ ended_timestamp: null, groups: [2], tags: ['stock'], url: 'https://shop.example.com/cart', agents: [] });
    expect(chat.messages).toEqual([expect.objectContaining({ author_name: 'Sam Po', text: 'Is this in stock?', user_type: 'visitor', agent_id: null })]);
    const event = await expectOneEvent(connector, 'chat.started');
    expect(event).toMatchObject({
      id: chat.id,
      chat,
      visitor: { name: 'Sam Po', email: 'sam@example.com', page_current: 'https://shop.example.com/cart' },
      pre_chat_survey: [{ id: 'q1', label: 'Topic', answer: 'Stock' }],
    });
    expect(event.event_unique_id).toBe(event.eventId);
  });

  it('adds messages (an agent joins by writing), ends the chat with chat.ended, and refuses messages after the end', async () => {
    const chat = (await start()).body;
    await connector.takeEvents();
    const reply = await connector.call(`/v1/chats/${chat.id}/messages`, {
      method: 'POST',
      body: { text: 'Yes, 3 left.', user_type: 'agent', agentLogin: 'ava.wong@acme.example' },
    });
    expect(reply.status).toBe(201);
    expect(Chat.parse(reply.body).agents).toEqual([{ login: 'ava.wong@acme.example', name: 'Ava Wong' }]);
    await connector.call(`/v1/chats/${chat.id}/messages`, { method: 'POST', body: { text: 'Thanks!', user_type: 'visitor' } });
    await expectNoEvent(connector);

    const ended = await connector.call(`/v1/chats/${chat.id}/end`, { method: 'POST' });
    expect(ended.status).toBe(200);
    expect(Chat.parse(ended.body).ended_timestamp).not.toBeNull();
    const event = await expectOneEvent(connector, 'chat.ended');
    expect(event.chat.messages.map((m) => m.text)).toEqual(['Is this in stock?', 'Yes, 3 left.', 'Thanks!']);

    const late = await connector.call(`/v1/chats/${chat.id}/messages`, { method: 'POST', body: { text: 'Hello?', user_type: 'visitor' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('conflict');
    expect((await connector.call(`/v1/chats/${chat.id}/end`, { method: 'POST' })).status).toBe(409);
    expect((await connector.call(`/v1/chats/${chat.id}`)).body.id).toBe(chat.id);
    await expectNoEvent(connector);
  });

  it('validates chats and refuses unknown chats and agents, writing nothing', async () => {
    const bad = await connector.call('/v1/chats', { method: 'POST', body: { visitor: { name: 'X', email: 'nope' }, message: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['message', 'visitor.email']);
    const agentWithoutLogin = await connector.call('/v1/chats/cht_x/messages', { method: 'POST', body: { text: 'Hi', user_type: 'agent' } });
    expect(agentWithoutLogin.body.error.details).toEqual([{ field: 'agentLogin', message: 'is required for agent messages' }]);
    expect((await connector.call('/v1/chats/cht_nope/end', { method: 'POST' })).status).toBe(404);
    expect((await start({ agentLogin: 'ghost@acme.example' })).status).toBe(404);
    await expectNoEvent(connector);
  });
});
