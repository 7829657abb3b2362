/**
 * A subscription that stops on its own (disabled after failing too long, ended by a 410) leaves
 * one notice: listed for the admin page until dismissed, counted in /metrics, and emailed once to
 * CONNECTOR_NOTICE_EMAIL through the mailer. On both databases, with a real worker and receiver.
 */
import type { Registry } from 'prom-client';
import { dismissNotice, listNotices } from '../../src/delivery/notices.js';
import { createMailer } from '../../src/mail/mailer.js';
import type { Storage } from '../../src/storage/db.js';
import { forEachDatabase } from '../support/databases.js';
import { depsFor, eventually, record, seedAccount, startWorker, subscribe, testDeliverySettings } from '../support/delivery-fixtures.js';
import { startSink } from '../support/sink.js';
import { startSmtpSink } from '../support/smtp-sink.js';

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** The shared poll (delivery-fixtures' eventually), with the waits these tests need. */
const until = (check: () => Promise<boolean>, what: string, timeoutMs = 10_000) => eventually(check, timeoutMs, what);

const noticeCount = async (registry: Registry, reason: string) =>
  (await registry.getSingleMetric('connector_subscription_notices_total')!.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

const subscriptionStatus = async (storage: Storage, id: string) =>
  (await storage.db.selectFrom('subscriptions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

forEachDatabase((database) => {
  it('a subscription disabled for failing leaves one notice, counted, listed until dismissed, and emailed once', async () => {
    const storage = await database.open();
    const sink = await startSink(() => ({ status: 500 }));
    const smtp = await startSmtpSink();
    database.afterThisTest(() => Promise.all([sink.close(), smtp.close()]));
    const owner = await seedAccount(storage, 'Ops Zaps');
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: sink.url });
    const deps = depsFor(storage, testDeliverySettings({ retryScheduleMs: [0], disableAfterFailingMs: 0, noticeEmail: 'ops@acme.example' }));
    startWorker(database, deps);
    for (let i = 0; i < 5; i++) await record(storage, owner, 'tag.created'); // five failures: one subscription, one notice
    await until(async () => (await subscriptionStatus(storage, subscription.id)) === 'disabled', 'the subscription to be disabled');
    await until(
      async () => sink.received.length >= 1 && (await storage.db.selectFrom('deliveries').select('id').where('status', '=', 'pending').execute()).length === 0,
      'nothing left to send',
    );

    const [notice, ...others] = await listNotices(storage.db, { include: 'open' });
    expect(others).toEqual([]);
    expect(notice).toMatchObject({
      appId: owner.appId,
      accountName: 'Ops Zaps',
      subscriptionId: subscription.id,
      event: 'tag.created',
      targetUrl: sink.url,
      reason: 'failing',
      dismissedAt: null,
    });
    expect(notice!.message).toMatch(
      /^The subscription of "Ops Zaps" to tag.created \(http:\/\/127\.0\.0\.1:\d+\/hook\) was disabled: every delivery has failed since .+ \(the last: HTTP 500\)\. Fix the Zap's endpoint, then recover its deliveries/,
    );
    expect(notice!.email).toEqual({ status: 'pending', to: 'ops@acme.example' });
    expect(await noticeCount(deps.metricsRegistry!, 'failing')).toBe(1);

    const mailer = createMailer(
      { db: storage.db, storage, settings: { smtp: { url: smtp.url, from: 'Connector <connector@acme.example>' } }, log: silent },
      { queue: 'subscription_notices' },
    );
    database.afterThisTest(() => mailer.stop());
    expect(await mailer.sendDue()).toBe(1);
    expect(await mailer.sendDue()).toBe(0);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ to: ['ops@acme.example'] });
    expect(smtp.received[0]!.data).toMatch(/Subject: Zap subscription disabled: tag.created/);
    expect(smtp.received[0]!.data).toContain(subscription.id);
    expect((await listNotices(storage.db, { include: 'open' }))[0]!.email.status).toBe('sent');

    const dismissed = await dismissNotice(storage.db, notice!.id);
    expect(dismissed.dismissedAt).not.toBeNull();
    expect((await dismissNotice(storage.db, notice!.id)).dismissedAt).toBe(dismissed.dismissedAt); // again: its first dismissal stays
    expect(await listNotices(storage.db, { include: 'open' })).toEqual([]);
    expect((await listNotices(storage.db, { include: 'all' })).map((n) => n.id)).toEqual([notice!.id]);
    await expect(dismissNotice(storage.db, 'ntc_nope')).rejects.toThrow(/No notice with id "ntc_nope"/);
  }, 30_000);

  it('a subscription ended by a 410 leaves a notice saying to turn the Zap off and on; without an address it is recorded only', async () => {
    const storage = await database.open();
    const sink = await startSink(() => ({ status: 410 }));
    database.afterThisTest(() => sink.close());
    const owner = await seedAccount(storage, 'Gone Zaps');
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: sink.url });
    const deps = depsFor(storage, testDeliverySettings());
    startWorker(database, deps);
    await record(storage, owner, 'tag.created');
    await until(async () => (await subscriptionStatus(storage, subscription.id)) === 'ended', 'the subscription to end');

    const notices = await listNotices(storage.db, { include: 'open' });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ reason: 'gone', email: { status: 'recorded', to: null } });
    expect(notices[0]!.message).toMatch(/ended: the Zap answered 410 Gone, .*Turn the Zap off and on to subscribe again/);
    expect(await noticeCount(deps.metricsRegistry!, 'gone')).toBe(1);
  }, 30_000);
});
