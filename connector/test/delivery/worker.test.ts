import { Webhook } from 'standardwebhooks';
import { getDelivery } from '../../src/delivery/delivery-log.js';
import { sendWebhook, createHttpAgents, USER_AGENT } from '../../src/delivery/sender.js';
import { claimDueDeliveries, pruneEvents } from '../../src/delivery/store.js';
import { unsubscribe } from '../../src/delivery/subscriptions.js';
import { forEachDatabase } from '../support/databases.js';
import {
  attemptRows,
  deliveryRows,
  depsFor,
  eventually,
  record,
  seedAccount,
  startWorker,
  subscribe,
  subscriptionRow,
  testDeliverySettings,
} from '../support/delivery-fixtures.js';
import { sinksClosedAfterEach } from '../support/sink.js';

forEachDatabase((database) => {
  const sink = sinksClosedAfterEach();

  const delivered = (storage: Awaited<ReturnType<typeof database.open>>, count: number) =>
    eventually(
      async () => {
        const rows = await deliveryRows(storage);
        return rows.filter((r) => r.status !== 'pending').length >= count && rows;
      },
      5000,
      `${count} finished deliveries`,
    );

  it('signs with Standard Webhooks and sends the stored payload byte for byte', async () => {
    const storage = await database.open();
    const receiver = await sink();
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'enquiry.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings()));

    const payload = await record(storage, owner, 'enquiry.created');
    const [request] = await receiver.waitFor(1);
    const stored = await storage.db.selectFrom('events').select('payload').where('id', '=', payload.eventId).executeTakeFirstOrThrow();

    expect(request!.body).toBe(stored.payload);
    expect(request!.headers['webhook-id']).toBe(payload.eventId);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe(USER_AGENT);
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const verified = new Webhook(subscription.secret).verify(request!.body, request!.headers as Record<string, string>);
    expect(verified).toEqual(payload);

    const [row] = await delivered(storage, 1);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200, last_error: null, locked_by: null });
    expect(await attemptRows(storage, row!.id)).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, outcome: 'delivered' })]);
  });

  it('retries a failing receiver on the schedule with the same webhook-id, and success clears the failure clock', async () => {
    const storage = await database.open();
    const receiver = await sink((n) => ({ status: n <= 2 ? 500 : 200, body: n <= 2 ? 'database down' : 'ok' }));
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings({ retryScheduleMs: [0, 100, 200, 300] })));

    const payload = await record(storage, owner, 'tag.created');
    const requests = await receiver.waitFor(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([payload.eventId]));
    // 100 ms then 200 ms, each within the ±20 % jitter.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(80);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(160);

    const [row] = await delivered(storage, 1);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200 });
    const attempts = await attemptRows(storage, row!.id);
    expect(attempts.map((a) => [a.attempt, a.status_code, a.outcome])).toEqual([
      [1, 500, 'retry'],
      [2, 500, 'retry'],
      [3, 200, 'delivered'],
    ]);
    expect(attempts[0]!.error).toBe('HTTP 500: database down');
    expect((await subscriptionRow(storage, subscription.id)).failing_since).toBeNull();
  });

  it('honours Retry-After when it asks for longer than the schedule', async () => {
    const storage = await database.open();
    const receiver = await sink((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings({ retryScheduleMs: [0, 20] })));

    await record(storage, owner, 'tag.created');
    const requests = await receiver.waitFor(2, 5000);
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('treats a redirect as a failure and never follows it', async () => {
    const storage = await database.open();
    const elsewhere = await sink();
    const receiver = await sink(() => ({ status: 302, headers: { location: elsewhere.url } }));
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings({ retryScheduleMs: [0, 20] })));

    await record(storage, owner, 'tag.created');
    const [row] = await delivered(storage, 1);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, last_status_code: 302 });
    expect(row!.last_error).toContain('redirects are not followed');
    expect(receiver.received).toHaveLength(2);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('ends the subscription on 410 Gone after exactly one attempt and cancels its other deliveries', async () => {
    const storage = await database.open();
    const receiver = await sink(() => ({ status: 410 }));
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    await record(storage, owner, 'tag.created');
    await record(storage, owner, 'tag.created');
    await record(storage, owner, 'tag.created');
    startWorker(database, depsFor(storage, testDeliverySettings({ concurrency: 1 })));

    await eventually(async () => (await subscriptionRow(storage, subscription.id)).status === 'ended', 5000, 'the subscription ending');
    expect(await subscriptionRow(storage, subscription.id)).toMatchObject({ status: 'ended', ended_reason: 'gone' });
    const rows = await deliveryRows(storage);
    expect(rows.map((r) => r.status).sort()).toEqual(['cancelled', 'cancelled', 'failed']);
    expect(rows.find((r) => r.status === 'failed')).toMatchObject({ attempts: 1, last_status_code: 410 });

    await record(storage, owner, 'tag.created');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.received).toHaveLength(1);
    expect(await deliveryRows(storage)).toHaveLength(3);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const storage = await database.open();
    const receiver = await sink(() => ({ status: 200, delayMs: 1000 }));
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings({ timeoutMs: 100, retryScheduleMs: [0, 20] })));

    await record(storage, owner, 'tag.created');
    const [row] = await delivered(storage, 1);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, last_status_code: null, last_error: 'timed out after 0.1 s' });
    const attempts = await attemptRows(storage, row!.id);
    expect(attempts.map((a) => a.outcome)).toEqual(['retry', 'failed']);
    expect(attempts.every((a) => a.duration_ms >= 90 && a.duration_ms < 900)).toBe(true);
  });

  it('disables a subscription that keeps failing, stops its deliveries, and keeps every attempt listable', async () => {
    const storage = await database.open();
    const receiver = await sink(() => ({ status: 503 }));
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    const deps = depsFor(storage, testDeliverySettings({ retryScheduleMs: [0, 50, 50, 50, 50, 50, 50, 50, 50, 50], disableAfterFailingMs: 200 }));
    startWorker(database, deps);

    await record(storage, owner, 'tag.created');
    await eventually(async () => (await subscriptionRow(storage, subscription.id)).status === 'disabled', 5000, 'the subscription being disabled');
    const sub = await subscriptionRow(storage, subscription.id);
    expect(sub).toMatchObject({ status: 'disabled', ended_reason: 'failing' });
    expect(sub.failing_since).not.toBeNull();

    const [row] = await deliveryRows(storage);
    expect(row!.status).toBe('failed');
    expect(row!.last_error).toMatch(/^subscription disabled: every attempt has failed since /);
    const detail = await getDelivery(storage.db, row!.id);
    expect(detail.attemptLog.length).toBeGreaterThanOrEqual(3);
    expect(detail.attemptLog.length).toBeLessThan(10);
    expect(detail.attemptLog.every((a) => a.statusCode === 503)).toBe(true);
    expect(deps.log).toHaveProperty(
      'lines',
      expect.arrayContaining([expect.objectContaining({ level: 'warn', message: expect.stringContaining('subscription disabled') })]),
    );

    // Nothing more is sent to it, and new events make no deliveries for it.
    const sent = receiver.received.length;
    await record(storage, owner, 'tag.created');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.received).toHaveLength(sent);
    expect(await deliveryRows(storage)).toHaveLength(1);
  });

  it('checks the target again at delivery time and refuses a private address', async () => {
    const storage = await database.open();
    const receiver = await sink();
    const owner = await seedAccount(storage);
    // Subscribed while allowed (or before DNS changed): the delivery-time check still applies.
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    startWorker(database, depsFor(storage, testDeliverySettings({ allowPrivateTargets: false, retryScheduleMs: [0, 20] })));

    await record(storage, owner, 'tag.created');
    const [row] = await delivered(storage, 1);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, last_status_code: null });
    expect(row!.last_error).toMatch(/points into a private network: 127\.0\.0\.1, a loopback address/);
    expect(receiver.received).toHaveLength(0);
  });

  it('counts attempts by outcome and times them in the metrics registry', async () => {
    const storage = await database.open();
    const receiver = await sink((n) => ({ status: n === 1 ? 500 : 200 }));
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    const deps = depsFor(storage, testDeliverySettings());
    startWorker(database, deps);

    await record(storage, owner, 'tag.created');
    await delivered(storage, 1);
    const text = await deps.metricsRegistry!.metrics();
    expect(text).toContain('connector_webhook_attempts_total{outcome="retry"} 1');
    expect(text).toContain('connector_webhook_attempts_total{outcome="delivered"} 1');
    expect(text).toMatch(/connector_webhook_attempt_duration_seconds_count\{status_class="5xx"\} 1/);
    expect(text).toContain('connector_webhook_delivery_lag_seconds_count 1');
    expect(text).toContain('connector_webhook_pending_deliveries 0');
  });

  it("delivers only what matches a subscription's filters", async () => {
    const storage = await database.open();
    const webOnly = await sink();
    const everything = await sink();
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'enquiry.created', targetUrl: webOnly.url, filters: { channel: 'web' } });
    await subscribe(storage, owner, { event: 'enquiry.created', targetUrl: everything.url });
    startWorker(database, depsFor(storage, testDeliverySettings()));

    const web = await record(storage, owner, 'enquiry.created', { channel: 'web' });
    const phone = await record(storage, owner, 'enquiry.created', { channel: 'phone' });
    await everything.waitFor(2);
    await delivered(storage, 3);
    expect(webOnly.received.map((r) => r.headers['webhook-id'])).toEqual([web.eventId]);
    expect(everything.received.map((r) => r.headers['webhook-id']).sort()).toEqual([web.eventId, phone.eventId].sort());
  });

  it('sends nothing for a subscription ended before its delivery went out', async () => {
    const storage = await database.open();
    const receiver = await sink();
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    await record(storage, owner, 'tag.created');

    const ended = await unsubscribe(storage.db, owner.appId, subscription.id);
    expect(ended).toMatchObject({ id: subscription.id, status: 'ended' });
    startWorker(database, depsFor(storage, testDeliverySettings()));
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(receiver.received).toHaveLength(0);
    const [row] = await deliveryRows(storage);
    expect(row).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(await subscriptionRow(storage, subscription.id)).toMatchObject({ ended_reason: 'unsubscribed' });
  });

  it('redelivers a delivery whose claim expired (a killed worker) with the same webhook-id', async () => {
    const storage = await database.open();
    const receiver = await sink();
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    const payload = await record(storage, owner, 'tag.created');

    // A worker claims it, sends it, and dies before recording the outcome.
    const [claimed] = await claimDueDeliveries(storage, { workerId: 'killed-worker', limit: 10, lockMs: 300 });
    const agents = createHttpAgents(1);
    await sendWebhook(
      { id: claimed!.eventId, body: claimed!.payload, targetUrl: subscription.targetUrl, secret: subscription.secret },
      { allowPrivateTargets: true, timeoutMs: 1000, agents },
    );
    agents.destroy();

    const claimedAt = performance.now();
    startWorker(database, depsFor(storage, testDeliverySettings()));
    const requests = await receiver.waitFor(2);
    expect(requests[1]!.at - claimedAt).toBeGreaterThanOrEqual(200);
    expect(requests.map((r) => r.headers['webhook-id'])).toEqual([payload.eventId, payload.eventId]);
    const [row] = await delivered(storage, 1);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('lets two workers share the work, delivering every event exactly once', async () => {
    const storage = await database.open();
    // On PostgreSQL each worker has its own pool, as two connector processes would.
    const other = database.kind === 'postgres' ? await database.connect() : storage;
    const receiver = await sink();
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    const events = 200;
    for (let i = 0; i < events; i++) await record(storage, owner, 'tag.created');

    startWorker(database, depsFor(storage, testDeliverySettings()), 'worker-a');
    startWorker(database, depsFor(other, testDeliverySettings()), 'worker-b');
    await receiver.waitFor(events, 15000);
    const rows = await delivered(storage, events);

    await new Promise((resolve) => setTimeout(resolve, 100));
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(events);
    expect(new Set(ids).size).toBe(events);
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  }, 30000);

  it('waits for the attempts in flight when stopped', async () => {
    const storage = await database.open();
    const receiver = await sink(() => ({ status: 200, delayMs: 200 }));
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    const worker = startWorker(database, depsFor(storage, testDeliverySettings()));

    await record(storage, owner, 'tag.created');
    await receiver.waitFor(1);
    await worker.stop();
    const [row] = await deliveryRows(storage);
    expect(row).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('prunes old events that have nothing left to deliver', async () => {
    const storage = await database.open();
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: 'https://example.com/hook' });
    const done = await record(storage, owner, 'tag.created');
    const waiting = await record(storage, owner, 'tag.created');
    await storage.db.updateTable('deliveries').set({ status: 'delivered' }).where('event_id', '=', done.eventId).execute();
    expect(subscription.status).toBe('active');

    expect(await pruneEvents(storage.db, new Date(Date.now() + 1000).toISOString())).toBe(1);
    const left = await storage.db.selectFrom('events').select('id').execute();
    expect(left.map((e) => e.id)).toEqual([waiting.eventId]);
    expect(await deliveryRows(storage)).toHaveLength(1);
  });
});
