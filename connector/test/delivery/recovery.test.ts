/**
 * Recovery after an outage: every failed or waiting delivery of one Zapier account (or one
 * subscription) since a time, attempted again in one action. Time bounds, idempotence (each
 * event reaches the Zap once, however often it runs), disabled subscriptions re-enabled, ended
 * ones and other accounts untouched. On both databases, with a real worker and a real receiver.
 */
import { recoverDeliveries, recoveryStatus } from '../../src/delivery/recovery.js';
import type { Storage } from '../../src/storage/db.js';
import { forEachDatabase } from '../support/databases.js';
import { depsFor, eventually, record, seedAccount, startWorker, subscribe, testDeliverySettings } from '../support/delivery-fixtures.js';
import { startSink, type Sink } from '../support/sink.js';

/** A receiver that is down (503) until `up()`, then answers 200. */
async function outage(): Promise<Sink & { up(): void }> {
  let down = true;
  const sink = await startSink(() => ({ status: down ? 503 : 200 }));
  return Object.assign(sink, { up: () => (down = false) });
}

const statusesOf = async (storage: Storage, subscriptionId: string) =>
  (await storage.db.selectFrom('deliveries').select('status').where('subscription_id', '=', subscriptionId).execute()).map((d) => d.status).sort();

const webhookIds = (sink: Sink) => sink.received.map((r) => String(r.headers['webhook-id']));

/** The shared poll (delivery-fixtures' eventually), with the waits these tests need. */
const until = (check: () => Promise<boolean>, what: string, timeoutMs = 10_000) => eventually(check, timeoutMs, what);

forEachDatabase((database) => {
  it('retries every failed delivery since the time once the receiver is back, each event reaching it once, however often it runs', async () => {
    const storage = await database.open();
    const sink = await outage();
    database.afterThisTest(() => sink.close());
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: sink.url });
    // One attempt then failed: no retries, so the outage leaves them failed.
    startWorker(database, depsFor(storage, testDeliverySettings({ retryScheduleMs: [0] })));
    const before = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 20; i++) await record(storage, owner, 'tag.created');
    await until(async () => (await statusesOf(storage, subscription.id)).every((s) => s === 'failed'), 'every delivery to fail');
    expect(await statusesOf(storage, subscription.id)).toEqual(Array(20).fill('failed'));

    const preview = await recoveryStatus(storage.db, owner.appId, { since: before });
    expect(preview).toMatchObject({ toRetry: 20, toReactivate: 0, inFlight: 0, delivered: 0, failed: 20, subscriptionId: null });

    sink.up();
    const attemptsBefore = sink.received.length;
    const first = await recoverDeliveries(storage.db, owner.appId, { since: before });
    const second = await recoverDeliveries(storage.db, owner.appId, { since: before }); // clicked twice
    expect(first.retried).toBe(20);
    expect(second.retried).toBe(0);
    await until(async () => (await recoveryStatus(storage.db, owner.appId, { since: before })).delivered === 20, 'the recovery to finish');
    const after = await recoveryStatus(storage.db, owner.appId, { since: before });
    expect(after).toMatchObject({ toRetry: 0, inFlight: 0, delivered: 20, failed: 0 });
    // Each event's delivery after the recovery arrived once: no event twice since the receiver came back.
    const sinceBack = webhookIds(sink).slice(attemptsBefore);
    expect(sinceBack).toHaveLength(20);
    expect(new Set(sinceBack).size).toBe(20);
    expect((await recoverDeliveries(storage.db, owner.appId, { since: before })).retried).toBe(0);
  }, 30_000);

  it('keeps to its bounds: the time, the subscription, the account; ended subscriptions stay ended', async () => {
    const storage = await database.open();
    const sink = await outage();
    database.afterThisTest(() => sink.close());
    const owner = await seedAccount(storage, 'Recovering');
    const neighbour = await seedAccount(storage, 'Neighbour');
    const chosen = await subscribe(storage, owner, { event: 'tag.created', targetUrl: `${sink.url}/chosen` });
    const other = await subscribe(storage, owner, { event: 'tag.created', targetUrl: `${sink.url}/other` });
    const theirs = await subscribe(storage, neighbour, { event: 'tag.created', targetUrl: `${sink.url}/theirs` });
    const worker = startWorker(database, depsFor(storage, testDeliverySettings({ retryScheduleMs: [0] })));

    for (let i = 0; i < 3; i++) await record(storage, owner, 'tag.created');
    await record(storage, neighbour, 'tag.created');
    await until(
      async () => (await storage.db.selectFrom('deliveries').select('id').where('status', '=', 'failed').execute()).length === 7,
      'the first deliveries to fail',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await record(storage, owner, 'tag.created'); // after `since`: one more failure per subscription of the owner
    await until(
      async () => (await storage.db.selectFrom('deliveries').select('id').where('status', '=', 'failed').execute()).length === 9,
      'the later deliveries to fail',
    );
    await worker.stop(); // nothing else moves while the bounds are checked

    expect(await recoveryStatus(storage.db, owner.appId, { since })).toMatchObject({ toRetry: 2, failed: 2 });
    const result = await recoverDeliveries(storage.db, owner.appId, { since, subscriptionId: chosen.id });
    expect(result.retried).toBe(1);
    expect(await statusesOf(storage, chosen.id)).toEqual(['failed', 'failed', 'failed', 'pending']);
    expect(await statusesOf(storage, other.id)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(await statusesOf(storage, theirs.id)).toEqual(['failed']);

    // Another account's subscription is not this account's to recover.
    await expect(recoverDeliveries(storage.db, owner.appId, { since, subscriptionId: theirs.id })).rejects.toThrow(/No subscription of Zapier account/);
    await expect(recoveryStatus(storage.db, 'app_nope', { since })).rejects.toThrow(/No Zapier account/);
    await expect(recoveryStatus(storage.db, owner.appId, { since: new Date(Date.now() + 60_000).toISOString() })).rejects.toThrow(
      /since must not be in the future/,
    );

    // An ended subscription's failures are not retried.
    await storage.db.updateTable('subscriptions').set({ status: 'ended', ended_reason: 'gone' }).where('id', '=', other.id).execute();
    const old = new Date(Date.now() - 3_600_000).toISOString();
    expect((await recoveryStatus(storage.db, owner.appId, { since: old })).toRetry).toBe(3); // chosen's three older failures
  }, 30_000);

  it('re-enables a subscription disabled for failing, with its deliveries', async () => {
    const storage = await database.open();
    const sink = await outage();
    database.afterThisTest(() => sink.close());
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: sink.url });
    // Disabled after the first failure: the run of failures may last no time at all.
    const settings = testDeliverySettings({ retryScheduleMs: [0, 60_000], disableAfterFailingMs: 0 });
    const worker = startWorker(database, depsFor(storage, settings));
    const since = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++) await record(storage, owner, 'tag.created');
    await until(
      async () =>
        (await storage.db.selectFrom('subscriptions').select('status').where('id', '=', subscription.id).executeTakeFirstOrThrow()).status === 'disabled',
      'the subscription to be disabled',
    );
    await until(async () => (await statusesOf(storage, subscription.id)).every((s) => s === 'failed'), 'its deliveries to fail');
    // Attempts still in flight when it was disabled finish here: one recorded after the recovery
    // would count as a new failure and, with no time allowed for failing, disable it again.
    await worker.stop();

    expect(await recoveryStatus(storage.db, owner.appId, { since })).toMatchObject({ toRetry: 3, toReactivate: 1 });
    sink.up();
    expect(await recoverDeliveries(storage.db, owner.appId, { since })).toMatchObject({ retried: 3, reactivated: 1 });
    expect(
      await storage.db.selectFrom('subscriptions').select(['status', 'failing_since']).where('id', '=', subscription.id).executeTakeFirstOrThrow(),
    ).toEqual({ status: 'active', failing_since: null });
    startWorker(database, depsFor(storage, settings));
    await until(async () => (await statusesOf(storage, subscription.id)).every((s) => s === 'delivered'), 'the recovered deliveries to arrive');
  }, 30_000);
});
