import { AdminSubscription, DeliveryDetail, DeliveryPage, type DeliverySummary } from '../../../contract/index.js';
import { addAccount, call, subscribe, type Credentials } from './support/client.js';
import { forEachProcessDatabase } from './support/databases.js';
import { killLeftoverProcesses, sleep, spawnConnector, until, type ConnectorProcess } from './support/process.js';
import { closeAll } from '../support/teardown.js';
import { startFaultSink, type FaultSink } from './support/sink.js';

/**
 * Receivers that fail, through the real connector process and its admin API. The in-process
 * tests (test/delivery/worker.test.ts) prove each rule on one delivery; here a receiver goes
 * through every kind of failure (500s, then no answer, then refusing connections) with dozens
 * of events waiting, and the attempt log the operator reads is checked against the schedule.
 */

/** Seconds before each attempt: the first at once, then back-off. */
const SCHEDULE = [0, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4];
const JITTER = 0.2;

forEachProcessDatabase((database) => {
  let connector: ConnectorProcess;
  const sinks: FaultSink[] = [];
  let account: Credentials;
  const sink = async (...args: Parameters<typeof startFaultSink>) => {
    const started = await startFaultSink(...args);
    sinks.push(started);
    return started;
  };
  const start = async (env: Record<string, string> = {}) => {
    connector = await spawnConnector({ ...database().env, CONNECTOR_RETRY_SCHEDULE: SCHEDULE.join(','), CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '0.3', ...env });
    account = await addAccount(connector.baseUrl, `Sink faults ${Date.now()}`);
  };
  afterEach(() => closeAll(killLeftoverProcesses, ...sinks.splice(0)));

  const admin = <T>(path: string, method = 'GET') => call<T>(connector.baseUrl, path, { as: 'admin', method });
  const makeTags = async (count: number, prefix: string) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const reply = await call(connector.baseUrl, '/v1/tags', { method: 'POST', body: { name: `${prefix} ${i}`, colorCode: '#1E88E5' }, as: account });
      expect(reply.status).toBe(201);
      ids.push(reply.body.id);
    }
    return ids;
  };
  /** Every delivery of the account (all pages of the log). */
  const deliveriesOf = async (appId: string, status?: string): Promise<DeliverySummary[]> => {
    const all: DeliverySummary[] = [];
    let before: string | null = null;
    do {
      const page = DeliveryPage.parse(
        (await admin(`/admin/api/deliveries?appId=${appId}&limit=200${status ? `&status=${status}` : ''}${before ? `&before=${before}` : ''}`)).body,
      );
      all.push(...page.data);
      before = page.nextBefore;
    } while (before);
    return all;
  };
  const detail = async (id: string) => DeliveryDetail.parse((await admin(`/admin/api/deliveries/${id}`)).body);
  const subscriptionsOf = async (appId: string) =>
    AdminSubscription.array().parse((await admin<{ data: unknown }>(`/admin/api/zapier-accounts/${appId}/subscriptions`)).body.data);

  it('a receiver that answers 500, then nothing, then refuses connections, then recovers gets every event, on the back-off schedule', async () => {
    await start();
    // The receiver's mood by time since its first request.
    let firstAt = 0;
    const receiver = await sink((hit) => {
      firstAt ||= hit.at;
      const t = hit.at - firstAt;
      if (t < 1000) return { status: 500, body: 'overloaded' };
      if (t < 2000) return 'hang';
      return { status: 200 };
    });
    await subscribe(connector.baseUrl, account, 'tag.created', receiver.url);
    const phases = { refusing: false };
    const events = 40;
    await makeTags(events, 'Flaky');
    // From 2 s to 3.5 s after the first request nothing listens at all.
    await until(() => firstAt > 0, 5000, 'the first request');
    await sleep(Math.max(0, firstAt + 2000 - performance.now()));
    await receiver.down();
    phases.refusing = true;
    await sleep(1500);
    await receiver.up();

    await until(async () => (await deliveriesOf(account.appId, 'delivered')).length === events, 20_000, `all ${events} deliveries being delivered`);
    const deliveries = await deliveriesOf(account.appId);
    expect(deliveries.map((d) => d.status)).toEqual(Array(events).fill('delivered'));
    // Every event reached the receiver, always under its own webhook-id with its own body.
    for (const d of deliveries) {
      const hits = receiver.byId.get(d.eventId) ?? [];
      expect(hits.length).toBeGreaterThanOrEqual(1);
      expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    }

    const errors = new Set<string>();
    for (const summary of deliveries) {
      const { attemptLog } = await detail(summary.id);
      expect(attemptLog.at(-1)).toMatchObject({ outcome: 'delivered', statusCode: 200 });
      expect(attemptLog.slice(0, -1).every((a) => a.outcome === 'retry')).toBe(true);
      for (let n = 1; n < attemptLog.length; n++) {
        const previous = attemptLog[n - 1]!;
        const waited = Date.parse(attemptLog[n]!.startedAt) - (Date.parse(previous.startedAt) + previous.durationMs);
        // The n-th retry waits SCHEDULE[n] seconds, within the jitter (and a little for polling).
        expect(waited).toBeGreaterThanOrEqual(SCHEDULE[n]! * 1000 * (1 - JITTER) - 5);
        expect(waited).toBeLessThanOrEqual(SCHEDULE[n]! * 1000 * (1 + JITTER) + 1500);
      }
      for (const attempt of attemptLog) if (attempt.error) errors.add(attempt.error.replace(/ \(.*|: .*/, ''));
    }
    // All three kinds of failure happened and were recorded as such.
    expect([...errors].sort()).toEqual(expect.arrayContaining(['ECONNREFUSED', 'HTTP 500', 'timed out after 0.3 s']));
  }, 60_000);

  it('honours Retry-After (seconds and HTTP dates) when it asks for longer than the schedule', async () => {
    await start();
    let n = 0;
    const receiver = await sink((hit) => {
      const first = (receiver.byId.get(hit.id) ?? []).length === 1;
      if (!first) return { status: 200 };
      n++;
      return n % 2 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 503, headers: { 'retry-after': new Date(Date.now() + 3000).toUTCString() } };
    });
    await subscribe(connector.baseUrl, account, 'tag.created', receiver.url);
    await makeTags(4, 'Slow down');
    await until(async () => (await deliveriesOf(account.appId, 'delivered')).length === 4, 15_000, 'all four delivered');
    for (const [, hits] of receiver.byId) {
      expect(hits).toHaveLength(2);
      // The schedule says 0.2 s; the receiver asked for 2 s (or until a date 2-3 s ahead, at one-second precision).
      expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(1950);
    }
  }, 60_000);

  it("410 Gone ends that subscription after exactly one attempt and cancels what it had waiting; the account's other subscription keeps receiving", async () => {
    // One attempt at a time, so that the other events wait while the first one gets its 410.
    await start({ CONNECTOR_DELIVERY_CONCURRENCY: '1', CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '5' });
    const gone = await sink(() => ({ status: 410, body: 'zap turned off', delayMs: 1000 }));
    const healthy = await sink();
    const ended = await subscribe(connector.baseUrl, account, 'tag.created', gone.url);
    const kept = await subscribe(connector.baseUrl, account, 'tag.created', healthy.url);
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) => call(connector.baseUrl, '/v1/tags', { method: 'POST', body: { name: `Gone ${i}`, colorCode: '#1E88E5' }, as: account })),
    );

    await until(async () => (await subscriptionsOf(account.appId)).find((s) => s.id === ended.id)?.status === 'ended', 10_000, 'the subscription ending');
    await healthy.waitForIds([...(await deliveriesOf(account.appId)).filter((d) => d.subscriptionId === kept.id).map((d) => d.eventId)], 10_000);
    const subscriptions = await subscriptionsOf(account.appId);
    expect(subscriptions.find((s) => s.id === ended.id)).toMatchObject({ status: 'ended', endedReason: 'gone' });
    expect(subscriptions.find((s) => s.id === kept.id)).toMatchObject({ status: 'active', endedReason: null });
    // Zapier no longer lists it for the Zap either.
    expect((await call(connector.baseUrl, '/v1/hooks', { as: account })).body.data.map((s: { id: string }) => s.id)).toEqual([kept.id]);

    await until(async () => (await deliveriesOf(account.appId)).every((d) => d.status !== 'pending'), 10_000, 'nothing pending');
    const ofEnded = (await deliveriesOf(account.appId)).filter((d) => d.subscriptionId === ended.id);
    expect(ofEnded.map((d) => d.status).sort()).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled', 'failed']);
    const answered = ofEnded.find((d) => d.status === 'failed')!;
    expect((await detail(answered.id)).attemptLog).toEqual([expect.objectContaining({ attempt: 1, statusCode: 410, outcome: 'gone' })]);
    expect(gone.hits).toHaveLength(1);

    // Later events go to the other subscription only.
    await makeTags(2, 'After');
    await until(() => healthy.byId.size === 7, 10_000, 'the healthy receiver getting the later events');
    await sleep(300);
    expect(gone.hits).toHaveLength(1);
    expect((await deliveriesOf(account.appId)).filter((d) => d.subscriptionId === ended.id)).toHaveLength(5);
  }, 60_000);

  it('a receiver that never recovers: the subscription ends disabled, every attempt listable, and it can be re-enabled', async () => {
    await start({ CONNECTOR_DISABLE_AFTER_FAILING_HOURS: String(2 / 3600), CONNECTOR_RETRY_SCHEDULE: '0,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3' });
    let healthy = false;
    const receiver = await sink(() => (healthy ? { status: 200 } : { status: 502, body: 'bad gateway' }));
    const subscription = await subscribe(connector.baseUrl, account, 'tag.created', receiver.url);
    await makeTags(3, 'Doomed');

    await until(async () => (await subscriptionsOf(account.appId))[0]?.status === 'disabled', 15_000, 'the subscription being disabled');
    const [disabled] = await subscriptionsOf(account.appId);
    expect(disabled).toMatchObject({ id: subscription.id, status: 'disabled', endedReason: 'failing', failingSince: expect.any(String) });
    await until(async () => (await deliveriesOf(account.appId)).every((d) => d.status === 'failed'), 5000, 'every delivery failing');

    const failed = await deliveriesOf(account.appId, 'failed');
    expect(failed).toHaveLength(3);
    // Disabling fails the pending deliveries at once, but an attempt already on the wire is
    // recorded when it comes back: wait for the log to catch up with what the receiver saw.
    await until(
      async () => {
        for (const summary of failed) {
          if ((await detail(summary.id)).attemptLog.length !== (receiver.byId.get(summary.eventId)?.length ?? 0)) return false;
        }
        return true;
      },
      5000,
      'attempts in flight when the subscription was disabled being recorded',
    );
    for (const summary of failed) {
      expect(summary.lastError).toMatch(/subscription disabled|HTTP 502/);
      const { attemptLog } = await detail(summary.id);
      expect(attemptLog.length).toBeGreaterThanOrEqual(2);
      expect(attemptLog.every((a) => a.statusCode === 502 && a.error === 'HTTP 502: bad gateway')).toBe(true);
      expect(attemptLog.map((a) => a.attempt)).toEqual(attemptLog.map((_, i) => i + 1));
      // Exactly what the receiver saw.
      expect(receiver.byId.get(summary.eventId)).toHaveLength(attemptLog.length);
    }
    // Disabled: new events make no deliveries for it.
    await makeTags(1, 'Ignored');
    await sleep(300);
    expect(await deliveriesOf(account.appId)).toHaveLength(3);

    // The operator fixes the receiver and re-enables the subscription (and retries one failure by hand).
    healthy = true;
    expect((await admin(`/admin/api/subscriptions/${subscription.id}/enable`, 'POST')).body).toMatchObject({ status: 'active', failingSince: null });
    expect((await admin(`/admin/api/deliveries/${failed[0]!.id}/retry`, 'POST')).status).toBe(200);
    const [fresh] = await makeTags(1, 'Welcome back');
    expect(fresh).toBeDefined();
    await until(async () => (await deliveriesOf(account.appId, 'delivered')).length === 2, 10_000, 'the retried and the new delivery arriving');
  }, 60_000);
});
