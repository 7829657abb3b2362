// How every unsuccessful answer of the connector reaches the user, through real operations.
import { contactRecordSample } from '../contract/index.js';
import { authData } from './support/bundle.js';
import { connector, failureOf, run, useNock } from './support/connector.js';

useNock();

const createContact = (inputData: Record<string, unknown> = { first_name: 'Mei' }) => failureOf(run('creates', 'createContact', inputData));
const apiError = (code: string, message: string, extra: object = {}) => ({ error: { code, message, ...extra } });

describe('400 and 422: the field is named as the form names it', () => {
  it.each([
    [
      400,
      'createContact',
      'post',
      '/v1/contacts',
      { first_name: 'Mei', email_address: 'nope' },
      'email_address',
      'must be an email address',
      'Email Address (email_address) must be an email address',
    ],
    [
      422,
      'createTicket',
      'post',
      '/v1/tickets',
      { message: 'Hi', requesterEmail: 'nope' },
      'requester.mail',
      'must be an email address',
      "Requester's Email (requester.mail) must be an email address",
    ],
    [
      422,
      'sendSms',
      'post',
      '/v1/sms',
      { recipientNumber: '123' },
      'recipientNumber',
      'must be an international number',
      'Recipient Number (recipientNumber) must be an international number',
    ],
    [
      400,
      'updateTicket',
      'patch',
      '/v1/tickets/TKT-1',
      { ticketId: 'TKT-1', status: 'solved' },
      'status',
      'must be one of open, pending, solved, spam',
      'Status (status) must be one of open, pending, solved, spam',
    ],
    [
      422,
      'createAgent',
      'post',
      '/v1/agents',
      { login: 'ava@acme.example', name: 'Ava', max_chats_count: 30 },
      'max_chats_count',
      'must be at most 20',
      'Max Chats Count (max_chats_count) must be at most 20',
    ],
  ] as const)('%i in %s', async (status, key, method, path, inputData, field, message, expected) => {
    connector()
      [method](path)
      .reply(status, apiError('validation_failed', 'The request is not valid', { details: [{ field, message }] }));
    const result = await failureOf(run('creates', key, inputData));
    expect(result).toMatchObject({ name: 'AppError', code: 'InvalidInput', status });
    expect(result.message).toContain(expected);
    expect(result.message).toMatch(/^Could not .+\.$/);
  });

  it('422 on subscribing names the filter', async () => {
    connector()
      .post('/v1/hooks')
      .reply(422, apiError('validation_failed', 'invalid', { details: [{ field: 'filters.channel', message: 'must be a channel' }] }));
    const result = await failureOf(run('triggers', 'enquiryCreated', { channel: 'fax' }, { targetUrl: 'https://hooks.zapier.com/x' }, 'performSubscribe'));
    expect(result.message).toBe('Could not subscribe to enquiry created events: Channel (filters.channel) must be a channel.');
  });

  it('lists every refused field, and names an unknown one by its key', async () => {
    connector()
      .post('/v1/contacts')
      .reply(
        422,
        apiError('validation_failed', 'invalid', {
          details: [
            { field: 'phone_type', message: 'is required when phone_number is given' },
            { field: 'custom_x', message: 'is not allowed' },
          ],
        }),
      );
    const { message } = await createContact({ first_name: 'Mei', phone_number: '+85291234567' });
    expect(message).toBe('Could not create the contact: Phone Type (phone_type) is required when phone_number is given; custom_x is not allowed.');
  });

  it("falls back to the connector's message when there are no details", async () => {
    connector().post('/v1/contacts').reply(400, apiError('validation_failed', 'First name must not be empty'));
    expect((await createContact()).message).toBe('Could not create the contact: First name must not be empty.');
  });
});

describe('404', () => {
  it.each([
    [
      'updateContact',
      'patch',
      '/v1/contacts/ctc_gone',
      { contact_id: 'ctc_gone', first_name: 'Mei' },
      'contact ctc_gone',
      'Could not update the contact: No contact ctc_gone.',
    ],
    ['updateTicket', 'patch', '/v1/tickets/TKT-0', { ticketId: 'TKT-0', status: 'solved' }, 'ticket TKT-0', 'Could not update the ticket: No ticket TKT-0.'],
    [
      'deleteAgent',
      'delete',
      '/v1/agents/gone%40acme.example',
      { login: 'gone@acme.example' },
      'agent gone@acme.example',
      'Could not delete the agent: No agent gone@acme.example.',
    ],
  ] as const)('in %s is a readable error', async (key, method, path, inputData, what, expected) => {
    connector()
      [method](path)
      .reply(404, apiError('not_found', `No ${what}`));
    expect(await failureOf(run('creates', key, inputData))).toMatchObject({ name: 'AppError', code: 'NotFound', status: 404, message: expected });
  });

  it('without an error body still says what is missing', async () => {
    connector().patch('/v1/contacts/ctc_gone').reply(404);
    const { message } = await failureOf(run('creates', 'updateContact', { contact_id: 'ctc_gone', first_name: 'Mei' }));
    expect(message).toBe('Could not update the contact: it does not exist in the contact centre (it may have been deleted).');
  });

  it.each([
    ['findEnquiry', '/v1/enquiries', { displayCaseNumber: 'HK-404' }, { displayCaseNumber: 'HK-404' }],
    ['findContact', '/v1/contacts', { email: 'nobody@example.com' }, { email: 'nobody@example.com' }],
    ['findTicket', '/v1/tickets', { ticketId: 'TKT-0' }, { id: 'TKT-0' }],
    ['findAgent', '/v1/agents', { login: 'nobody@acme.example' }, { login: 'nobody@acme.example' }],
  ] as const)('in %s is no result: []', async (key, path, inputData, query) => {
    connector().get(path).query(query).reply(404, apiError('not_found', 'Nothing found'));
    await expect(run('searches', key, inputData)).resolves.toEqual([]);
  });
});

describe('an empty record id', () => {
  it.each([
    ['updateContact', { contact_id: '  ', last_name: 'Chan' }, 'Could not update the contact: External Contact ID (id) is empty.'],
    ['updateTicket', { ticketId: '', status: 'solved' }, 'Could not update the ticket: Ticket (id) is empty.'],
    ['deleteAgent', { login: ' ' }, 'Could not delete the agent: Agent (login) is empty.'],
  ])('in %s is refused before any request, naming the field', async (key, inputData, message) => {
    expect(await failureOf(run('creates', key, inputData))).toMatchObject({ name: 'AppError', code: 'InvalidInput', message });
  });
});

describe('401', () => {
  it('in an action explains the credentials, never "Got 401"', async () => {
    connector().post('/v1/contacts').reply(401, apiError('unauthenticated', 'Unknown App Token'));
    const result = await createContact();
    expect(result).toMatchObject({ name: 'AppError', code: 'AuthenticationError', status: 401 });
    expect(result.message).not.toMatch(/Got 401/);
  });

  it('with a revoked token asks to reconnect (ExpiredAuthError), in a search as well', async () => {
    connector().get('/v1/enquiries').query(true).reply(401, apiError('credentials_revoked', 'Token regenerated'));
    expect((await failureOf(run('searches', 'findEnquiry', { displayCaseNumber: 'HK-1' }))).name).toBe('ExpiredAuthError');
  });
});

describe('429', () => {
  it('with Retry-After: 17 is a ThrottledError that retries after 17 seconds', async () => {
    connector().post('/v1/contacts').reply(429, apiError('rate_limited', 'Too many calls for this Zapier account'), { 'Retry-After': '17' });
    const result = await createContact();
    // ThrottledError keeps {message, delay} as JSON in its message; failureOf unpacks it
    expect(result).toMatchObject({ name: 'ThrottledError', delay: 17 });
    expect(result.message).toBe('Too many calls for this Zapier account. Zapier will try again in 17 seconds.');
  });

  it('without Retry-After retries after the default 60 seconds', async () => {
    connector().post('/v1/contacts').reply(429);
    const result = await createContact();
    expect(result).toMatchObject({ name: 'ThrottledError', delay: 60 });
    expect(result.message).toMatch(/too many calls.*60 seconds\.$/);
  });
});

describe('5xx', () => {
  it.each([500, 503])('%i says the connector failed and gives the request id', async (status) => {
    connector()
      .post('/v1/contacts')
      .reply(status, apiError('internal', 'boom', { requestId: 'req_7Gd2' }));
    const result = await createContact();
    expect(result).toMatchObject({ name: 'AppError', code: 'ConnectorError', status });
    expect(result.message).toMatch(/^The contact centre connector failed while trying to create the contact/);
    expect(result.message).toContain('request id req_7Gd2');
  });

  it('takes the request id from the X-Request-Id header when the body has none', async () => {
    connector().post('/v1/contacts').reply(502, 'Bad Gateway', { 'X-Request-Id': 'req_hdr9' });
    expect((await createContact()).message).toContain('request id req_hdr9');
  });
});

describe('other answers', () => {
  it.each([
    [403, 'forbidden', 'Forbidden'],
    [409, 'conflict', 'Conflict'],
  ] as const)('%i is a readable error with the reason', async (status, code, name) => {
    connector().post('/v1/contacts').reply(status, apiError(code, 'The contact already exists'));
    expect(await createContact()).toMatchObject({ code: name, status, message: 'Could not create the contact: The contact already exists.' });
  });

  it('an unexpected status points at the Base URL', async () => {
    connector().post('/v1/contacts').reply(418, 'teapot');
    const result = await createContact();
    expect(result).toMatchObject({ code: 'UnexpectedResponse', status: 418 });
    expect(result.message).toContain('Base URL (https://connector.example.com)');
  });

  it('a refused connection says the connector could not be reached', async () => {
    connector().post('/v1/contacts').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' });
    const result = await createContact();
    expect(result).toMatchObject({ name: 'AppError', code: 'ConnectorUnreachable' });
    expect(result.message).toMatch(
      /^Could not reach the contact centre connector at https:\/\/connector\.example\.com to create the contact: .*ECONNREFUSED.*Check the Base URL/,
    );
  });

  it.each([
    ['an HTML page', '<html>Welcome</html>', { 'Content-Type': 'text/html' }],
    ['an empty body', '', {}],
    ['a JSON string', '"ok"', { 'Content-Type': 'application/json' }],
  ])('a 200 with %s is a clear error, not a result', async (_what, body, headers) => {
    connector().post('/v1/contacts').reply(200, body, headers);
    const result = await createContact();
    expect(result).toMatchObject({ code: 'UnexpectedResponse', status: 200 });
    expect(result.message).toMatch(/answered without JSON while trying to create the contact\. Check that the Base URL/);
  });

  it('no error message leaks the App Token', async () => {
    connector().post('/v1/contacts').replyWithError('socket hang up');
    expect((await createContact()).message).not.toContain(authData.appToken);
  });
});

describe('one request per perform (useNock fails on any unexpected or missing call)', () => {
  it('a successful create makes exactly one call', async () => {
    connector().post('/v1/contacts').reply(201, contactRecordSample);
    await expect(run('creates', 'createContact', { first_name: 'Mei' })).resolves.toEqual(contactRecordSample);
  });

  it('a failing call is not retried', async () => {
    connector().get('/v1/enquiries').query(true).reply(503, apiError('unavailable', 'down'));
    expect((await failureOf(run('searches', 'findEnquiry', { displayCaseNumber: 'HK-1' }))).code).toBe('ConnectorError');
  });
});
