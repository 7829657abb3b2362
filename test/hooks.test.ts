// Every instant (REST hook) trigger, from one table: subscribe, unsubscribe, verified deliveries, sample lists.
import { jest } from '@jest/globals';
import type { ZObject } from 'zapier-platform-core';
import App from '../index.js';
import { eventFilters, eventSamples, eventTypes, subscriptionSample, type EventType } from '../contract/index.js';
import { alreadyAccepted } from '../lib/replays.js';
import { TIMESTAMP_TOLERANCE_SECONDS } from '../lib/signature.js';
import { connector, failureOf, invoke, run, useNock } from './support/connector.js';
import { signedDelivery, type DeliveryOptions } from './support/webhook.js';

useNock();
// Zapier's cache outlives a call (so replays are caught); each test starts from an empty one.
beforeEach(() => {
  invoke.zcache = {};
});

const targetUrl = 'https://hooks.zapier.com/hooks/standard/1234567/abcdef/';

interface HookTrigger {
  key: string;
  event: EventType;
  filterKeys: string[];
  sample: unknown;
}
const hookTriggers: HookTrigger[] = Object.values(App.triggers)
  .filter((t) => t.operation.type === 'hook')
  .map((t) => ({
    key: t.key,
    event: (t.operation.sample as { event: EventType }).event,
    filterKeys: (t.operation.inputFields ?? []).map((f) => (f as { key: string }).key),
    sample: t.operation.sample,
  }));
const withFilters = hookTriggers.filter((t) => t.filterKeys.length > 0);

const subscriptionFor = (event: EventType) => ({ ...subscriptionSample, event, filters: {} });
const run_ = (t: HookTrigger, method: Parameters<typeof run>[4], inputData: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  run('triggers', t.key, inputData, extra, method);

/** The value a filter must have for the event's sample to pass it (first element of a list). */
const matchingValue = (event: EventType, filterKey: string): string => {
  const path = (eventFilters[event] as Record<string, string>)[filterKey]!;
  const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], eventSamples[event]);
  return String(Array.isArray(value) ? value[0] : value);
};
const matchingFilters = (t: HookTrigger) => Object.fromEntries(t.filterKeys.map((k) => [k, matchingValue(t.event, k)]));

it('the table covers all 16 instant triggers, one per event', () => {
  expect(hookTriggers).toHaveLength(16);
  expect(hookTriggers.map((t) => t.event).sort()).toEqual([...eventTypes].sort());
});

describe.each(hookTriggers)('$key ($event)', (t) => {
  const { event } = t;
  const sample = eventSamples[event];

  it('has the contract sample of its event, and only filters the connector knows for it', () => {
    expect(t.sample).toEqual(sample);
    expect(Object.keys(eventFilters[event])).toEqual(expect.arrayContaining(t.filterKeys));
  });

  it('performSubscribe posts {event, targetUrl, filters: {}} and returns the subscription with its secret', async () => {
    const created = subscriptionFor(event);
    connector().post('/v1/hooks', { event, targetUrl, filters: {} }).reply(201, created);
    await expect(run_(t, 'performSubscribe', {}, { targetUrl })).resolves.toEqual(created);
  });

  it('performUnsubscribe DELETEs /v1/hooks/<subscribeData.id>', async () => {
    const { secret: _secret, ...ended } = { ...subscriptionFor(event), status: 'disabled' };
    connector().delete(`/v1/hooks/${subscriptionSample.id}`).reply(200, ended);
    await expect(run_(t, 'performUnsubscribe', {}, { subscribeData: subscriptionFor(event) })).resolves.toEqual(ended);
  });

  it('performUnsubscribe treats 404 as already done', async () => {
    connector()
      .delete(`/v1/hooks/${subscriptionSample.id}`)
      .reply(404, { error: { code: 'not_found', message: 'No such subscription' } });
    await expect(run_(t, 'performUnsubscribe', {}, { subscribeData: subscriptionFor(event) })).resolves.toEqual({});
  });

  const deliver = (payload: unknown, options?: DeliveryOptions, secret = subscriptionSample.secret) =>
    run_(t, 'perform', {}, { subscribeData: subscriptionFor(event), rawRequest: signedDelivery(secret, payload, options) });

  it('perform returns a correctly signed payload as [payload]', async () => {
    await expect(deliver(sample)).resolves.toEqual([sample]);
  });

  const minutes = (n: number) => new Date(Date.now() + n * 60_000);
  it.each<{ what: string; options?: DeliveryOptions; secret?: string; reason: string }>([
    { what: 'a forged body', options: { tamperedBody: JSON.stringify({ ...sample, id: 'forged' }) }, reason: 'no matching signature found' },
    { what: 'a stale timestamp (6 minutes old)', options: { timestamp: minutes(-6) }, reason: 'message timestamp too old' },
    { what: 'a timestamp 6 minutes ahead', options: { timestamp: minutes(6) }, reason: 'message timestamp too new' },
    { what: 'no webhook-id header', options: { omit: 'webhook-id' }, reason: 'the webhook-id header is missing' },
    { what: 'no webhook-timestamp header', options: { omit: 'webhook-timestamp' }, reason: 'the webhook-timestamp header is missing' },
    { what: 'no webhook-signature header', options: { omit: 'webhook-signature' }, reason: 'the webhook-signature header is missing' },
    { what: 'a signature made with another secret', secret: 'whsec_QW5vdGhlclNlY3JldEZvclRlc3RzMTIzNDU2Nzg=', reason: 'no matching signature found' },
  ])('perform refuses $what (HaltedError)', async ({ options, secret, reason }) => {
    const failure = await failureOf(deliver(sample, options, secret));
    expect(failure.name).toBe('HaltedError');
    expect(failure.message).toMatch(/^Ignored a delivery that could not be verified as coming from the contact centre: /);
    expect(failure.message).toContain(`: ${reason}.`);
  });

  describe('replays', () => {
    const anotherSubscription = { ...subscriptionFor(event), id: 'sub_other', secret: 'whsec_QW5vdGhlclNlY3JldEZvclRlc3RzMTIzNDU2Nzg=' };
    const perform = (rawRequest: unknown, subscribeData: object = subscriptionFor(event), authData: object = {}) =>
      run_(t, 'perform', {}, { subscribeData, rawRequest, authData });
    const replayRefusal = (webhookId: string) => ({
      name: 'HaltedError',
      message: expect.stringMatching(
        new RegExp(`^Ignored a replayed delivery: webhook-id ${webhookId} was already accepted by this Zap in the last 11 minutes\\.`),
      ),
    });

    it('perform accepts a delivery once: the same delivery again (same id, body and signature) is ignored (HaltedError)', async () => {
      const delivery = signedDelivery(subscriptionSample.secret, sample, { id: 'evt_replayed', timestamp: minutes(-4) });
      await expect(perform(delivery)).resolves.toEqual([sample]);
      expect(await failureOf(perform(delivery))).toMatchObject(replayRefusal('evt_replayed'));
      // Signed again (a new timestamp and signature, as a retry is), the id is still the one accepted.
      const resigned = signedDelivery(subscriptionSample.secret, sample, { id: 'evt_replayed' });
      expect(await failureOf(perform(resigned))).toMatchObject(replayRefusal('evt_replayed'));
    });

    it('perform accepts another webhook-id, and the same one for another subscription or connector', async () => {
      await expect(perform(signedDelivery(subscriptionSample.secret, sample, { id: 'evt_first' }))).resolves.toEqual([sample]);
      await expect(perform(signedDelivery(subscriptionSample.secret, sample, { id: 'evt_second' }))).resolves.toEqual([sample]);
      // One event is delivered to each subscription that wants it, under the same webhook-id.
      await expect(perform(signedDelivery(anotherSubscription.secret, sample, { id: 'evt_first' }), anotherSubscription)).resolves.toEqual([sample]);
      // Subscription ids are the connector's own: another connector may have the same one.
      const elsewhere = { baseUrl: 'https://other-connector.example.com' };
      await expect(perform(signedDelivery(subscriptionSample.secret, sample, { id: 'evt_first' }), subscriptionFor(event), elsewhere)).resolves.toEqual([
        sample,
      ]);
    });

    it('perform does not let a delivery that fails verification use up its webhook-id: the genuine one is accepted afterwards', async () => {
      const forged = signedDelivery(subscriptionSample.secret, sample, { id: 'evt_fresh', tamperedBody: JSON.stringify({ ...sample, id: 'forged' }) });
      const otherSecret = signedDelivery(anotherSubscription.secret, sample, { id: 'evt_fresh' });
      const unsigned = signedDelivery(subscriptionSample.secret, sample, { id: 'evt_fresh', omit: 'webhook-signature' });
      for (const refused of [forged, otherSecret, unsigned]) {
        expect(await failureOf(perform(refused))).toMatchObject({
          name: 'HaltedError',
          message: expect.stringMatching(/^Ignored a delivery that could not be verified/),
        });
      }
      expect(invoke.zcache).toEqual({});
      await expect(perform(signedDelivery(subscriptionSample.secret, sample, { id: 'evt_fresh' }))).resolves.toEqual([sample]);
    });

    it("perform accepts a delivery when Zapier's cache fails, and says so in the log", async () => {
      let attempts = 0;
      const unavailable = () => {
        attempts += 1;
        throw new Error('cache unavailable');
      };
      invoke.zcache = new Proxy({}, { has: unavailable, get: unavailable, set: unavailable });
      const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const delivery = signedDelivery(subscriptionSample.secret, sample, { id: 'evt_uncached' });
        await expect(perform(delivery)).resolves.toEqual([sample]);
        expect(attempts).toBeGreaterThan(0);
        expect(logged.mock.calls.map((call) => String(call[0]).trim())).toContain(
          "Accepted webhook-id evt_uncached without the replay check: Zapier's cache failed (cache unavailable).",
        );
      } finally {
        logged.mockRestore();
      }
    });
  });

  it('perform refuses a correctly signed payload of another event type (HaltedError)', async () => {
    const other = eventTypes[(eventTypes.indexOf(event) + 1) % eventTypes.length]!;
    const failure = await failureOf(deliver(eventSamples[other]));
    expect(failure.name).toBe('HaltedError');
    expect(failure.message).toContain(`Ignored a "${other}" delivery`);
  });

  it('perform without a secret in subscribeData is a clear error', async () => {
    const { secret: _secret, ...withoutSecret } = subscriptionFor(event);
    const failure = await failureOf(run_(t, 'perform', {}, { subscribeData: withoutSecret, rawRequest: signedDelivery(subscriptionSample.secret, sample) }));
    expect(failure).toMatchObject({ name: 'AppError' });
    expect(failure.message).toMatch(/no signing secret.*Turn the Zap off and on again/);
  });

  it('perform without any delivered request (`zapier-platform invoke trigger`) answers as performList, no secret needed', async () => {
    connector()
      .get('/v1/hooks/samples')
      .query({ event, limit: '25' })
      .reply(200, { data: [sample] });
    await expect(run_(t, 'perform', {}, { meta: { isLoadingSample: false } })).resolves.toEqual([sample]);
  });

  it('perform still verifies anything that arrived as a request: unsigned, or with only cleanedRequest (HaltedError, no request to the connector)', async () => {
    const unsigned = { headers: { 'Content-Type': 'application/json' }, content: JSON.stringify(sample) };
    const refusals = [
      await failureOf(run_(t, 'perform', {}, { subscribeData: subscriptionFor(event), rawRequest: unsigned, cleanedRequest: sample })),
      await failureOf(run_(t, 'perform', {}, { subscribeData: subscriptionFor(event), cleanedRequest: sample })),
      await failureOf(run_(t, 'perform', {}, { subscribeData: subscriptionFor(event), rawRequest: {} })),
    ];
    for (const failure of refusals) {
      expect(failure.name).toBe('HaltedError');
      expect(failure.message).toMatch(/^Ignored a delivery that could not be verified as coming from the contact centre: the webhook-id header is missing\./);
    }
  });

  it('performList GETs /v1/hooks/samples?event=…&limit=25 and returns payloads in the delivered shape', async () => {
    connector()
      .get('/v1/hooks/samples')
      .query({ event, limit: '25' })
      .reply(200, { data: [sample] });
    const listed = (await run_(t, 'performList')) as Record<string, unknown>[];
    expect(listed).toEqual([sample]);
    expect(Object.keys(listed[0]!).sort()).toEqual(Object.keys(sample).sort());
  });
});

describe.each(withFilters)('$key filters', (t) => {
  const { event } = t;
  const sample = eventSamples[event];

  it('performSubscribe sends only the filled-in filters, trimmed', async () => {
    const [first, ...rest] = t.filterKeys as [string, ...string[]];
    const inputData = { [first]: ` ${matchingValue(event, first)} `, ...Object.fromEntries(rest.map((k) => [k, ''])), unrelated: 'x' };
    connector()
      .post('/v1/hooks', { event, targetUrl, filters: { [first]: matchingValue(event, first) } })
      .reply(201, subscriptionFor(event));
    await expect(run_(t, 'performSubscribe', inputData, { targetUrl })).resolves.toEqual(subscriptionFor(event));
  });

  it('performSubscribe sends every filter when all are filled in', async () => {
    connector()
      .post('/v1/hooks', { event, targetUrl, filters: matchingFilters(t) })
      .reply(201, subscriptionFor(event));
    await expect(run_(t, 'performSubscribe', matchingFilters(t), { targetUrl })).resolves.toEqual(subscriptionFor(event));
  });

  it.each(t.filterKeys)('performList keeps what matches %s and drops what does not', async (key) => {
    const samplesAnswer = () =>
      connector()
        .get('/v1/hooks/samples')
        .query({ event, limit: '25' })
        .reply(200, { data: [sample] });
    samplesAnswer();
    await expect(run_(t, 'performList', { [key]: matchingValue(event, key) })).resolves.toEqual([sample]);
    samplesAnswer();
    await expect(run_(t, 'performList', { [key]: 'no-such-value' })).resolves.toEqual([]);
  });
});

describe('how long a webhook-id is remembered', () => {
  const rememberedFor = async () => {
    const ttls: unknown[] = [];
    const z = { cache: { get: async () => null, set: async (_key: string, _value: unknown, ttl?: number) => ttls.push(ttl) } } as unknown as ZObject;
    await alreadyAccepted(z, { connector: 'https://connector.example.com', subscriptionId: 'sub_1', webhookId: 'evt_1' });
    return ttls[0] as number;
  };

  it('TIMESTAMP_TOLERANCE_SECONDS is the tolerance the signature check applies', async () => {
    const deliverAt = (secondsFromNow: number) =>
      run(
        'triggers',
        'enquiryCreated',
        {},
        {
          subscribeData: subscriptionSample,
          rawRequest: signedDelivery(subscriptionSample.secret, eventSamples['enquiry.created'], {
            id: `evt_${secondsFromNow}`,
            timestamp: new Date(Date.now() + secondsFromNow * 1000),
          }),
        },
      );
    const margin = 10;
    await expect(deliverAt(-(TIMESTAMP_TOLERANCE_SECONDS - margin))).resolves.toHaveLength(1);
    await expect(deliverAt(TIMESTAMP_TOLERANCE_SECONDS - margin)).resolves.toHaveLength(1);
    await expect(failureOf(deliverAt(-(TIMESTAMP_TOLERANCE_SECONDS + margin)))).resolves.toMatchObject({
      message: expect.stringContaining('message timestamp too old'),
    });
    await expect(failureOf(deliverAt(TIMESTAMP_TOLERANCE_SECONDS + margin))).resolves.toMatchObject({
      message: expect.stringContaining('message timestamp too new'),
    });
  });

  it('for as long as a copy can still verify: a delivery stamped at the edge of the future tolerance verifies until the edge of the past one', async () => {
    expect(await rememberedFor()).toBeGreaterThanOrEqual(2 * TIMESTAMP_TOLERANCE_SECONDS);
  });
});

describe('single cases', () => {
  it('performUnsubscribe without a subscription id has nothing to undo (no request)', async () => {
    await expect(run('triggers', 'enquiryCreated', {}, { subscribeData: {} }, 'performUnsubscribe')).resolves.toEqual({});
  });

  it('New Enquiry subscribes with the chosen channel', async () => {
    connector()
      .post('/v1/hooks', { event: 'enquiry.created', targetUrl, filters: { channel: 'whatsapp' } })
      .reply(201, subscriptionSample);
    await expect(run('triggers', 'enquiryCreated', { channel: 'whatsapp', type: '' }, { targetUrl }, 'performSubscribe')).resolves.toEqual(subscriptionSample);
  });

  it('Contact Updated subscribes with the changed field', async () => {
    const created = subscriptionFor('contact.updated');
    connector()
      .post('/v1/hooks', { event: 'contact.updated', targetUrl, filters: { changedField: 'email' } })
      .reply(201, created);
    await expect(run('triggers', 'contactUpdated', { changedField: 'email' }, { targetUrl }, 'performSubscribe')).resolves.toEqual(created);
  });
});
