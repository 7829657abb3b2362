import { api, ApiError, type EndpointName } from '../../../contract/index.js';
import { hookEndpointNames } from '../../src/http/contract-routes.js';
import { expectNoEvent, startConnector, type TestConnector } from '../support/connector.js';

let connector: TestConnector;
beforeAll(async () => {
  connector = await startConnector({}, { seed: true });
});
afterAll(() => connector?.close());

/** For every endpoint that takes a body: one bad body, and the fields the answer must name. */
const badBodies: Partial<Record<EndpointName, { body: unknown; fields: string[] }>> = {
  openEnquiry: {
    body: { channel: 'fax', type: 'chat', destinationType: 'tag', destinationID: 'x', inquiry: 'Hi', visitor: { name: 'A', email: 'no' } },
    fields: ['channel', 'visitor.email'],
  },
  handleEnquiry: { body: {}, fields: ['staffId'] },
  closeEnquiry: { body: { closedByType: 'nobody' }, fields: ['closedByType'] },
  createContact: { body: { last_name: 'Chan', birth_date: '18/04/1990' }, fields: ['first_name', 'birth_date'] },
  updateContact: { body: { email_address: 'x@' }, fields: ['email_address'] },
  mergeContacts: { body: { sourceContactIds: [] }, fields: ['sourceContactIds'] },
  transferContact: { body: { toOwnerID: '' }, fields: ['toOwnerID'] },
  createTag: { body: { name: 'x'.repeat(65) }, fields: ['name', 'colorCode'] },
  updateTag: { body: { colorCode: 'red' }, fields: ['colorCode'] },
  sendSms: {
    body: { numberType: 'pager', senderNumber: '', recipientNumber: 'call me', text: '' },
    fields: ['numberType', 'senderNumber', 'recipientNumber', 'text'],
  },
  messageStaff: { body: { staff_id: 'stf_1', text: '', extra: true }, fields: ['text', 'extra'] },
  messageRoom: { body: { text: 'hi' }, fields: ['room_id'] },
  createTicket: { body: { message: '', requester: { mail: 'nope' } }, fields: ['message', 'requester.mail'] },
  updateTicket: { body: { status: 'closed', tags: [''] }, fields: ['status', 'tags.0'] },
  createAgent: { body: { login: 'x', name: 'X', max_chats_count: 'lots' }, fields: ['login', 'max_chats_count'] },
  startChat: { body: { visitor: {}, message: 'hi', groupId: -1 }, fields: ['visitor.name', 'groupId'] },
  postChatMessage: { body: { text: 'hi', user_type: 'bot' }, fields: ['user_type'] },
};

const withBody = (Object.keys(api) as EndpointName[]).filter((name) => 'body' in api[name] && !(hookEndpointNames as readonly string[]).includes(name));

describe('validation of every write endpoint', () => {
  it('covers every endpoint that takes a body', () => {
    expect(Object.keys(badBodies).sort()).toEqual([...withBody].sort());
  });

  it.each(withBody)('%s answers 400 naming the offending fields, and writes nothing', async (name) => {
    const { body, fields } = badBodies[name]!;
    const endpoint = api[name];
    const path = endpoint.path.replace(/:([A-Za-z]+)/g, (_, key: string) => (key === 'login' ? 'ava.wong@acme.example' : 'id_1'));
    const refused = await connector.call(path, { method: endpoint.method, body });
    expect(refused.status).toBe(400);
    const { error } = ApiError.parse(refused.body);
    expect(error.code).toBe('validation_failed');
    expect(error.details?.map((d) => d.field).sort()).toEqual([...fields].sort());
    for (const field of fields) expect(error.message).toContain(field);
    expect(error.requestId).toBe(refused.headers.get('x-request-id'));
    await expectNoEvent(connector);
  });
});

describe('a body nested thousands of levels deep (20 KB of brackets)', () => {
  const deepArray = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

  it.each([
    ['POST', '/v1/contacts', deepArray(10_000)],
    ['POST', '/v1/contacts', deepObject(10_000)],
    ['POST', '/v1/no-such-route', deepArray(10_000)],
    ['DELETE', '/health', deepObject(10_000)],
    ['OPTIONS', '/v1/me', deepArray(10_000)],
  ])('%s %s is refused in words, never a 500', async (method, path, rawBody) => {
    const reply = await connector.call(path, { method, rawBody, headers: { 'content-type': 'application/json' } });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    if (reply.status === 400) expect(ApiError.parse(reply.body).error.message).toMatch(/nested more than 32 levels deep/);
    expect((await connector.call('/health')).status).toBe(200);
  });

  it('answers a real route with the depth sentence, and lets a body within the limit through to the usual validation', async () => {
    const tooDeep = await connector.call('/v1/contacts', { method: 'POST', rawBody: deepObject(33), headers: { 'content-type': 'application/json' } });
    expect(tooDeep.status).toBe(400);
    expect(ApiError.parse(tooDeep.body).error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: '(body)', message: 'is nested more than 32 levels deep' }],
    });
    const deepButAllowed = await connector.call('/v1/contacts', { method: 'POST', rawBody: deepObject(31), headers: { 'content-type': 'application/json' } });
    expect(deepButAllowed.status).toBe(400);
    expect(ApiError.parse(deepButAllowed.body).error.message).not.toMatch(/nested/);
  });
});
