import { sql } from 'kysely';
import {
  AdminSubscription,
  ApiError,
  CreatedSubscription,
  DeliveryPage,
  listOf,
  Me,
  MAX_ZAPIER_ACCOUNTS,
  ZapierAccount,
  ZapierAccountWithToken,
} from '../../../contract/index.js';
import { createZapierAccount } from '../../src/accounts/zapier-accounts.js';
import { seedWorkspaceEssentials } from '../../src/contact-centre/essentials.js';
import type { HostResolver } from '../../src/delivery/ssrf.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import { newId } from '../../src/ids.js';
import { connectorDatabases, startConnector, type Credentials, type TestConnector } from '../support/connector.js';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll, startAll } from '../support/teardown.js';

let connector: TestConnector;
beforeAll(async () => {
  connector = await startConnector();
});
afterAll(() => connector?.close());

const admin = { as: 'admin' as const };

describe('the admin API (Zapier accounts)', () => {
  it('adds an account and shows its App Token once, with the Base URL', async () => {
    const created = await connector.call('/admin/api/zapier-accounts', { ...admin, method: 'POST', body: { name: '  Marketing Zaps ' } });
    expect(created.status).toBe(201);
    const account = ZapierAccountWithToken.parse(created.body);
    expect(account).toMatchObject({ name: 'Marketing Zaps', baseUrl: 'https://connector.test', tokenRegeneratedAt: null });
    expect(account.appToken.length).toBeGreaterThanOrEqual(43);

    const listed = await connector.call('/admin/api/zapier-accounts', admin);
    expect(listed.status).toBe(200);
    const { data } = listOf(ZapierAccount).parse(listed.body);
    expect(data.map((a) => a.appId)).toContain(account.appId);
    expect(JSON.stringify(listed.body)).not.toContain(account.appToken);
    expect(JSON.stringify(listed.body)).not.toContain('appToken');

    // Only the hash is stored.
    const row = await connector.db.selectFrom('zapier_accounts').selectAll().where('app_id', '=', account.appId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(account.appToken);
  });

  it('renames an account', async () => {
    const { appId } = await connector.addAccount('Old name');
    const renamed = await connector.call(`/admin/api/zapier-accounts/${appId}`, { ...admin, method: 'PATCH', body: { name: 'New name' } });
    expect(renamed.status).toBe(200);
    expect(ZapierAccount.parse(renamed.body).name).toBe('New name');
    const me = await connector.call('/v1/me', { as: { appId, appToken: (await regenerate(appId)).appToken } });
    expect(Me.parse(me.body).account.name).toBe('New name');
  });

  it('regenerates a token: the new one works, the old one is revoked at once', async () => {
    const old = await connector.addAccount('Rotating');
    expect((await connector.call('/v1/me', { as: old })).status).toBe(200);
    const renewed = await regenerate(old.appId);
    expect(renewed.tokenRegeneratedAt).not.toBeNull();

    const withOld = await connector.call('/v1/me', { as: old });
    expect(withOld.status).toBe(401);
    expect(ApiError.parse(withOld.body).error.code).toBe('credentials_revoked');
    expect((await connector.call('/v1/me', { as: { appId: old.appId, appToken: renewed.appToken } })).status).toBe(200);
  });

  it('deletes an account: its credentials are revoked, its subscriptions end and pending deliveries are cancelled', async () => {
    const doomed = await connector.addAccount('Doomed');
    const subscriptionId = await insertSubscriptionWithPendingDelivery(doomed.appId);

    const deleted = await connector.call(`/admin/api/zapier-accounts/${doomed.appId}`, { ...admin, method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(ZapierAccount.parse(deleted.body).appId).toBe(doomed.appId);

    const me = await connector.call('/v1/me', { as: doomed });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('credentials_revoked');

    const subscription = await connector.db.selectFrom('subscriptions').selectAll().where('id', '=', subscriptionId).executeTakeFirstOrThrow();
    expect(subscription).toMatchObject({ status: 'ended', ended_reason: 'account_deleted' });
    const delivery = await connector.db.selectFrom('deliveries').select('status').where('subscription_id', '=', subscriptionId).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('cancelled');

    const listed = await connector.call('/admin/api/zapier-accounts', admin);
    expect(listed.body.data.map((a: { appId: string }) => a.appId)).not.toContain(doomed.appId);
    expect((await connector.call(`/admin/api/zapier-accounts/${doomed.appId}`, { ...admin, method: 'DELETE' })).status).toBe(404);
  });

  it(`refuses the ${MAX_ZAPIER_ACCOUNTS + 1}th account with 409 limit_reached, and accepts one after a deletion`, async () => {
    const { body } = await connector.call('/admin/api/zapier-accounts', admin);
    const ids: string[] = [];
    for (let i = body.data.length; i < MAX_ZAPIER_ACCOUNTS; i++) ids.push((await connector.addAccount(`Filler ${i}`)).appId);

    const refused = await connector.call('/admin/api/zapier-accounts', { ...admin, method: 'POST', body: { name: 'One too many' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('limit_reached');
    expect(refused.body.error.message).toMatch(/delete one first/);

    const victim = ids[0] ?? body.data[0].appId;
    await connector.call(`/admin/api/zapier-accounts/${victim}`, { ...admin, method: 'DELETE' });
    expect((await connector.call('/admin/api/zapier-accounts', { ...admin, method: 'POST', body: { name: 'Now it fits' } })).status).toBe(201);
  });

  it('answers 404 naming the App ID for unknown accounts', async () => {
    const renamed = await connector.call('/admin/api/zapier-accounts/app_nope', { ...admin, method: 'PATCH', body: { name: 'x' } });
    expect(renamed.status).toBe(404);
    expect(renamed.body.error.message).toContain('app_nope');
    expect((await connector.call('/admin/api/zapier-accounts/app_nope/regenerate-token', { ...admin, method: 'POST' })).status).toBe(404);
  });

  it('validates names, naming the field', async () => {
    const empty = await connector.call('/admin/api/zapier-accounts', { ...admin, method: 'POST', body: { name: '  ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([{ field: 'name', message: 'must not be empty' }]);
    const missing = await connector.call('/admin/api/zapier-accounts', { ...admin, method: 'POST', body: {} });
    expect(missing.body.error.details).toEqual([{ field: 'name', message: 'is required' }]);
  });

  it('requires the admin token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const refused = await connector.call('/admin/api/zapier-accounts', { as: 'none', headers });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('unauthenticated');
    }
    // An App Token is not an admin token.
    expect(
      (await connector.call('/admin/api/zapier-accounts', { as: 'none', headers: { authorization: `Bearer ${connector.account.appToken}` } })).status,
    ).toBe(401);
  });
});

describe.each(connectorDatabases)('regenerating an App Token on the %s database', (database) => {
  let hooks: TestConnector | undefined;
  let oldSink: Sink | undefined;
  let newSink: Sink | undefined;
  let worker: DeliveryWorker | undefined;
  /** Host names other than IP addresses resolve (to 127.0.0.1) only when the test lets them: a subscribe request waits there, between its authentication and its write. */
  const heldLookups: Array<() => void> = [];
  const resolveHost: HostResolver = () => new Promise((resolve) => heldLookups.push(() => resolve([{ address: '127.0.0.1', family: 4 }])));
  beforeAll(async () => {
    [hooks, oldSink, newSink] = await startAll([
      startConnector({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true', CONNECTOR_DELIVERY_POLL_MS: '50' }, { database, resolveHost }),
      startSink(),
      startSink(),
    ]);
  }, 30_000);
  afterAll(() => closeAll(() => worker?.stop(), hooks, oldSink, newSink));

  const subscribe = async (as: Credentials, targetUrl: string) => {
    const created = await hooks!.call('/v1/hooks', { as, method: 'POST', body: { event: 'tag.created', targetUrl } });
    expect(created.status).toBe(201);
    return CreatedSubscription.parse(created.body);
  };
  const newTag = async (name: string) => {
    const tag = await hooks!.call('/v1/tags', { method: 'POST', body: { name: `${name} ${Date.now()}`, colorCode: '#8E24AA' } });
    expect(tag.status).toBe(201);
    return tag.body.id as string;
  };
  const deliveriesOf = async (appId: string) => DeliveryPage.parse((await hooks!.call(`/admin/api/deliveries?appId=${appId}`, admin)).body).data;

  it('ends the subscriptions made with the old token and cancels their pending deliveries, with the reason; new ones with the new token are delivered to', async () => {
    const leaked = await hooks!.addAccount('Leaked Zaps');
    const witness = await hooks!.addAccount('Witness Zaps');
    const oldHooks = [await subscribe(leaked, oldSink!.url), await subscribe(leaked, oldSink!.url)];
    const witnessHook = await subscribe(witness, newSink!.url);
    // No worker yet: the event's deliveries stay pending until regeneration.
    await newTag('Before regeneration');
    expect((await deliveriesOf(leaked.appId)).map((d) => d.status)).toEqual(['pending', 'pending']);

    const renewed = await hooks!.call(`/admin/api/zapier-accounts/${leaked.appId}/regenerate-token`, { ...admin, method: 'POST' });
    expect(renewed.status).toBe(200);
    const current: Credentials = { appId: leaked.appId, appToken: ZapierAccountWithToken.parse(renewed.body).appToken };

    const listed = listOf(AdminSubscription).parse((await hooks!.call(`/admin/api/zapier-accounts/${leaked.appId}/subscriptions`, admin)).body).data;
    expect(listed.map((s) => [s.id, s.status, s.endedReason]).sort()).toEqual(oldHooks.map((s) => [s.id, 'ended', 'token_regenerated']).sort());
    const cancelled = await deliveriesOf(leaked.appId);
    expect(cancelled.map((d) => [d.status, d.lastError])).toEqual([
      ['cancelled', 'subscription ended: App Token regenerated'],
      ['cancelled', 'subscription ended: App Token regenerated'],
    ]);
    // Another account's subscription is untouched, and the old token cannot subscribe again.
    const witnessListed = (await hooks!.call(`/admin/api/zapier-accounts/${witness.appId}/subscriptions`, admin)).body.data;
    expect(witnessListed).toEqual([expect.objectContaining({ id: witnessHook.id, status: 'active', endedReason: null })]);
    const refused = await hooks!.call('/v1/hooks', { as: leaked, method: 'POST', body: { event: 'tag.created', targetUrl: oldSink!.url } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('credentials_revoked');

    const newHook = await subscribe(current, newSink!.url);
    worker = createDeliveryWorker(hooks!.deps);
    worker.start();
    const tagId = await newTag('After regeneration');
    // The witness gets both events, the new subscription only the one made after it.
    const received = await newSink!.waitFor(3, 10_000);
    expect(received.map((r) => JSON.parse(r.body).id).filter((id) => id === tagId)).toHaveLength(2);
    // Once the worker has settled everything, the old subscriptions have had nothing sent.
    const settled = await until(async () => {
      const now = await deliveriesOf(leaked.appId);
      return now.some((d) => d.status === 'pending') ? undefined : now;
    });
    expect(settled.filter((d) => d.subscriptionId === newHook.id).map((d) => d.status)).toEqual(['delivered']);
    expect(settled.filter((d) => d.subscriptionId !== newHook.id).map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
    expect(oldSink!.received).toEqual([]);
  });

  it.each([
    ['its token was regenerated', (appId: string) => hooks!.call(`/admin/api/zapier-accounts/${appId}/regenerate-token`, { ...admin, method: 'POST' })],
    ['its account was deleted', (appId: string) => hooks!.call(`/admin/api/zapier-accounts/${appId}`, { ...admin, method: 'DELETE' })],
  ])('refuses a subscribe request authenticated before %s and writing after: nothing is left made with the old token', async (_, revoke) => {
    const racing = await hooks!.addAccount('Racing Zaps');
    const { port } = new URL(oldSink!.url);
    const inFlight = hooks!.call('/v1/hooks', { as: racing, method: 'POST', body: { event: 'tag.created', targetUrl: `http://slow.test:${port}/hook` } });
    await until(async () => (heldLookups.length > 0 ? true : undefined));
    expect((await revoke(racing.appId)).status).toBe(200);
    heldLookups.shift()!();

    const answer = await inFlight;
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('credentials_revoked');
    expect((await hooks!.call(`/admin/api/zapier-accounts/${racing.appId}/subscriptions`, admin)).body.data).toEqual([]);
  });

  // Only PostgreSQL runs two transactions at once; the embedded database runs them one after another.
  if (database === 'postgres') {
    it('a regeneration that lost a race to another answers 409 and changes nothing, instead of handing out a token that never works', async () => {
      const contested = await hooks!.addAccount('Contested Zaps');
      const kept = await subscribe(contested, oldSink!.url);
      // The other regeneration, uncommitted: it holds the account's row with a new hash.
      const other = await hooks!.db.startTransaction().execute();
      try {
        await other.updateTable('zapier_accounts').set({ token_hash: 'hash-of-the-other-token' }).where('app_id', '=', contested.appId).execute();
        const losing = hooks!.call(`/admin/api/zapier-accounts/${contested.appId}/regenerate-token`, { ...admin, method: 'POST' });
        await until(async () => {
          const { rows } = await sql<{
            waiting: number;
          }>`select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%zapier_accounts%'`.execute(hooks!.db);
          return rows[0]!.waiting > 0 ? true : undefined;
        });
        await other.commit().execute();
        const answer = await losing;
        expect(answer.status).toBe(409);
        expect(answer.body.error.message).toMatch(/changed by another request at the same moment; regenerate it again/);
      } catch (error) {
        await other
          .rollback()
          .execute()
          .catch(() => undefined);
        throw error;
      }
      const row = await hooks!.db
        .selectFrom('zapier_accounts')
        .select(['token_hash', 'previous_token_hash'])
        .where('app_id', '=', contested.appId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ token_hash: 'hash-of-the-other-token', previous_token_hash: null });
      // Rolled back whole: the subscription the loser would have ended is still live.
      const listed = (await hooks!.call(`/admin/api/zapier-accounts/${contested.appId}/subscriptions`, admin)).body.data;
      expect(listed).toEqual([expect.objectContaining({ id: kept.id, status: 'active', endedReason: null })]);
    });
  }
});

describe('public authentication', () => {
  it('answers GET /v1/me with the account, workspace and rate limit', async () => {
    const me = await connector.call('/v1/me');
    expect(me.status).toBe(200);
    expect(Me.parse(me.body)).toEqual({
      account: { id: connector.account.appId, name: 'Test Zaps' },
      workspace: { id: connector.workspaceId, name: 'Contact Centre' },
      rateLimit: { limit: 100, windowSeconds: 60 },
    });
  });

  it.each([
    ['no credentials at all', {}],
    ['no App ID', { authorization: 'Bearer abc' }],
    ['no token', { 'x-app-id': 'app_x' }],
    ['a token that is not Bearer', { 'x-app-id': 'app_x', authorization: 'Token abc' }],
  ])('answers 401 unauthenticated with a hint for %s', async (_case, headers) => {
    const refused = await connector.call('/v1/me', { as: 'none', headers });
    expect(refused.status).toBe(401);
    expect(ApiError.parse(refused.body).error).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringContaining('Send the App ID in X-App-Id and the App Token as a Bearer token'),
    });
  });

  it('answers 401 unauthenticated for an unknown App ID or a wrong token', async () => {
    const unknown = await connector.call('/v1/me', { as: { appId: 'app_unknown', appToken: connector.account.appToken } });
    expect(unknown.body.error.code).toBe('unauthenticated');
    const wrong = await connector.call('/v1/me', { as: { appId: connector.account.appId, appToken: 'cct_wrong' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthenticated');
  });

  it('checks credentials before reading the body', async () => {
    const refused = await connector.call('/v1/contacts', { as: 'none', method: 'POST', rawBody: '{not json' });
    expect(refused.status).toBe(401);
  });
});

describe('workspaces', () => {
  it("keeps each workspace's data to itself", async () => {
    // A second workspace with its own account (the admin API serves the first one only, for now).
    await connector.db.insertInto('workspaces').values({ id: 'ws_other', name: 'Other Centre', created_at: new Date().toISOString() }).execute();
    await seedWorkspaceEssentials(connector.db, 'ws_other');
    const other = await createZapierAccount(connector.db, { workspaceId: 'ws_other', baseUrl: 'https://connector.test' }, 'Other Zaps');
    const otherCredentials = { appId: other.appId, appToken: other.appToken };

    const tag = await connector.call('/v1/tags', { method: 'POST', body: { name: 'Mine', colorCode: '#111111' } });
    const contact = await connector.call('/v1/contacts', { method: 'POST', body: { first_name: 'Only', last_name: 'Mine' } });
    expect((await connector.call('/v1/me', { as: otherCredentials })).body.workspace).toEqual({ id: 'ws_other', name: 'Other Centre' });
    expect((await connector.call('/v1/tags', { as: otherCredentials })).body.data).toEqual([]);
    expect((await connector.call(`/v1/contacts/${contact.body.id}`, { as: otherCredentials })).status).toBe(404);
    expect((await connector.call(`/v1/tags/${tag.body.id}`, { as: otherCredentials, method: 'DELETE' })).status).toBe(404);
    expect((await connector.call('/v1/contacts?fullName=only%20mine', { as: otherCredentials })).body.data).toEqual([]);
    // The admin API does not list the other workspace's account.
    expect((await connector.call('/admin/api/zapier-accounts', admin)).body.data.map((a: { appId: string }) => a.appId)).not.toContain(other.appId);
  });
});

/** Asks again every 50 ms until `check` answers something, for at most 10 s. */
async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const answer = await check();
    if (answer !== undefined) return answer;
  }
  throw new Error('still waiting after 10 s');
}

async function regenerate(appId: string) {
  const response = await connector.call(`/admin/api/zapier-accounts/${appId}/regenerate-token`, { ...admin, method: 'POST' });
  expect(response.status).toBe(200);
  return ZapierAccountWithToken.parse(response.body);
}

/** A subscription and a pending delivery, written directly (the hooks API belongs to the delivery side). */
async function insertSubscriptionWithPendingDelivery(appId: string): Promise<string> {
  const now = new Date().toISOString();
  const subscriptionId = newId('sub');
  const eventId = newId('evt');
  await connector.db
    .insertInto('subscriptions')
    .values({
      id: subscriptionId,
      workspace_id: connector.workspaceId,
      app_id: appId,
      event: 'tag.created',
      target_url: 'https://hooks.example.com/x',
      filters: '{}',
      secret: 'whsec_x',
      status: 'active',
      ended_reason: null,
      created_at: now,
      failing_since: null,
    })
    .execute();
  await connector.db
    .insertInto('events')
    .values({ id: eventId, workspace_id: connector.workspaceId, type: 'tag.created', payload: '{}', occurred_at: now })
    .execute();
  await connector.db
    .insertInto('deliveries')
    .values({
      id: newId('dlv'),
      event_id: eventId,
      subscription_id: subscriptionId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      locked_until: null,
      locked_by: null,
      last_status_code: null,
      last_error: null,
      created_at: now,
      delivered_at: null,
    })
    .execute();
  return subscriptionId;
}
