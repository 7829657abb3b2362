// The searches that return many records (line items): Find Tickets, Find Agents, Find Service Numbers.
import { jest } from '@jest/globals';
import App from '../index.js';
import { agentSample, numberSample, ticketSample } from '../contract/index.js';
import { cappedStatement, SEARCH_RESULT_CAP } from '../lib/find-many.js';
import { connector, failureOf, run, useNock } from './support/connector.js';

useNock();

const apiError = (code: string, message: string, extra: object = {}) => ({ error: { code, message, ...extra } });

const searches = App.searches as unknown as Record<
  string,
  { display: { label: string; description: string }; operation: { inputFields: { key: string; label: string; helpText?: string }[] } }
>;

describe('Find Tickets', () => {
  it.each([
    [{}, {}],
    [{ status: 'open' }, { status: 'open' }],
    [{ requesterEmail: ' mei.chan@example.com ', tag: '' }, { requesterEmail: 'mei.chan@example.com' }],
    [
      { assignee: 'ava.wong@acme.example', groupId: '1' },
      { assignee: 'ava.wong@acme.example', groupId: '1' },
    ],
    [
      { tag: 'refund', createdSince: '2026-11-01T00:00:00+08:00', updatedSince: '2026-11-20T09:30:00Z' },
      { tag: 'refund', createdSince: '2026-11-01T00:00:00+08:00', updatedSince: '2026-11-20T09:30:00Z' },
    ],
  ])('searches by %j with the query %j and limit=100, returning every match', async (inputData, query) => {
    const second = { ...ticketSample, id: 'TKT-1041' };
    connector()
      .get('/v1/tickets')
      .query({ ...query, limit: '100' })
      .reply(200, { data: [ticketSample, second], nextCursor: null });
    await expect(run('searches', 'findTickets', inputData)).resolves.toEqual([ticketSample, second]);
  });

  it('returns [] when nothing matches', async () => {
    connector().get('/v1/tickets').query({ status: 'spam', limit: '100' }).reply(200, { data: [], nextCursor: null });
    await expect(run('searches', 'findTickets', { status: 'spam' })).resolves.toEqual([]);
  });

  it('names a refused filter by its label', async () => {
    connector()
      .get('/v1/tickets')
      .query({ createdSince: 'last week', limit: '100' })
      .reply(400, apiError('validation_failed', 'The request is not valid', { details: [{ field: 'createdSince', message: 'Invalid ISO datetime' }] }));
    const failure = await failureOf(run('searches', 'findTickets', { createdSince: 'last week' }));
    expect(failure.message).toContain('Created Since');
  });
});

describe('Find Agents', () => {
  it.each([
    [{}, {}],
    [{ status: 'accepting chats' }, { status: 'accepting chats' }],
    [
      { permission: 'administrator', groupId: '3', status: ' ' },
      { permission: 'administrator', groupId: '3' },
    ],
  ])('searches by %j with the query %j and limit=100', async (inputData, query) => {
    connector()
      .get('/v1/agents')
      .query({ ...query, limit: '100' })
      .reply(200, { data: [agentSample], nextCursor: null });
    await expect(run('searches', 'findAgents', inputData)).resolves.toEqual([agentSample]);
  });

  it('returns [] when nothing matches', async () => {
    connector().get('/v1/agents').query({ permission: 'owner', limit: '100' }).reply(200, { data: [], nextCursor: null });
    await expect(run('searches', 'findAgents', { permission: 'owner' })).resolves.toEqual([]);
  });
});

describe('Find Service Numbers', () => {
  it.each([
    [{}, {}],
    [{ numberType: 'mobile' }, { numberType: 'mobile' }],
  ])('searches by %j with the query %j and returns the seed keys ServiceID, Number and type', async (inputData, query) => {
    connector()
      .get('/v1/numbers')
      .query({ ...query, limit: '100' })
      .reply(200, { data: [numberSample], nextCursor: null });
    const found = (await run('searches', 'findServiceNumbers', inputData)) as Record<string, unknown>[];
    expect(found).toEqual([numberSample]);
    expect(found[0]).toMatchObject({ ServiceID: 'svc_acme_hk', Number: '+85264501234', type: 'mobile' });
  });

  it('returns [] when no number is of that type', async () => {
    connector().get('/v1/numbers').query({ numberType: 'toll_free', limit: '100' }).reply(200, { data: [], nextCursor: null });
    await expect(run('searches', 'findServiceNumbers', { numberType: 'toll_free' })).resolves.toEqual([]);
  });
});

describe('the cap of searches that return many', () => {
  it.each([
    [
      'findTickets',
      '/v1/tickets',
      ticketSample,
      "More than 100 tickets match: this step returns the first 100 (newest first). To reach the others, narrow the search by Status, Requester's Email, Assignee, Group, Tag, Created Since or Updated Since.",
    ],
    [
      'findAgents',
      '/v1/agents',
      agentSample,
      'More than 100 agents match: this step returns the first 100 (newest first). To reach the others, narrow the search by Status, Permission or Group.',
    ],
    [
      'findServiceNumbers',
      '/v1/numbers',
      numberSample,
      'More than 100 service numbers match: this step returns the first 100 (by type and label). To reach the others, narrow the search by Number Type.',
    ],
  ] as const)('%s returns one page of 100 and says so in the log when more match, asking for no further page', async (key, path, item, statement) => {
    const page = Array.from({ length: SEARCH_RESULT_CAP }, () => item);
    connector().get(path).query({ limit: '100' }).reply(200, { data: page, nextCursor: 'more' });
    const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(run('searches', key)).resolves.toHaveLength(100);
      expect(logged.mock.calls.map((call) => String(call[0]).trim())).toContain(statement);
    } finally {
      logged.mockRestore();
    }
  });

  it('says nothing when every match came back', async () => {
    connector()
      .get('/v1/agents')
      .query({ limit: '100' })
      .reply(200, { data: [agentSample], nextCursor: null });
    const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await run('searches', 'findAgents');
      expect(logged.mock.calls.map((call) => String(call[0]))).not.toContainEqual(expect.stringContaining('More than'));
    } finally {
      logged.mockRestore();
    }
  });

  it.each(['findTickets', 'findAgents', 'findServiceNumbers'])('%s states the cap and how to narrow in its description and first help text', (key) => {
    const search = searches[key]!;
    expect(search.display.description).toContain(`up to ${SEARCH_RESULT_CAP}`);
    expect(search.operation.inputFields[0]!.helpText).toContain(`At most ${SEARCH_RESULT_CAP}`);
    expect(search.operation.inputFields.length).toBeGreaterThan(0);
  });

  it('the statement names the count, the order and the fields', () => {
    expect(cappedStatement({ nouns: 'widgets', order: 'oldest first', narrowBy: 'Colour' })).toBe(
      'More than 100 widgets match: this step returns the first 100 (oldest first). To reach the others, narrow the search by Colour.',
    );
  });
});
