import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { ApiError, CreatedSubscription, DeliveryDetail, DeliveryPage, AdminSubscription, Subscription } from '../../../contract/index.js';
import type { DeliveryDeps } from '../../src/delivery/deps.js';
import { deliveryAdminRoutes, hookRoutes } from '../../src/delivery/routes.js';
import { installErrorHandling } from '../../src/http/error-handler.js';
import type { Owner } from '../../src/delivery/subscriptions.js';
import type { Storage } from '../../src/storage/db.js';
import { forEachDatabase } from '../support/databases.js';
import { deliveryRows, depsFor, record, seedAccount, subscribe, testDeliverySettings } from '../support/delivery-fixtures.js';

/** The hook routes behind a stand-in for the app's auth: the X-App-Id header names the caller's account. */
async function appFor(deps: DeliveryDeps, accounts: Required<Owner>[]): Promise<FastifyInstance> {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  await app.register(async (v1) => {
    v1.addHook('onRequest', async (request) => {
      const owner = accounts.find((a) => a.appId === request.headers['x-app-id'])!;
      request.account = { ...owner, name: 'Test', workspaceName: 'Test workspace' };
    });
    await hookRoutes(v1, deps);
  });
  await app.register(async (admin) => deliveryAdminRoutes(admin, deps));
  return app;
}

const as = (owner: Owner) => ({ 'x-app-id': owner.appId });

interface Call {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
}

/** Calls the app over real HTTP (light-my-request's inject cannot load under jest's ESM mode). */
async function call(app: FastifyInstance, { method, url, headers = {}, payload }: Call) {
  const address = app.server.address() as { port: number };
  const response = await fetch(`http://127.0.0.1:${address.port}${url}`, {
    method,
    headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  const text = await response.text();
  return { statusCode: response.status, json: () => JSON.parse(text) };
}

forEachDatabase((database) => {
  let storage: Storage;
  let alice: Required<Owner>;
  let bob: Required<Owner>;
  let app: FastifyInstance;
  const open = async (settings = testDeliverySettings()) => {
    storage = await database.open();
    alice = await seedAccount(storage, 'Alice');
    bob = await seedAccount(storage, 'Bob');
    app = await appFor(depsFor(storage, settings), [alice, bob]);
    await app.listen({ port: 0, host: '127.0.0.1' });
    database.afterThisTest(() => app.close());
  };

  describe('POST /v1/hooks', () => {
    it('creates a subscription with its own signing secret, once per call', async () => {
      await open();
      const body = { event: 'enquiry.created', targetUrl: 'https://93.184.216.34/hooks/standard/1/abc/', filters: { channel: 'web' } };
      const first = await call(app, { method: 'POST', url: '/v1/hooks', headers: as(alice), payload: body });
      const second = await call(app, { method: 'POST', url: '/v1/hooks', headers: as(alice), payload: body });

      expect(first.statusCode).toBe(201);
      const a = CreatedSubscription.parse(first.json());
      const b = CreatedSubscription.parse(second.json());
      expect(a).toMatchObject({ event: 'enquiry.created', targetUrl: body.targetUrl, filters: { channel: 'web' }, status: 'active' });
      expect(a.id).not.toBe(b.id);
      expect(a.secret).not.toBe(b.secret);
      expect(Buffer.from(a.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    });

    it('refuses a target in a private network with 422 and a sentence', async () => {
      await open(testDeliverySettings({ allowPrivateTargets: false }));
      const response = await call(app, {
        method: 'POST',
        url: '/v1/hooks',
        headers: as(alice),
        payload: { event: 'tag.created', targetUrl: 'http://localhost:8080/hook' },
      });
      expect(response.statusCode).toBe(422);
      const { error } = ApiError.parse(response.json());
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(
        /^The target URL was refused\. The target URL points into a private network: localhost resolves to .+, a loopback address\./,
      );
      expect(error.details).toEqual([{ field: 'targetUrl', message: expect.stringContaining('loopback') }]);
      expect(await storage.db.selectFrom('subscriptions').selectAll().execute()).toHaveLength(0);
    });

    it('refuses a target whose host does not exist with 422', async () => {
      await open();
      const response = await call(app, {
        method: 'POST',
        url: '/v1/hooks',
        headers: as(alice),
        payload: { event: 'tag.created', targetUrl: 'https://no-such-host.invalid/hook' },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().error.message).toContain('no-such-host.invalid could not be resolved');
    });

    it('answers a bad body with 400 naming the field', async () => {
      await open();
      const response = await call(app, {
        method: 'POST',
        url: '/v1/hooks',
        headers: as(alice),
        payload: { event: 'tag.created', targetUrl: 'https://x.example/h', filters: { channel: 'web' } },
      });
      expect(response.statusCode).toBe(400);
      expect(ApiError.parse(response.json()).error.details).toEqual([{ field: 'filters.channel', message: expect.stringContaining('not a filter') }]);
    });
  });

  describe('DELETE /v1/hooks/:id', () => {
    it("ends the account's own subscription and cancels its pending deliveries", async () => {
      await open();
      const subscription = await subscribe(storage, alice, { event: 'tag.created', targetUrl: 'https://x.example/hook' });
      await record(storage, alice, 'tag.created');

      const response = await call(app, { method: 'DELETE', url: `/v1/hooks/${subscription.id}`, headers: as(alice) });
      expect(response.statusCode).toBe(200);
      expect(Subscription.parse(response.json())).toMatchObject({ id: subscription.id, status: 'ended' });
      expect((await deliveryRows(storage)).map((d) => d.status)).toEqual(['cancelled']);

      const again = await call(app, { method: 'DELETE', url: `/v1/hooks/${subscription.id}`, headers: as(alice) });
      expect(again.statusCode).toBe(200);
    });

    it("answers 404 for another account's subscription and leaves it alone", async () => {
      await open();
      const subscription = await subscribe(storage, alice, { event: 'tag.created', targetUrl: 'https://x.example/hook' });
      const response = await call(app, { method: 'DELETE', url: `/v1/hooks/${subscription.id}`, headers: as(bob) });
      expect(response.statusCode).toBe(404);
      expect(ApiError.parse(response.json()).error.code).toBe('not_found');
      const row = await storage.db.selectFrom('subscriptions').select('status').where('id', '=', subscription.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('active');
    });
  });

  it("GET /v1/hooks lists only the account's live subscriptions", async () => {
    await open();
    const kept = await subscribe(storage, alice, { event: 'tag.created', targetUrl: 'https://x.example/1' });
    const ended = await subscribe(storage, alice, { event: 'tag.created', targetUrl: 'https://x.example/2' });
    await subscribe(storage, bob, { event: 'tag.created', targetUrl: 'https://x.example/3' });
    await call(app, { method: 'DELETE', url: `/v1/hooks/${ended.id}`, headers: as(alice) });

    const response = await call(app, { method: 'GET', url: '/v1/hooks', headers: as(alice) });
    expect(response.statusCode).toBe(200);
    expect(response.json().data.map((s: Subscription) => s.id)).toEqual([kept.id]);
    expect(response.json().data[0]).not.toHaveProperty('secret');
  });

  it("GET /v1/hooks/samples gives the workspace's payloads of one event type, newest first, as delivered", async () => {
    await open();
    const first = await record(storage, alice, 'tag.created', { name: 'first' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await record(storage, alice, 'tag.created', { name: 'second' });
    await record(storage, alice, 'tag.deleted');
    await record(storage, bob, 'tag.created', { name: 'bob' });

    const response = await call(app, { method: 'GET', url: '/v1/hooks/samples?event=tag.created', headers: as(alice) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: [second, first] });

    const limited = await call(app, { method: 'GET', url: '/v1/hooks/samples?event=tag.created&limit=1', headers: as(alice) });
    expect(limited.json()).toEqual({ data: [second] });

    const bad = await call(app, { method: 'GET', url: '/v1/hooks/samples?event=nope', headers: as(alice) });
    expect(bad.statusCode).toBe(400);
  });

  describe('admin', () => {
    /** Two failed deliveries of one subscription, as if its receiver had been down. */
    async function failedDeliveries(status: 'active' | 'disabled') {
      const subscription = await subscribe(storage, alice, { event: 'tag.created', targetUrl: 'https://x.example/hook' });
      await record(storage, alice, 'tag.created');
      await record(storage, alice, 'tag.created');
      await storage.db.updateTable('deliveries').set({ status: 'failed', attempts: 8, last_status_code: 500, last_error: 'HTTP 500' }).execute();
      await storage.db
        .insertInto('delivery_attempts')
        .values(
          (await deliveryRows(storage)).map((d, i) => ({
            id: `att_${i}`,
            delivery_id: d.id,
            attempt: 1,
            started_at: new Date().toISOString(),
            duration_ms: 12,
            status_code: 500,
            error: 'HTTP 500',
            outcome: 'retry' as const,
          })),
        )
        .execute();
      if (status === 'disabled') {
        await storage.db.updateTable('subscriptions').set({ status: 'disabled', ended_reason: 'failing', failing_since: new Date().toISOString() }).execute();
      }
      return { subscription, deliveries: await deliveryRows(storage) };
    }

    it("lists an account's subscriptions with why they stopped", async () => {
      await open();
      const { subscription } = await failedDeliveries('disabled');
      const response = await call(app, { method: 'GET', url: `/admin/api/zapier-accounts/${alice.appId}/subscriptions` });
      expect(response.statusCode).toBe(200);
      const [only] = response.json().data.map((s: unknown) => AdminSubscription.parse(s));
      expect(only).toMatchObject({ id: subscription.id, appId: alice.appId, status: 'disabled', endedReason: 'failing' });
      expect(only.failingSince).not.toBeNull();
    });

    it('pages through the delivery log newest first, filtered by account and status', async () => {
      await open();
      await failedDeliveries('active');
      const bobs = await subscribe(storage, bob, { event: 'tag.created', targetUrl: 'https://x.example/bob' });
      await record(storage, bob, 'tag.created');

      const first = DeliveryPage.parse((await call(app, { method: 'GET', url: `/admin/api/deliveries?appId=${alice.appId}&limit=1` })).json());
      expect(first.data).toHaveLength(1);
      expect(first.nextBefore).toBe(first.data[0]!.id);
      const second = DeliveryPage.parse(
        (await call(app, { method: 'GET', url: `/admin/api/deliveries?appId=${alice.appId}&limit=1&before=${first.nextBefore}` })).json(),
      );
      expect(second.data).toHaveLength(1);
      expect(second.nextBefore).toBeNull();
      expect(second.data[0]!.id < first.data[0]!.id).toBe(true);
      expect(first.data[0]).toMatchObject({
        eventType: 'tag.created',
        status: 'failed',
        attempts: 8,
        lastStatusCode: 500,
        lastError: 'HTTP 500',
        nextAttemptAt: null,
      });

      const pending = DeliveryPage.parse((await call(app, { method: 'GET', url: '/admin/api/deliveries?status=pending' })).json());
      expect(pending.data.map((d) => d.subscriptionId)).toEqual([bobs.id]);
      expect(pending.data[0]!.nextAttemptAt).not.toBeNull();
    });

    it('shows one delivery with its payload and every attempt', async () => {
      await open();
      const { deliveries } = await failedDeliveries('active');
      const response = await call(app, { method: 'GET', url: `/admin/api/deliveries/${deliveries[0]!.id}` });
      expect(response.statusCode).toBe(200);
      const detail = DeliveryDetail.parse(response.json());
      expect(detail.attemptLog).toEqual([{ attempt: 1, startedAt: expect.any(String), durationMs: 12, statusCode: 500, error: 'HTTP 500', outcome: 'retry' }]);
      expect(detail.payload).toMatchObject({ event: 'tag.created', eventId: detail.eventId });
      expect((await call(app, { method: 'GET', url: '/admin/api/deliveries/dlv_nope' })).statusCode).toBe(404);
    });

    it('retries a failed delivery now', async () => {
      await open();
      const { deliveries } = await failedDeliveries('active');
      const response = await call(app, { method: 'POST', url: `/admin/api/deliveries/${deliveries[0]!.id}/retry` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'pending', attempts: 8 });
      expect(Date.parse(response.json().nextAttemptAt)).toBeLessThanOrEqual(Date.now());
    });

    it('refuses to retry on a disabled subscription unless told to reactivate it', async () => {
      await open();
      const { subscription, deliveries } = await failedDeliveries('disabled');
      const refused = await call(app, { method: 'POST', url: `/admin/api/deliveries/${deliveries[0]!.id}/retry` });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toContain('?reactivate=true');

      const retried = await call(app, { method: 'POST', url: `/admin/api/deliveries/${deliveries[0]!.id}/retry?reactivate=true` });
      expect(retried.statusCode).toBe(200);
      const row = await storage.db.selectFrom('subscriptions').selectAll().where('id', '=', subscription.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'active', ended_reason: null, failing_since: null });
      // The other failed delivery stays failed: each is retried on purpose, one by one.
      expect((await deliveryRows(storage)).map((d) => d.status).sort()).toEqual(['failed', 'pending']);
    });

    it('refuses to retry a delivered delivery or one of an ended subscription', async () => {
      await open();
      const { subscription, deliveries } = await failedDeliveries('active');
      await storage.db.updateTable('deliveries').set({ status: 'delivered' }).where('id', '=', deliveries[0]!.id).execute();
      expect((await call(app, { method: 'POST', url: `/admin/api/deliveries/${deliveries[0]!.id}/retry` })).statusCode).toBe(409);
      await call(app, { method: 'DELETE', url: `/v1/hooks/${subscription.id}`, headers: as(alice) });
      const ended = await call(app, { method: 'POST', url: `/admin/api/deliveries/${deliveries[1]!.id}/retry` });
      expect(ended.statusCode).toBe(409);
      expect(ended.json().error.message).toContain('has ended (unsubscribed)');
    });

    it('re-enables a disabled subscription, but not an ended one', async () => {
      await open();
      const { subscription } = await failedDeliveries('disabled');
      const response = await call(app, { method: 'POST', url: `/admin/api/subscriptions/${subscription.id}/enable` });
      expect(response.statusCode).toBe(200);
      expect(AdminSubscription.parse(response.json())).toMatchObject({ status: 'active', endedReason: null, failingSince: null });

      await call(app, { method: 'DELETE', url: `/v1/hooks/${subscription.id}`, headers: as(alice) });
      expect((await call(app, { method: 'POST', url: `/admin/api/subscriptions/${subscription.id}/enable` })).statusCode).toBe(409);
      expect((await call(app, { method: 'POST', url: '/admin/api/subscriptions/sub_nope/enable' })).statusCode).toBe(404);
    });
  });
});
