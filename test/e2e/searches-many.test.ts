/**
 * The searches that return many records (Find Tickets, Find Agents, Find Service Numbers)
 * against a running connector over real HTTP; results are parsed with the contract's schemas.
 */
import { jest } from '@jest/globals';
import { Agent, ServiceNumber, Ticket } from '../../contract/index.js';
import { SEARCH_RESULT_CAP } from '../../lib/find-many.js';
import { run, startE2E, type AuthData, type E2E } from './support.js';

jest.setTimeout(60_000);

let e2e: E2E;
let auth: AuthData;
beforeAll(async () => {
  e2e = await startE2E({ CONNECTOR_RATE_LIMIT_MAX: '100000' });
  auth = await e2e.newAccount('Find Many Zaps');
});
afterAll(() => e2e?.close());

const search = async (key: string, inputData: Record<string, unknown>) => (await run<unknown[]>(auth, 'searches', key, inputData)) as unknown[];
const post = async (path: string, body: object) => {
  const answer = await e2e.connector.call(path, { method: 'POST', body, as: auth });
  expect([path, answer.status]).toEqual([path, 201]);
  return answer.body;
};

describe('Find Tickets', () => {
  it('finds by requester, assignee, group, tag and time, newest first, and [] when nothing matches', async () => {
    await post('/v1/agents', { login: 'many.agent@acme.example', name: 'Many Agent', groups: [0, 3] });
    const requesterEmail = 'many.tickets@example.com';
    const first = await post('/v1/tickets', {
      message: 'Refund for order 1',
      requester: { mail: requesterEmail },
      tags: ['refund'],
      assignee: { id: 'many.agent@acme.example' },
    });
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await post('/v1/tickets', { message: 'Refund for order 2', requester: { mail: requesterEmail }, tags: ['Refund', 'vip'], groupId: 3 });

    const ids = (found: unknown[]) => found.map((t) => Ticket.parse(t).id);
    expect(ids(await search('findTickets', { requesterEmail }))).toEqual([second.id, first.id]);
    expect(ids(await search('findTickets', { requesterEmail, assignee: 'many.agent@acme.example' }))).toEqual([first.id]);
    expect(ids(await search('findTickets', { requesterEmail, groupId: '3' }))).toEqual([second.id]);
    expect(ids(await search('findTickets', { requesterEmail, tag: 'REFUND' }))).toEqual([second.id, first.id]);
    expect(ids(await search('findTickets', { requesterEmail, createdSince: since }))).toEqual([second.id]);
    expect(ids(await search('findTickets', { requesterEmail, updatedSince: since, status: 'open' }))).toEqual([second.id]);
    await expect(search('findTickets', { requesterEmail, status: 'spam' })).resolves.toEqual([]);
  });

  it(`returns at most ${SEARCH_RESULT_CAP} when more match, the newest`, async () => {
    const requesterEmail = 'very.many@example.com';
    const made: string[] = [];
    for (let i = 0; i < SEARCH_RESULT_CAP + 5; i++) made.push((await post('/v1/tickets', { message: `Ticket ${i}`, requester: { mail: requesterEmail } })).id);
    const found = (await search('findTickets', { requesterEmail })).map((t) => Ticket.parse(t).id);
    expect(found).toEqual(made.slice(-SEARCH_RESULT_CAP).reverse());
  });
});

describe('Find Agents', () => {
  it('finds all agents, or by status, permission and group', async () => {
    await post('/v1/agents', {
      login: 'boss.many@acme.example',
      name: 'Boss Many',
      permission: 'administrator',
      login_status: 'not accepting chats',
      groups: [0, 3],
    });
    const logins = (found: unknown[]) => found.map((a) => Agent.parse(a).login);
    const all = logins(await search('findAgents', {}));
    const { body } = await e2e.connector.call('/v1/agents', { as: auth });
    expect(all).toEqual(body.data.map((a: Agent) => a.login));
    expect(all).toContain('boss.many@acme.example');
    const admins = logins(await search('findAgents', { permission: 'administrator', status: 'not accepting chats', groupId: '3' }));
    expect(admins).toContain('boss.many@acme.example');
    expect(admins.every((login) => all.includes(login))).toBe(true);
    await expect(search('findAgents', { permission: 'owner', groupId: '99' })).resolves.toEqual([]);
  });
});

describe('Find Service Numbers', () => {
  it('finds every number, or those of one type, with ServiceID, Number and type', async () => {
    const every = (await search('findServiceNumbers', {})).map((n) => ServiceNumber.parse(n));
    expect(every.length).toBeGreaterThan(0);
    for (const numberType of ['did', 'toll_free', 'mobile', 'sender_id']) {
      const ofType = (await search('findServiceNumbers', { numberType })).map((n) => ServiceNumber.parse(n));
      expect(ofType.map((n) => n.type).every((t) => t === numberType)).toBe(true);
      expect(ofType.map((n) => n.Number).sort()).toEqual(
        every
          .filter((n) => n.type === numberType)
          .map((n) => n.Number)
          .sort(),
      );
    }
    expect(every[0]).toEqual(expect.objectContaining({ ServiceID: expect.any(String), Number: expect.any(String), type: expect.any(String) }));
  });
});
