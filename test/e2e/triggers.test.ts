/**
 * Every instant trigger of the app, from one table, the way Zapier runs it: performSubscribe
 * with a local sink as the target URL, the event caused through the connector's API, the
 * signed delivery received and verified, the trigger's perform fed the delivery as Zapier hands
 * it over, performList checked against what was delivered, and performUnsubscribe ending it.
 */
import { jest } from '@jest/globals';
import App from '../../index.js';
import { CreatedSubscription, DeliveryPage, eventPayloads, matchesFilters, Subscription, type EventType } from '../../contract/index.js';
import {
  eventually,
  failureOf,
  keyPaths,
  shapeDifference,
  run,
  startE2E,
  startSink,
  verifySignature,
  zapierRawRequest,
  type AuthData,
  type E2E,
  type Received,
  type Sink,
} from './support.js';

jest.setTimeout(30_000);

let e2e: E2E;
let auth: AuthData;
/** What the causes below need from the seeded workspace. */
let owner: string; // the default owner of new contacts
let otherStaff: string;
let careTag: string;
beforeAll(async () => {
  // The 100-calls-a-minute limit has its own file (rate-limit.test.ts).
  e2e = await startE2E({ CONNECTOR_RATE_LIMIT_MAX: '100000' });
  auth = await e2e.newAccount('Trigger Zaps');
  const [mei] = (await call('/v1/contacts?fullName=Mei%20Chan')).data;
  owner = mei.ownerID;
  otherStaff = (await call('/v1/staff')).data.find((s: { id: string }) => s.id !== owner).id;
  careTag = (await call('/v1/tags')).data.find((t: { name: string }) => t.name === 'Customer Care').id;
});
afterAll(() => e2e?.close());

/** The connector's API, called as the contact centre itself would change things (not through Zapier). */
async function call(path: string, method = 'GET', body?: unknown) {
  const response = await e2e.connector.call(path, { method, body });
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}
const post = (path: string, body: unknown = {}) => call(path, 'POST', body);

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const newContact = () => post('/v1/contacts', { first_name: 'Hook', last_name: `Test ${unique()}` });
const openEnquiry = (channel: string, type: string) =>
  post('/v1/enquiries', { channel, type, destinationType: 'tag', destinationID: careTag, inquiry: 'Where is my parcel?', visitor: { name: 'Ivy Ho' } });
const startChat = () => post('/v1/chats', { visitor: { name: 'Ivy Ho', email: 'ivy.ho@example.com' }, message: 'Hello?', groupId: 1, tags: ['e2e'] });

interface TriggerCase {
  /** What the Zap's filter fields hold (the trigger's input fields); context from `arrange`. */
  filters?: (context: any) => Record<string, string>;
  /** Runs once, before subscribing: what the filters and every `act` share. */
  arrange?: () => Promise<unknown>;
  /** Causes one event the trigger (with its filters) fires on; answers the id the payload is about. */
  act: (context: any) => Promise<string>;
}

/** One row per instant trigger; a test below checks the table covers every one the app has. */
const cases: Record<string, TriggerCase> = {
  contactCreated: { filters: () => ({ ownerID: owner }), act: async () => (await newContact()).id },
  contactUpdated: {
    filters: () => ({ changedField: 'email', ownerID: owner }),
    act: async () => {
      const { id } = await newContact();
      return (await call(`/v1/contacts/${id}`, 'PATCH', { email_type: 'work', email_address: `hook.${unique()}@example.com` })).id;
    },
  },
  contactsMerged: {
    filters: () => ({ ownerID: owner }),
    act: async () => {
      const [kept, merged] = [await newContact(), await newContact()];
      return (await post(`/v1/contacts/${kept.id}/merge`, { sourceContactIds: [merged.id] })).id;
    },
  },
  contactOwnershipTransferred: {
    filters: () => ({ fromOwnerID: owner, toOwnerID: otherStaff }),
    act: async () => (await post(`/v1/contacts/${(await newContact()).id}/transfer`, { toOwnerID: otherStaff })).id,
  },
  contactDeleted: { filters: () => ({ ownerID: owner }), act: async () => (await call(`/v1/contacts/${(await newContact()).id}`, 'DELETE')).id },
  enquiryCreated: { filters: () => ({ channel: 'web', type: 'chat' }), act: async () => (await openEnquiry('web', 'chat')).id },
  enquiryHandled: {
    filters: () => ({ channel: 'whatsapp', handledBy: otherStaff }),
    act: async () => (await post(`/v1/enquiries/${(await openEnquiry('whatsapp', 'message')).id}/handle`, { staffId: otherStaff })).id,
  },
  enquiryClosed: {
    filters: () => ({ channel: 'phone', type: 'call' }),
    act: async () => {
      const { id } = await openEnquiry('phone', 'call');
      await post(`/v1/enquiries/${id}/handle`, { staffId: otherStaff });
      return (await post(`/v1/enquiries/${id}/close`, { closedByType: 'visitor' })).id;
    },
  },
  enquiryMissed: {
    filters: () => ({ channel: 'facebook' }),
    act: async () => (await post(`/v1/enquiries/${(await openEnquiry('facebook', 'message')).id}/miss`)).id,
  },
  smsStatusReceived: {
    filters: () => ({ status: 'delivered' }),
    act: async () =>
      (await post('/v1/sms', { numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: '+85291234567', text: 'Your parcel is on its way.' })).id,
  },
  tagCreated: { act: async () => (await post('/v1/tags', { name: `Hook ${unique()}`, colorCode: '#00897B' })).id },
  tagUpdated: {
    arrange: () => post('/v1/tags', { name: `Recoloured ${unique()}`, colorCode: '#000000' }),
    filters: (tag) => ({ tagId: tag.id, changedField: 'colorCode' }),
    act: async (tag) =>
      (
        await call(`/v1/tags/${tag.id}`, 'PATCH', {
          colorCode: `#${Math.floor(Math.random() * 0xffffff)
            .toString(16)
            .padStart(6, '0')}`,
        })
      ).id,
  },
  tagDeleted: {
    act: async () => (await call(`/v1/tags/${(await post('/v1/tags', { name: `Doomed ${unique()}`, colorCode: '#6D4C41' })).id}`, 'DELETE')).id,
  },
  ticketCreated: {
    filters: () => ({ sourceType: 'mail', groupId: '2', tag: 'e2e' }),
    act: async () =>
      (
        await post('/v1/tickets', {
          message: 'Invoice copy, please.',
          requester: { mail: 'ivy.ho@example.com' },
          source: { type: 'mail' },
          groupId: 2,
          tags: ['e2e'],
        })
      ).id,
  },
  chatStarted: { filters: () => ({ groupId: '1', tag: 'e2e' }), act: async () => (await startChat()).id },
  chatEnded: {
    filters: () => ({ groupId: '1', tag: 'e2e' }),
    act: async () => {
      const { id } = await startChat();
      await post(`/v1/chats/${id}/messages`, { text: 'Let me check.', user_type: 'agent', agentLogin: 'ava.wong@acme.example' });
      return (await post(`/v1/chats/${id}/end`)).id;
    },
  },
};

type HookTrigger = { key: string; operation: { type: string; sample: { event: EventType } } };
const hookTriggers = Object.values(App.triggers as unknown as Record<string, HookTrigger>).filter((t) => t.operation.type === 'hook');
/** The event a trigger subscribes to, as its own sample says. */
const eventOf = (key: string) => hookTriggers.find((t) => t.key === key)!.operation.sample.event;

/** The trigger's methods, run through Zapier's app tester with this Zap's filter fields. */
const trigger = (key: string, inputData: Record<string, string>, authData = auth) => ({
  subscribe: async (targetUrl: string) => CreatedSubscription.parse(await run(authData, 'triggers', key, inputData, { method: 'performSubscribe', targetUrl })),
  unsubscribe: (subscribeData: CreatedSubscription) => run(authData, 'triggers', key, inputData, { method: 'performUnsubscribe', subscribeData }),
  /** perform, given a delivery as Zapier hands it over. */
  perform: (subscribeData: CreatedSubscription, received: Received) =>
    run<unknown[]>(authData, 'triggers', key, inputData, {
      subscribeData,
      rawRequest: zapierRawRequest(received),
      cleanedRequest: JSON.parse(received.body),
    } as never),
  performList: () => run<Record<string, unknown>[]>(authData, 'triggers', key, inputData, { method: 'performList' }),
});

/** The deliveries the connector made for one subscription, from the admin delivery log. */
const deliveriesOf = async (subscription: CreatedSubscription, appId = auth.appId) =>
  DeliveryPage.parse((await e2e.admin(`/admin/api/deliveries?appId=${appId}&limit=200`)).body).data.filter((d) => d.subscriptionId === subscription.id);

const sinks: Sink[] = [];
const newSink = async () => {
  const sink = await startSink();
  sinks.push(sink);
  return sink;
};
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});

it('the table covers every instant trigger of the app (16)', () => {
  expect(hookTriggers.map((t) => t.key).sort()).toEqual(Object.keys(cases).sort());
  expect(hookTriggers).toHaveLength(16);
});

it('compares shapes by deep key paths, leaving out only what is below an empty value', () => {
  const delivered = { id: 'x', contact: { name: 'A', addresses: [{ city: 'Central' }], owner: { id: 's' } }, tags: ['vip'] };
  expect(keyPaths(delivered)).toEqual([
    'contact',
    'contact.addresses',
    'contact.addresses[].city',
    'contact.name',
    'contact.owner',
    'contact.owner.id',
    'id',
    'tags',
  ]);
  expect(shapeDifference({ id: 'y', contact: { name: 'B', addresses: [], owner: null }, tags: [] }, delivered)).toEqual({ onlyInFirst: [], onlyInSecond: [] });
  expect(shapeDifference({ id: 'y', contact: { name: 'B', addresses: [{ town: 'x' }], owner: { id: 's', extra: 1 } }, tags: [] }, delivered)).toEqual({
    onlyInFirst: ['contact.addresses[].town', 'contact.owner.extra'],
    onlyInSecond: ['contact.addresses[].city'],
  });
  expect(shapeDifference({ id: 'y', tags: [] }, delivered).onlyInSecond).toEqual([
    'contact',
    'contact.addresses',
    'contact.addresses[].city',
    'contact.name',
    'contact.owner',
    'contact.owner.id',
  ]);
});

describe.each(Object.entries(cases))('%s', (key, { arrange, filters, act }) => {
  it('subscribes, receives the signed delivery, performs it, lists the same shape, and unsubscribes', async () => {
    const event = eventOf(key);
    const context = await arrange?.();
    const inputData = filters?.(context) ?? {};
    const zap = trigger(key, inputData);

    // Zapier turns the Zap on: performSubscribe with its hook URL.
    const sink = await newSink();
    const subscription = await zap.subscribe(sink.url);
    expect(subscription).toMatchObject({ event, targetUrl: sink.url, filters: inputData, status: 'active' });

    // The contact centre changes: one signed delivery reaches the hook URL.
    const recordId = await act(context);
    const [received] = await sink.waitFor(1, 10_000);
    const payload = verifySignature(subscription, received!);
    expect(eventPayloads[event].parse(payload)).toMatchObject({ event, id: recordId });
    expect(received!.headers['webhook-id']).toBe(payload.eventId);
    expect(received!.headers['content-type']).toBe('application/json');

    // Zapier hands the delivery to perform: it verifies it and yields the payload as the one item.
    await expect(zap.perform(subscription, received!)).resolves.toEqual([JSON.parse(received!.body)]);
    // Signed for another Zap's secret, the same delivery is ignored.
    const other = { ...subscription, secret: `whsec_${Buffer.from(`another secret ${unique()}`).toString('base64')}` };
    await expect(failureOf(zap.perform(other, received!))).resolves.toMatchObject({ name: 'HaltedError' });

    // performList (Zapier's sample step): recent payloads, newest first, in the delivered shape.
    // Every item has the delivered payload's key paths, so the fields a Zap maps from the
    // sample exist in live deliveries.
    // Filtered as the Zap is, ours comes first; unfiltered, the seeded workspace's events too.
    const listed = await zap.performList();
    expect(listed[0]).toEqual(payload);
    expect(listed.every((item) => matchesFilters(event, item, inputData))).toBe(true);
    const everything = await trigger(key, {}).performList();
    expect(everything.length).toBeGreaterThanOrEqual(listed.length);
    for (const item of everything) {
      expect(eventPayloads[event].safeParse(item).success).toBe(true);
      expect(shapeDifference(item, payload)).toEqual({ onlyInFirst: [], onlyInSecond: [] });
    }

    // Zapier turns the Zap off: performUnsubscribe ends the subscription.
    const ended = Subscription.parse(await zap.unsubscribe(subscription));
    expect(ended).toMatchObject({ id: subscription.id, status: 'ended' });

    // The next such event reaches another Zap subscribed now (the witness), but not the ended one.
    const witnessSink = await newSink();
    const witness = await zap.subscribe(witnessSink.url);
    const laterId = await act(context);
    const [later] = await witnessSink.waitFor(1, 10_000);
    expect(verifySignature(witness, later!)).toMatchObject({ event, id: laterId });
    expect(sink.received).toHaveLength(1);
    // The connector's delivery log: the one event, delivered (recorded once the sink answered).
    const log = await eventually(async () => {
      const deliveries = await deliveriesOf(subscription);
      return deliveries.every((d) => d.status !== 'pending') && deliveries;
    }, 'recording the delivery');
    expect(log.map((d) => [d.eventId, d.status])).toEqual([[payload.eventId, 'delivered']]);
    await zap.unsubscribe(witness);
  });
});

describe('several Zaps and filters', () => {
  it('two Zaps on one trigger each get their own delivery, signed with their own secret', async () => {
    const [sinkA, sinkB] = [await newSink(), await newSink()];
    const zapA = trigger('tagCreated', {});
    const zapB = trigger('tagCreated', {}, await e2e.newAccount('Second Zapier account'));
    const [a, b] = [await zapA.subscribe(sinkA.url), await zapB.subscribe(sinkB.url)];
    expect(a.secret).not.toBe(b.secret);

    const tagId = await cases.tagCreated!.act(undefined);
    const [[receivedA], [receivedB]] = await Promise.all([sinkA.waitFor(1, 10_000), sinkB.waitFor(1, 10_000)]);
    // One event, so one event id, delivered to each subscription and verifiable only with its own secret.
    expect(verifySignature(a, receivedA!)).toMatchObject({ event: 'tag.created', id: tagId });
    expect(verifySignature(b, receivedB!)).toEqual(verifySignature(a, receivedA!));
    expect(receivedA!.headers['webhook-id']).toBe(receivedB!.headers['webhook-id']);
    expect(() => verifySignature(b, receivedA!)).toThrow();
    await expect(zapA.perform(a, receivedA!)).resolves.toEqual([JSON.parse(receivedA!.body)]);
    await expect(zapB.perform(b, receivedB!)).resolves.toEqual([JSON.parse(receivedB!.body)]);
    await expect(failureOf(zapB.perform(b, receivedA!))).resolves.toMatchObject({ name: 'HaltedError' });

    await zapA.unsubscribe(a);
    await zapB.unsubscribe(b);
  });

  it.each([
    ['enquiryCreated', { channel: 'phone' }, { channel: 'web' }, () => openEnquiry('web', 'chat').then((e) => e.id)],
    ['smsStatusReceived', { status: 'failed' }, { status: 'delivered' }, () => cases.smsStatusReceived!.act(undefined)],
    ['ticketCreated', { tag: 'not-e2e' }, { tag: 'e2e' }, () => cases.ticketCreated!.act(undefined)],
  ])('%s with a filter that does not match (%p) gets nothing; one that matches (%p) gets the event', async (key, missing, matching, act) => {
    const [missSink, matchSink] = [await newSink(), await newSink()];
    const missZap = trigger(key, missing);
    const matchZap = trigger(key, matching);
    const [miss, match] = [await missZap.subscribe(missSink.url), await matchZap.subscribe(matchSink.url)];

    const recordId = await act();
    const [received] = await matchSink.waitFor(1, 10_000);
    expect(verifySignature(match, received!)).toMatchObject({ id: recordId });
    // Deliveries are planned with the event, in one transaction: none was planned for the other Zap.
    expect(await deliveriesOf(miss)).toEqual([]);
    expect(missSink.received).toEqual([]);
    // Its sample step (performList) applies the same filter.
    const listed = await missZap.performList();
    expect(listed.map((p) => p.id)).not.toContain(recordId);

    await missZap.unsubscribe(miss);
    await matchZap.unsubscribe(match);
  });
});
