// The conversation export in Ferndesk's format, built from chats, tickets and enquiries made
// through the real /v1 API, on both databases: content and roles, private notes never leaving,
// startDate (including "on or after" at the exact boundary), ordering, the empty answer, no
// startDate (everything), a repeated one (the latest wins), and a bad one (named).
import { ApiError, START_DATE_FORMAT_MESSAGE, SupportExport, type SupportExportConversation } from '../../../contract/index.js';
import { fromDocument, toDocument } from '../../src/storage/documents.js';
import { ticketLastMessageAt } from '../../src/contact-centre/conversation-messages.js';
import { connectorDatabases, startConnector, type TestConnector } from '../support/connector.js';

describe.each(connectorDatabases)('the support export on the %s database', (database) => {
  let connector: TestConnector;
  let exportPath: string;
  let tagId: string;
  beforeAll(async () => {
    connector = await startConnector({}, { database });
    tagId = (await connector.call('/v1/tags', { method: 'POST', body: { name: 'Care', colorCode: '#1E88E5' } })).body.id;
    const created = await connector.call('/admin/api/support-export/urls', { method: 'POST', body: { name: 'Ferndesk' }, as: 'admin' });
    expect(created.status).toBe(201);
    exportPath = new URL(created.body.url).pathname;
  }, 30_000);
  afterAll(() => connector?.close());

  const fetchExport = async (query: string) => {
    const response = await connector.call(`${exportPath}${query}`, { as: 'none' });
    return response;
  };
  const exported = async (startDate: string) => {
    const response = await fetchExport(`?startDate=${encodeURIComponent(startDate)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    return SupportExport.parse(response.body).conversations;
  };
  const byId = (conversations: SupportExportConversation[], id: string) => conversations.find((c) => c.id === id);
  const post = (path: string, body: object, method = 'POST') => connector.call(path, { method, body });

  it('answers an empty export as {"conversations":[]} when nothing is that recent', async () => {
    const response = await fetchExport('?startDate=2999-01-01');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ conversations: [] });
  });

  it('exports a chat: visitor messages as user, agent messages as agent, oldest first; chat events are not messages', async () => {
    await post('/v1/agents', { login: 'ava@acme.example', name: 'Ava Wong' });
    const chat = (await post('/v1/chats', { visitor: { name: 'Mei Chan', email: 'mei@example.com' }, message: 'Where is my order?' })).body;
    await post(`/v1/chats/${chat.id}/messages`, { text: 'Let me check.', user_type: 'agent', agentLogin: 'ava@acme.example' });
    await post(`/v1/chats/${chat.id}/messages`, { text: 'Thanks!', user_type: 'visitor' });
    const ended = (await post(`/v1/chats/${chat.id}/end`, {})).body;

    const conversation = byId(await exported('2000-01-01'), `chat_${chat.id}`);
    expect(conversation).toEqual({
      id: `chat_${chat.id}`,
      url: ended.link,
      lastMessageAt: ended.messages[2].timestamp,
      messages: [
        { id: `chat_${chat.id}_m0`, role: 'user', content: 'Where is my order?', createdAt: ended.messages[0].timestamp },
        { id: `chat_${chat.id}_m1`, role: 'agent', content: 'Let me check.', createdAt: ended.messages[1].timestamp },
        { id: `chat_${chat.id}_m2`, role: 'user', content: 'Thanks!', createdAt: ended.messages[2].timestamp },
      ],
    });
  });

  it('exports a ticket: client → user, agent → agent; private notes never leave, nor move lastMessageAt', async () => {
    const ticket = (await post('/v1/tickets', { message: 'The app crashes on login.', requester: { mail: 'kim@example.com', name: 'Kim Lee' } })).body;
    const replied = (
      await post(`/v1/tickets/${ticket.id}`, { assignee: { id: 'ava@acme.example' }, message: 'Which version do you use?', status: 'pending' }, 'PATCH')
    ).body;
    // An internal note through the API (a private comment, as KF5 has them).
    const noted = await post(`/v1/tickets/${ticket.id}`, { message: 'Internal: customer is on build 3.1, API-NOTE', is_private: true }, 'PATCH');
    expect(noted.status).toBe(200);
    expect(noted.body.events.at(-1)).toMatchObject({ is_private: true, message: 'Internal: customer is on build 3.1, API-NOTE' });
    const row = await connector.db.selectFrom('tickets').select('document').where('id', '=', ticket.id).executeTakeFirstOrThrow();
    const stored = fromDocument<{ events: object[] }>(row.document);
    // And, written straight into the document, a private note and an event that does not say whether it is private.
    const note = {
      ...replied.events[1],
      is_private: true,
      message: 'Customer is on an old build; SECRET-NOTE',
      date: new Date(Date.now() + 1000).toISOString(),
    };
    const unflagged = { ...replied.events[1], message: 'A comment with no is_private flag: UNFLAGGED', date: note.date };
    delete (unflagged as { is_private?: boolean }).is_private;
    const withNotes = { ...stored, events: [...stored.events, note, unflagged] };
    await connector.db
      .updateTable('tickets')
      .set({ document: toDocument(withNotes), last_message_at: ticketLastMessageAt(withNotes as never) })
      .where('id', '=', ticket.id)
      .execute();

    const response = await fetchExport('?startDate=2000-01-01');
    expect(JSON.stringify(response.body)).not.toContain('API-NOTE');
    expect(JSON.stringify(response.body)).not.toContain('SECRET-NOTE');
    expect(JSON.stringify(response.body)).not.toContain('UNFLAGGED');
    const conversation = byId(SupportExport.parse(response.body).conversations, `ticket_${ticket.id}`);
    expect(conversation).toEqual({
      id: `ticket_${ticket.id}`,
      url: ticket.link,
      lastMessageAt: replied.events[1].date,
      messages: [
        { id: `ticket_${ticket.id}_e0`, role: 'user', content: 'The app crashes on login.', createdAt: ticket.events[0].date },
        { id: `ticket_${ticket.id}_e1`, role: 'agent', content: 'Which version do you use?', createdAt: replied.events[1].date },
      ],
    });
    // The notes are newer than the reply, yet the ticket is not "recent" because of them.
    expect(byId(await exported(new Date(Date.parse(replied.events[1].date) + 1).toISOString()), `ticket_${ticket.id}`)).toBeUndefined();
  });

  it("exports an enquiry: the visitor's first message as a user message", async () => {
    const enquiry = (
      await post('/v1/enquiries', {
        channel: 'web',
        type: 'chat',
        destinationType: 'tag',
        destinationID: tagId,
        inquiry: 'Do you deliver to Lantau?',
        visitor: { name: 'Kelvin Yip' },
      })
    ).body;
    const staffId = (await connector.call('/v1/staff')).body.data[0].id;
    await post(`/v1/enquiries/${enquiry.id}/handle`, { staffId });
    const conversation = byId(await exported('2000-01-01'), `enquiry_${enquiry.id}`);
    expect(conversation).toEqual({
      id: `enquiry_${enquiry.id}`,
      url: enquiry.inquiryDeepLink,
      lastMessageAt: enquiry.createdAT,
      messages: [{ id: `enquiry_${enquiry.id}_inquiry`, role: 'user', content: 'Do you deliver to Lantau?', createdAt: enquiry.createdAT }],
    });
  });

  it('orders conversations by last message, oldest first (ties by id), and a new message moves a conversation to the end', async () => {
    const before = await exported('2000-01-01');
    expect(before.length).toBeGreaterThanOrEqual(3);
    const keys = before.map((c) => [c.lastMessageAt, c.id].join(' '));
    expect(keys).toEqual([...keys].sort());
    expect(new Set(before.map((c) => c.id)).size).toBe(before.length);

    const ticketId = before.find((c) => c.id.startsWith('ticket_'))!.id.slice('ticket_'.length);
    expect(before.at(-1)!.id).not.toBe(`ticket_${ticketId}`);
    await post(`/v1/tickets/${ticketId}`, { message: 'Version 4.2.' }, 'PATCH');
    const after = await exported('2000-01-01');
    expect(after.at(-1)!.id).toBe(`ticket_${ticketId}`);
    expect(after.at(-1)!.messages.at(-1)!.content).toBe('Version 4.2.');
  });

  it('keeps conversations whose last message is on or after startDate, to the millisecond', async () => {
    const all = await exported('2000-01-01');
    const pivot = all[Math.floor(all.length / 2)]!;
    const at = Date.parse(pivot.lastMessageAt);
    const onOrAfter = await exported(new Date(at).toISOString());
    expect(onOrAfter.map((c) => c.id)).toEqual(all.filter((c) => Date.parse(c.lastMessageAt) >= at).map((c) => c.id));
    expect(onOrAfter.map((c) => c.id)).toContain(pivot.id);
    const after = await exported(new Date(at + 1).toISOString());
    expect(after.map((c) => c.id)).not.toContain(pivot.id);
    // The same moment in another zone, and without a zone (read as UTC).
    const local = new Date(at + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    expect((await exported(local)).map((c) => c.id)).toEqual(onOrAfter.map((c) => c.id));
    expect((await exported(new Date(at).toISOString().replace('Z', ''))).map((c) => c.id)).toEqual(onOrAfter.map((c) => c.id));
    // A date is midnight UTC: everything of today is on or after today.
    const today = new Date().toISOString().slice(0, 10);
    expect((await exported(today)).length).toBe(all.filter((c) => c.lastMessageAt >= `${today}T00:00:00.000Z`).length);
    expect(await exported(new Date(Date.now() + 86_400_000 * 2).toISOString().slice(0, 10))).toEqual([]);
  });

  it('answers without startDate with every conversation (the URL as pasted, a first import)', async () => {
    const everything = await exported('0001-01-01');
    expect(everything.length).toBeGreaterThanOrEqual(3);
    const response = await fetchExport('');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(SupportExport.parse(response.body).conversations).toEqual(everything);
    // A query without startDate is the same.
    expect(SupportExport.parse((await fetchExport('?utm_source=ferndesk')).body).conversations).toEqual(everything);
  });

  it('takes the latest of a repeated startDate, in either order (a pasted one plus the one Ferndesk appends)', async () => {
    const all = await exported('2000-01-01');
    const pivot = all[Math.floor(all.length / 2)]!;
    const latest = await exported(pivot.lastMessageAt);
    expect(latest.length).toBeGreaterThan(0);
    expect(latest.length).toBeLessThan(all.length);
    const twice = async (query: string) => {
      const response = await fetchExport(query);
      expect(response.status).toBe(200);
      return SupportExport.parse(response.body).conversations;
    };
    const at = encodeURIComponent(pivot.lastMessageAt);
    expect(await twice(`?startDate=2000-01-01&startDate=${at}`)).toEqual(latest);
    expect(await twice(`?startDate=${at}&startDate=2000-01-01`)).toEqual(latest);
    expect(await twice(`?startDate=2000-01-01&startDate=2001-01-01&startDate=${at}`)).toEqual(latest);
    expect(await twice(`?startDate=2000-01-01&startDate=2000-01-01`)).toEqual(all);
  });

  it.each([
    ['?startDate=', 'it was ""'],
    ['?startDate=yesterday', 'it was "yesterday"'],
    ['?startDate=2025-13-01', 'it was "2025-13-01"'],
    ['?startDate=2025-02-30', 'it was "2025-02-30"'],
    ['?startDate=2025-1-1', 'it was "2025-1-1"'],
    ['?startDate=01/02/2025', 'it was "01/02/2025"'],
    ['?startDate=2025-01-01T25:00:00Z', 'it was "2025-01-01T25:00:00Z"'],
    ['?startDate=2025-01-01&startDate=yesterday', 'the URL has 2 startDate values and the 2nd was "yesterday"'],
    ['?startDate=yesterday&startDate=2025-01-01', 'the URL has 2 startDate values and the 1st was "yesterday"'],
    ['?startDate=&startDate=2025-01-01', 'the URL has 2 startDate values and the 1st was ""'],
    ['?startDate=2025-01-01&startDate=2025-02-30&startDate=2025-1-1', 'the URL has 3 startDate values and the 2nd was "2025-02-30"'],
  ])('answers startDate %j with 400 and a sentence giving the expected format and naming the bad value', async (query, given) => {
    const response = await fetchExport(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const { error } = ApiError.parse(response.body);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe(`${START_DATE_FORMAT_MESSAGE}; ${given}.`);
    expect(error.message).toContain('2025-01-01 (YYYY-MM-DD)');
    expect(error.details).toEqual([{ field: 'startDate', message: expect.stringContaining(given) }]);
  });

  it('is documented in the OpenAPI document, with the format and the admin routes', async () => {
    const doc = (await connector.call('/openapi.json', { as: 'none' })).body;
    const route = doc.paths['/support-endpoint/{secret}.json'].get;
    expect(route.parameters.map((p: { name: string; in: string; required: boolean }) => `${p.in}:${p.name}:${p.required}`).sort()).toEqual([
      'path:secret:true',
      'query:startDate:false',
    ]);
    const schema = route.responses['200'].content['application/json'].schema;
    expect(schema.properties.conversations.items.properties.messages.items.properties.role.enum).toEqual(['user', 'agent']);
    for (const path of [
      '/admin/api/support-export/urls',
      '/admin/api/support-export/urls/{id}/rotate',
      '/admin/api/support-export/urls/{id}',
      '/admin/api/support-export/check',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths['/support-endpoint/{secret}.json'].head).toBeUndefined();
  });
});
