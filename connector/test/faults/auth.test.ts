import { api, ApiError, type EndpointName } from '../../../contract/index.js';
import type { Storage } from '../../src/storage/db.js';
import { createZapierAccount } from '../../src/accounts/zapier-accounts.js';
import { seedWorkspaceEssentials } from '../../src/contact-centre/essentials.js';
import { seedDemoWorkspace } from '../../src/demo/seed.js';
import { startConnector, TEST_ADMIN_TOKEN, type CallResult, type Credentials, type TestConnector } from '../support/connector.js';

/**
 * Credentials that are missing, malformed, forged, deleted or regenerated all get 401 with a
 * sentence saying what to send; and one account never reads or changes another workspace's
 * data, nor another account's subscriptions: every /v1 endpoint is called with ids from the
 * other workspace and answers 404 (or, for lists and searches, nothing of it).
 */

let connector: TestConnector;
beforeAll(async () => {
  // Hook targets resolve to a public address without a network (the resolver seam).
  // Hundreds of refused calls from one address: the failure throttle (tested in accounts/auth-throttle.test.ts) is set out of the way.
  connector = await startConnector(
    { CONNECTOR_RATE_LIMIT_MAX: '100000', CONNECTOR_AUTH_FAILURE_LIMIT: '100000' },
    { seed: true, resolveHost: async () => [{ address: '93.184.216.34', family: 4 }] },
  );
}, 30_000);
afterAll(() => connector?.close());

const call = (path: string, options: Parameters<TestConnector['call']>[1] = {}) => connector.call(path, options);

function expect401(reply: CallResult, code: 'unauthenticated' | 'credentials_revoked', words: RegExp): void {
  expect(reply.status).toBe(401);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  const { error } = ApiError.parse(reply.body);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(words);
  expect(error.requestId).toBe(reply.headers.get('x-request-id'));
}

/** A few endpoints of each kind: what every 401 case is tried against. */
const targets: Array<{ method: string; path: string; body?: unknown }> = [
  { method: 'GET', path: '/v1/me' },
  { method: 'POST', path: '/v1/tags', body: { name: 'Intruder', colorCode: '#000000' } },
  { method: 'POST', path: '/v1/tags', body: { name: 42 } }, // a bad body too: credentials come first
  { method: 'DELETE', path: '/v1/hooks/sub_nope' },
  { method: 'GET', path: '/v1/contacts/ctc_nope' },
];

describe('public credentials', () => {
  const SEND = /Send the App ID in X-App-Id and the App Token as a Bearer token/;
  const NO_MATCH = /do not match a Zapier account/;

  it.each([
    ['no credentials at all', {}],
    ['no App ID', { authorization: 'Bearer cct_abc' }],
    ['no token', { 'x-app-id': 'app_x' }],
    ['an empty Bearer', { 'x-app-id': 'app_x', authorization: 'Bearer ' }],
    ['"Bearer" alone', { 'x-app-id': 'app_x', authorization: 'Bearer' }],
    ['Basic instead of Bearer', { 'x-app-id': 'app_x', authorization: 'Basic YXBwOnRva2Vu' }],
    ['a token with a space in it', { 'x-app-id': 'app_x', authorization: 'Bearer cct_a cct_b' }],
    ['a token of 600 characters', { 'x-app-id': 'app_x', authorization: `Bearer ${'a'.repeat(600)}` }],
    ['a token with Latin-1 letters', { 'x-app-id': 'app_x', authorization: 'Bearer t\u00f6k\u00e9n' }],
    ['an App ID with a space', { 'x-app-id': 'app x', authorization: 'Bearer cct_abc' }],
    ['an App ID with a path', { 'x-app-id': '../../admin', authorization: 'Bearer cct_abc' }],
    ['an App ID of 200 characters', { 'x-app-id': 'a'.repeat(200), authorization: 'Bearer cct_abc' }],
    ['an empty App ID', { 'x-app-id': '', authorization: 'Bearer cct_abc' }],
  ] as Array<[string, Record<string, string>]>)('missing or malformed: %s → 401 saying what to send', async (_case, headers) => {
    for (const target of targets) expect401(await call(target.path, { ...target, as: 'none', headers }), 'unauthenticated', SEND);
  });

  it('forged: made-up, swapped or altered credentials → 401 that says they do not match', async () => {
    const other = await connector.addAccount('Forgery victim');
    const { appId, appToken } = connector.account;
    const forged: Array<[string, Credentials]> = [
      ['a made-up App ID and token', { appId: 'app_01jzzzzzzzzzzzzzzzzzzzzzz', appToken: 'cct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
      ['a real App ID with a made-up token', { appId, appToken: 'cct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
      ['a real App ID with its token altered by one character', { appId, appToken: appToken.slice(0, -1) + (appToken.endsWith('A') ? 'B' : 'A') }],
      ['a real App ID with its token cut short', { appId, appToken: appToken.slice(0, 20) }],
      ["a real App ID with another account's token", { appId, appToken: other.appToken }],
      ["another account's App ID with this token", { appId: other.appId, appToken }],
      ['the admin token as an App Token', { appId, appToken: TEST_ADMIN_TOKEN }],
      ['a token in another case', { appId, appToken: appToken.toUpperCase() }],
      ['an App ID in another case', { appId: appId.toUpperCase(), appToken }],
    ];
    for (const [, as] of forged) for (const target of targets) expect401(await call(target.path, { ...target, as }), 'unauthenticated', NO_MATCH);
  });

  it('regenerated: the old token is refused at once (saying so), the new one works', async () => {
    const account = await connector.addAccount('Regenerated');
    expect((await call('/v1/me', { as: account })).status).toBe(200);
    const regenerated = await call(`/admin/api/zapier-accounts/${account.appId}/regenerate-token`, { method: 'POST', as: 'admin' });
    expect(regenerated.status).toBe(200);
    for (const target of targets)
      expect401(await call(target.path, { ...target, as: account }), 'credentials_revoked', /was regenerated .* no longer works; use the new one/);
    expect((await call('/v1/me', { as: { appId: account.appId, appToken: regenerated.body.appToken } })).status).toBe(200);
  });

  it('deleted: its credentials are refused (saying the account was deleted), and nothing it had is reachable', async () => {
    const account = await connector.addAccount('Deleted');
    const subscription = await call('/v1/hooks', { method: 'POST', as: account, body: { event: 'tag.created', targetUrl: 'https://hooks.example.com/x' } });
    expect(subscription.status).toBe(201);
    expect((await call(`/admin/api/zapier-accounts/${account.appId}`, { method: 'DELETE', as: 'admin' })).status).toBe(200);
    for (const target of targets) expect401(await call(target.path, { ...target, as: account }), 'credentials_revoked', /was deleted in the contact centre/);
    expect401(await call(`/v1/hooks/${subscription.body.id}`, { method: 'DELETE', as: account }), 'credentials_revoked', /was deleted/);
    // To a caller without one of its tokens, the deleted App ID is like one that never existed.
    expect401(
      await call('/v1/me', { as: { appId: account.appId, appToken: 'cct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } }),
      'unauthenticated',
      /do not match a Zapier account/,
    );
    // Even with a token regenerated before the deletion.
    expect((await call(`/admin/api/zapier-accounts/${account.appId}/regenerate-token`, { method: 'POST', as: 'admin' })).status).toBe(404);
  });

  it("refused calls write nothing and do not count against the App ID's rate limit", async () => {
    const account = await connector.addAccount('Counted');
    const before = await connector.db.selectFrom('tags').select('id').execute();
    for (let i = 0; i < 20; i++) {
      const refused = await call('/v1/tags', {
        method: 'POST',
        as: { appId: account.appId, appToken: 'cct_wrong' },
        body: { name: `Nope ${i}`, colorCode: '#000000' },
      });
      expect(refused.status).toBe(401);
    }
    expect(await connector.db.selectFrom('tags').select('id').execute()).toHaveLength(before.length);
    const me = await call('/v1/me', { as: account });
    expect(Number(me.headers.get('x-ratelimit-remaining'))).toBe(Number(me.headers.get('x-ratelimit-limit')) - 1);
  });
});

describe('the admin API', () => {
  it.each([
    ['no Authorization', {}],
    ['an empty Bearer', { authorization: 'Bearer ' }],
    ['a wrong token', { authorization: 'Bearer test-admin-token-0123456789abcdeX' }],
    ['the token cut short', { authorization: `Bearer ${TEST_ADMIN_TOKEN.slice(0, -1)}` }],
    ['the token with more after it', { authorization: `Bearer ${TEST_ADMIN_TOKEN}x` }],
    ['Basic', { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_TOKEN}`).toString('base64')}` }],
    ['the token without "Bearer"', { authorization: TEST_ADMIN_TOKEN }],
  ] as Array<[string, Record<string, string>]>)('%s → 401 saying what to send', async (_case, headers) => {
    for (const [method, path] of [
      ['GET', '/admin/api/zapier-accounts'],
      ['POST', '/admin/api/zapier-accounts'],
      ['GET', '/admin/api/deliveries'],
      ['POST', '/admin/api/deliveries/dlv_x/retry'],
    ]) {
      expect401(
        await call(path!, { method, as: 'none', headers, body: method === 'POST' ? { name: 'x' } : undefined }),
        'unauthenticated',
        /admin token as a Bearer token/,
      );
    }
  });

  it('an App Token is not an admin token', async () => {
    expect401(
      await call('/admin/api/zapier-accounts', { as: 'none', headers: { authorization: `Bearer ${connector.account.appToken}` } }),
      'unauthenticated',
      /admin token/,
    );
  });
});

describe('workspaces and accounts keep to themselves', () => {
  const OTHER = 'ws_isolation_other';
  let mine: Credentials;
  let theirs: Credentials;
  /** Ids that exist only in the other workspace. */
  const their: Record<string, string> = {};
  /** Ids of this workspace, for calls that name one of each. */
  const own: Record<string, string> = {};
  /** Texts that only the other workspace's records contain: no answer to `mine` may show one. */
  const markers = [
    'Zed Otherworld',
    'zed.otherworld@other.example',
    'Other-only tag',
    'Otherworld ticket',
    'only.other@other.example',
    'Otherworld chat',
    'Otherworld enquiry',
  ];

  beforeAll(async () => {
    mine = connector.account;
    const { db } = connector;
    await db.insertInto('workspaces').values({ id: OTHER, name: 'Other Centre', created_at: new Date().toISOString() }).execute();
    await seedWorkspaceEssentials(db, OTHER);
    await seedDemoWorkspace(db, { workspaceId: OTHER, baseUrl: 'https://connector.test', casePrefix: 'HK' });
    const created = await createZapierAccount(db, { workspaceId: OTHER, baseUrl: 'https://connector.test' }, 'Other Zaps');
    theirs = { appId: created.appId, appToken: created.appToken };

    const as = (who: Credentials) => ({ as: who });
    const post = async (who: Credentials, path: string, body: unknown) => {
      const reply = await call(path, { method: 'POST', body, ...as(who) });
      if (reply.status !== 201) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body;
    };
    // The other workspace gets records whose ids this one does not have, tickets numbered past this one's.
    const firstOf = async (who: Credentials, path: string) => (await call(path, as(who))).body.data[0];
    their.staff = (await firstOf(theirs, '/v1/staff')).id;
    their.room = (await firstOf(theirs, '/v1/rooms')).id;
    their.number = (await firstOf(theirs, '/v1/numbers?numberType=mobile')).id;
    their.contact = (
      await post(theirs, '/v1/contacts', { first_name: 'Zed', last_name: 'Otherworld', email_type: 'work', email_address: 'zed.otherworld@other.example' })
    ).id;
    their.tag = (await post(theirs, '/v1/tags', { name: 'Other-only tag', colorCode: '#123456' })).id;
    for (let i = 0; i < 6; i++)
      their.ticket = (await post(theirs, '/v1/tickets', { message: 'Otherworld ticket', requester: { mail: 'zed.otherworld@other.example' } })).id;
    their.agent = (await post(theirs, '/v1/agents', { login: 'only.other@other.example', name: 'Only Other' })).login;
    their.chat = (await post(theirs, '/v1/chats', { visitor: { name: 'Zed Otherworld' }, message: 'Otherworld chat' })).id;
    for (let i = 0; i < 4; i++) {
      const enquiry = await post(theirs, '/v1/enquiries', {
        channel: 'web',
        type: 'chat',
        destinationType: 'tag',
        destinationID: their.tag,
        inquiry: 'Otherworld enquiry',
        visitor: { name: 'Zed Otherworld' },
      });
      their.enquiry = enquiry.id;
      their.caseNumber = enquiry.displayCaseNumber;
    }
    their.subscription = (await post(theirs, '/v1/hooks', { event: 'tag.created', targetUrl: 'https://hooks.example.com/other' })).id;

    own.staff = (await firstOf(mine, '/v1/staff')).id;
    own.contact = (await post(mine, '/v1/contacts', { first_name: 'Own', last_name: 'Contact' })).id;
    own.enquiry = (await firstOf(mine, '/v1/enquiries?displayCaseNumber=HK-000001')).id;
    own.ticket = (await firstOf(mine, '/v1/tickets')).id;
    own.chat = (await post(mine, '/v1/chats', { visitor: { name: 'Own Visitor' }, message: 'Hello' })).id;
    own.subscription = (await post(mine, '/v1/hooks', { event: 'tag.created', targetUrl: 'https://hooks.example.com/mine' })).id;
    // Not in this workspace: the other's ticket number and agent exist only there.
    expect((await call(`/v1/tickets/${their.ticket}`, as(theirs))).status).toBe(200);
  }, 60_000);

  /**
   * Every /v1 endpoint, called by `mine` with the other workspace's ids where it takes ids (in
   * the path or the body), and what it must answer: 404, or (lists and searches) 200 with
   * nothing of the other workspace. Creating endpoints that name no record are called too.
   */
  const probes: Record<EndpointName, () => { method?: string; path: string; body?: unknown; expect: 404 | 'none of theirs' }[]> = {
    me: () => [{ path: '/v1/me', expect: 'none of theirs' }],
    subscribe: () => [
      { method: 'POST', path: '/v1/hooks', body: { event: 'contact.created', targetUrl: 'https://hooks.example.com/mine-too' }, expect: 'none of theirs' },
    ],
    unsubscribe: () => [{ method: 'DELETE', path: `/v1/hooks/${their.subscription}`, expect: 404 }],
    listSubscriptions: () => [{ path: '/v1/hooks', expect: 'none of theirs' }],
    recentEvents: () =>
      ['contact.created', 'tag.created', 'ticket.created', 'chat.started', 'enquiry.created'].map((event) => ({
        path: `/v1/hooks/samples?event=${event}&limit=100`,
        expect: 'none of theirs' as const,
      })),
    findEnquiries: () => [{ path: `/v1/enquiries?displayCaseNumber=${their.caseNumber}`, expect: 'none of theirs' }],
    getEnquiry: () => [{ path: `/v1/enquiries/${their.enquiry}`, expect: 404 }],
    openEnquiry: () => [
      {
        method: 'POST',
        path: '/v1/enquiries',
        body: { channel: 'web', type: 'chat', destinationType: 'tag', destinationID: their.tag, inquiry: 'x', visitor: { name: 'x' } },
        expect: 404,
      },
      {
        method: 'POST',
        path: '/v1/enquiries',
        body: { channel: 'web', type: 'chat', destinationType: 'staff', destinationID: their.staff, inquiry: 'x', visitor: { name: 'x' } },
        expect: 404,
      },
      {
        method: 'POST',
        path: '/v1/enquiries',
        body: { channel: 'web', type: 'chat', destinationType: 'number', destinationID: their.number, inquiry: 'x', visitor: { name: 'x' } },
        expect: 404,
      },
    ],
    handleEnquiry: () => [
      { method: 'POST', path: `/v1/enquiries/${their.enquiry}/handle`, body: { staffId: own.staff }, expect: 404 },
      { method: 'POST', path: `/v1/enquiries/${own.enquiry}/handle`, body: { staffId: their.staff }, expect: 404 },
    ],
    closeEnquiry: () => [{ method: 'POST', path: `/v1/enquiries/${their.enquiry}/close`, body: {}, expect: 404 }],
    missEnquiry: () => [{ method: 'POST', path: `/v1/enquiries/${their.enquiry}/miss`, expect: 404 }],
    findContacts: () => [
      { path: '/v1/contacts?fullName=Zed%20Otherworld', expect: 'none of theirs' },
      { path: '/v1/contacts?email=zed.otherworld%40other.example', expect: 'none of theirs' },
    ],
    getContact: () => [{ path: `/v1/contacts/${their.contact}`, expect: 404 }],
    createContact: () => [{ method: 'POST', path: '/v1/contacts', body: { first_name: 'Mine', last_name: 'Again' }, expect: 'none of theirs' }],
    updateContact: () => [{ method: 'PATCH', path: `/v1/contacts/${their.contact}`, body: { first_name: 'Hijacked' }, expect: 404 }],
    deleteContact: () => [{ method: 'DELETE', path: `/v1/contacts/${their.contact}`, expect: 404 }],
    mergeContacts: () => [
      { method: 'POST', path: `/v1/contacts/${their.contact}/merge`, body: { sourceContactIds: [own.contact] }, expect: 404 },
      { method: 'POST', path: `/v1/contacts/${own.contact}/merge`, body: { sourceContactIds: [their.contact] }, expect: 404 },
    ],
    transferContact: () => [
      { method: 'POST', path: `/v1/contacts/${their.contact}/transfer`, body: { toOwnerID: own.staff }, expect: 404 },
      { method: 'POST', path: `/v1/contacts/${own.contact}/transfer`, body: { toOwnerID: their.staff }, expect: 404 },
    ],
    listTags: () => [{ path: '/v1/tags', expect: 'none of theirs' }],
    createTag: () => [{ method: 'POST', path: '/v1/tags', body: { name: 'Mine only', colorCode: '#654321' }, expect: 'none of theirs' }],
    updateTag: () => [{ method: 'PATCH', path: `/v1/tags/${their.tag}`, body: { name: 'Hijacked' }, expect: 404 }],
    deleteTag: () => [{ method: 'DELETE', path: `/v1/tags/${their.tag}`, expect: 404 }],
    listNumbers: () => [{ path: '/v1/numbers', expect: 'none of theirs' }],
    sendSms: () => [
      { method: 'POST', path: '/v1/sms', body: { numberType: 'mobile', senderNumber: their.number, recipientNumber: '+85291234567', text: 'x' }, expect: 404 },
    ],
    listStaff: () => [{ path: '/v1/staff', expect: 'none of theirs' }],
    listRooms: () => [{ path: '/v1/rooms', expect: 'none of theirs' }],
    messageStaff: () => [{ method: 'POST', path: '/v1/messages/staff', body: { staff_id: their.staff, text: 'x' }, expect: 404 }],
    messageRoom: () => [{ method: 'POST', path: '/v1/messages/rooms', body: { room_id: their.room, text: 'x' }, expect: 404 }],
    listTickets: () => [
      { path: `/v1/tickets?id=${their.ticket}`, expect: 'none of theirs' },
      { path: '/v1/tickets?requesterEmail=zed.otherworld%40other.example', expect: 'none of theirs' },
    ],
    getTicket: () => [{ path: `/v1/tickets/${their.ticket}`, expect: 404 }],
    createTicket: () => [
      { method: 'POST', path: '/v1/tickets', body: { message: 'x', requester: { mail: 'a@example.com' }, assignee: { id: their.agent } }, expect: 404 },
    ],
    updateTicket: () => [
      { method: 'PATCH', path: `/v1/tickets/${their.ticket}`, body: { status: 'solved' }, expect: 404 },
      { method: 'PATCH', path: `/v1/tickets/${own.ticket}`, body: { assignee: { id: their.agent } }, expect: 404 },
    ],
    pushTicket: () => [{ method: 'POST', path: `/v1/tickets/${their.ticket}/push`, expect: 404 }],
    listGroups: () => [{ path: '/v1/groups', expect: 'none of theirs' }],
    listAgents: () => [{ path: `/v1/agents?login=${their.agent}`, expect: 'none of theirs' }],
    createAgent: () => [{ method: 'POST', path: '/v1/agents', body: { login: 'mine.agent@acme.example', name: 'Mine Agent' }, expect: 'none of theirs' }],
    deleteAgent: () => [{ method: 'DELETE', path: `/v1/agents/${their.agent}`, expect: 404 }],
    startChat: () => [{ method: 'POST', path: '/v1/chats', body: { visitor: { name: 'x' }, message: 'x', agentLogin: their.agent }, expect: 404 }],
    getChat: () => [{ path: `/v1/chats/${their.chat}`, expect: 404 }],
    postChatMessage: () => [
      { method: 'POST', path: `/v1/chats/${their.chat}/messages`, body: { text: 'x', user_type: 'visitor' }, expect: 404 },
      { method: 'POST', path: `/v1/chats/${own.chat}/messages`, body: { text: 'x', user_type: 'agent', agentLogin: their.agent }, expect: 404 },
    ],
    endChat: () => [{ method: 'POST', path: `/v1/chats/${their.chat}/end`, expect: 404 }],
  };

  it('the probes cover every endpoint of the contract', () => {
    expect(Object.keys(probes).sort()).toEqual(Object.keys(api).sort());
  });

  it.each(Object.keys(api) as EndpointName[])("%s with the other workspace's ids: 404 or nothing of theirs, and nothing of theirs changes", async (name) => {
    const before = await snapshot(connector.db, OTHER);
    for (const probe of (probes[name] ?? (() => []))()) {
      const reply = await call(probe.path, { method: probe.method ?? 'GET', body: probe.body, as: mine });
      const context = `${probe.method ?? 'GET'} ${probe.path} → ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`;
      if (probe.expect === 404) {
        expect({ context, status: reply.status, code: reply.body?.error?.code }).toEqual({ context, status: 404, code: 'not_found' });
      } else {
        expect({ context, ok: reply.status >= 200 && reply.status < 300 }).toEqual({ context, ok: true });
      }
      // Nothing of theirs in the answer, but what the caller sent (a 404 names the id it did not find).
      const text = JSON.stringify(reply.body);
      const sent = `${probe.path} ${JSON.stringify(probe.body ?? null)}`;
      for (const id of Object.values(their)) if (!sent.includes(id)) expect({ context, id, leaks: text.includes(id) }).toEqual({ context, id, leaks: false });
      for (const marker of markers)
        if (!sent.includes(marker)) expect({ context, marker, leaks: text.includes(marker) }).toEqual({ context, marker, leaks: false });
    }
    expect(await snapshot(connector.db, OTHER)).toEqual(before);
  });

  it("an account of the same workspace can neither end nor list another account's subscriptions", async () => {
    const colleague = await connector.addAccount('Colleague');
    const ended = await call(`/v1/hooks/${own.subscription}`, { method: 'DELETE', as: colleague });
    expect(ended.status).toBe(404);
    expect(ended.body.error.code).toBe('not_found');
    expect((await call('/v1/hooks', { as: colleague })).body.data).toEqual([]);
    const stillThere = (await call('/v1/hooks', { as: mine })).body.data.map((s: { id: string }) => s.id);
    expect(stillThere).toContain(own.subscription);
    expect((await connector.db.selectFrom('subscriptions').select('status').where('id', '=', own.subscription!).executeTakeFirstOrThrow()).status).toBe(
      'active',
    );
  });
});

/** Every row of the workspace, table by table (tables with a workspace_id), plus its subscriptions' deliveries. */
async function snapshot(db: Storage['db'], workspaceId: string): Promise<Record<string, unknown[]>> {
  const tables = [
    'staff',
    'rooms',
    'tags',
    'service_numbers',
    'contacts',
    'contact_lookups',
    'enquiries',
    'agents',
    'agent_groups',
    'tickets',
    'chats',
    'sms_messages',
    'instant_messages',
    'counters',
    'events',
    'subscriptions',
    'zapier_accounts',
  ] as const;
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await db.selectFrom(table).selectAll().where('workspace_id', '=', workspaceId).execute();
    result[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return result;
}
