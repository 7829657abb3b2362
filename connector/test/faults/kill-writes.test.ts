import { Contact } from '../../../contract/index.js';
import type { Storage } from '../../src/storage/db.js';
import { addAccount, call, inParallel, subscribe, type Credentials } from './support/client.js';
import { forEachProcessDatabase } from './support/databases.js';
import { killLeftoverProcesses, spawnConnector, until, type ConnectorProcess } from './support/process.js';
import { closeAll } from '../support/teardown.js';
import { startFaultSink, type FaultSink } from './support/sink.js';

/**
 * "An event is written in the same transaction as the change that caused it": a client keeps
 * creating contacts, tags, tickets, enquiries and chats (each change with its event, and a
 * delivery for the subscription listening to it) while the connector process is killed with
 * SIGKILL, twice. Afterwards, compared table by table: every record the client was told about
 * is there; no record is half-written; no change lacks its event, no event its change, no
 * event its delivery; the sequences never ran ahead of what was committed.
 */

interface Kind {
  name: string;
  table: 'contacts' | 'tags' | 'tickets' | 'enquiries' | 'chats';
  event: string;
  path: string;
  body: (i: number) => object;
  /** The id of the record an event is about. */
  recordIdOf: (payload: any) => string;
}

let destinationTagId = '';
const kinds: Kind[] = [
  {
    name: 'contact',
    table: 'contacts',
    event: 'contact.created',
    path: '/v1/contacts',
    body: (i) => ({
      first_name: 'Hammer',
      last_name: `Contact ${i}`,
      email_type: 'work',
      email_address: `hammer.${i}@example.com`,
      phone_type: 'mobile',
      phone_number: `+8529${String(i).padStart(7, '0')}`,
    }),
    recordIdOf: (p) => p.id,
  },
  { name: 'tag', table: 'tags', event: 'tag.created', path: '/v1/tags', body: (i) => ({ name: `Hammer ${i}`, colorCode: '#1E88E5' }), recordIdOf: (p) => p.id },
  {
    name: 'ticket',
    table: 'tickets',
    event: 'ticket.created',
    path: '/v1/tickets',
    body: (i) => ({ message: `Hammered ticket ${i}`, requester: { mail: `requester.${i}@example.com`, name: `Requester ${i}` } }),
    recordIdOf: (p) => p.ticket.id,
  },
  {
    name: 'enquiry',
    table: 'enquiries',
    event: 'enquiry.created',
    path: '/v1/enquiries',
    body: (i) => ({
      channel: 'web',
      type: 'chat',
      destinationType: 'tag',
      destinationID: destinationTagId,
      inquiry: `Question ${i}`,
      visitor: { name: `Visitor ${i}` },
    }),
    recordIdOf: (p) => p.enquiryID,
  },
  {
    name: 'chat',
    table: 'chats',
    event: 'chat.started',
    path: '/v1/chats',
    body: (i) => ({ visitor: { name: `Chatter ${i}` }, message: `Hello ${i}` }),
    recordIdOf: (p) => p.chat.id,
  },
];

forEachProcessDatabase((database) => {
  let sink: FaultSink;
  afterEach(() => closeAll(killLeftoverProcesses, sink));

  it('keeps every change with its event and delivery through two kill -9 in the middle of writes', async () => {
    const started = performance.now();
    sink = await startFaultSink();
    const env = database().env;
    let connector: ConnectorProcess = await spawnConnector(env);
    const account = await addAccount(connector.baseUrl);
    for (const kind of kinds) await subscribe(connector.baseUrl, account, kind.event, sink.url);
    destinationTagId = (await call(connector.baseUrl, '/v1/tags', { method: 'POST', body: { name: 'Destination', colorCode: '#000000' }, as: account })).body
      .id;

    const acknowledged = new Map<string, Set<string>>(kinds.map((k) => [k.table, new Set()]));
    let answered = 0;
    let lost = 0;
    let next = 0;
    /** Creates records round-robin over the kinds until told to stop; counts answers. */
    const hammer = (as: Credentials, baseUrl: string, stop: { now: boolean }) =>
      inParallel(24, 24, async () => {
        while (!stop.now) {
          const i = next++;
          const kind = kinds[i % kinds.length]!;
          try {
            const reply = await call(baseUrl, kind.path, { method: 'POST', body: kind.body(i), as, timeoutMs: 10_000 });
            if (reply.status !== 201) throw new Error(`${kind.name} ${i}: ${reply.status} ${reply.text}`);
            acknowledged.get(kind.table)!.add(reply.body.id);
            answered++;
          } catch (error) {
            // The kill cut the connection: the outcome is unknown, either way is fine.
            if ((error as Error).message.match(/^\w+ \d+: \d{3}/)) throw error;
            lost++;
            return;
          }
        }
      });

    for (const after of [400, 900]) {
      const stop = { now: false };
      const writing = hammer(account, connector.baseUrl, stop);
      await until(() => answered >= after, 30_000, `${after} acknowledged writes`);
      await connector.kill();
      stop.now = true;
      const failures = (await writing).filter((r) => r instanceof Error);
      expect(failures).toEqual([]);
      connector = await spawnConnector(env);
    }
    // The restarted connector takes writes again.
    expect((await call(connector.baseUrl, '/v1/tags', { method: 'POST', body: { name: 'After the kills', colorCode: '#000000' }, as: account })).status).toBe(
      201,
    );
    expect(await connector.stop()).toBe(0);

    const storage = await database().open();
    try {
      await checkConsistency(storage, acknowledged);
    } finally {
      await storage.close();
    }
    console.info(`${database().kind}: ${answered} writes acknowledged, ${lost} cut off by the kills, ${Math.round(performance.now() - started)} ms`);
  }, 90_000);
});

async function checkConsistency(storage: Storage, acknowledged: Map<string, Set<string>>): Promise<void> {
  const { db } = storage;
  const events = await db.selectFrom('events').select(['id', 'type', 'payload']).execute();
  const deliveries = await db.selectFrom('deliveries').select(['event_id', 'subscription_id']).execute();
  const subscriptions = await db.selectFrom('subscriptions').select(['id', 'event']).execute();

  for (const kind of kinds) {
    // Tags are plain columns; the others keep their contract document beside them.
    const rows: Array<{ id: string; document?: string }> =
      kind.table === 'tags' ? await db.selectFrom('tags').select('id').execute() : await db.selectFrom(kind.table).select(['id', 'document']).execute();
    const ids = new Set(rows.map((r) => r.id));
    // Durable: every write the client was told about is there.
    for (const id of acknowledged.get(kind.table)!) expect(ids.has(id)).toBe(true);
    // Whole: every document parses and is the record's own.
    for (const row of rows) if (row.document !== undefined) expect(JSON.parse(row.document).id).toBe(row.id);
    // No change without its event, no event without its change.
    const eventIds = events.filter((e) => e.type === kind.event).map((e) => kind.recordIdOf(JSON.parse(e.payload)));
    expect(new Set(eventIds).size).toBe(eventIds.length);
    const withoutEvent = [...ids].filter((id) => !eventIds.includes(id));
    expect({ kind: kind.name, withoutEvent }).toEqual({ kind: kind.name, withoutEvent: [] });
    const withoutChange = eventIds.filter((id) => !ids.has(id));
    expect({ kind: kind.name, withoutChange }).toEqual({ kind: kind.name, withoutChange: [] });
    console.info(`${kind.name}: ${rows.length} records, ${acknowledged.get(kind.table)!.size} acknowledged`);
  }

  // Every event has the delivery of the subscription listening to its type, and only that.
  const subscribedTo = new Map(subscriptions.map((s) => [s.event, s.id]));
  const deliveriesOf = new Map<string, string[]>();
  for (const d of deliveries) deliveriesOf.set(d.event_id, [...(deliveriesOf.get(d.event_id) ?? []), d.subscription_id]);
  for (const event of events) {
    const expected = subscribedTo.has(event.type) ? [subscribedTo.get(event.type)] : [];
    expect({ event: event.id, deliveries: deliveriesOf.get(event.id) ?? [] }).toEqual({ event: event.id, deliveries: expected });
  }
  expect(deliveries.filter((d) => !events.some((e) => e.id === d.event_id))).toEqual([]);

  // Contacts: the search keys were written with the contact.
  const contacts = await db.selectFrom('contacts').select(['id', 'document']).execute();
  const lookups = await db.selectFrom('contact_lookups').select(['contact_id', 'kind', 'value']).execute();
  for (const row of contacts) {
    const contact = Contact.omit({ link: true }).parse(JSON.parse(row.document));
    const own = lookups.filter((l) => l.contact_id === row.id);
    expect(own.map((l) => `${l.kind}:${l.value}`).sort()).toEqual(
      [`name:${contact.fullName.toLowerCase()}`, `email:${contact.email}`, `phone:${contact.mobilePhone}`].sort(),
    );
  }
  expect(lookups.filter((l) => !contacts.some((c) => c.id === l.contact_id))).toEqual([]);

  // Sequences advance only with a committed record: the counters equal the highest number used.
  const counters = await db.selectFrom('counters').select(['name', 'value']).execute();
  const counter = (name: string) => Number(counters.find((c) => c.name === name)?.value ?? 0);
  const enquiries = await db.selectFrom('enquiries').select('display_case_number').execute();
  expect(counter('enquiry_case_number')).toBe(Math.max(0, ...enquiries.map((e) => Number(e.display_case_number.split('-')[1]))));
  expect(enquiries.length).toBe(counter('enquiry_case_number'));
  const tickets = await db.selectFrom('tickets').select('id').execute();
  expect(counter('ticket_number')).toBe(Math.max(0, ...tickets.map((t) => Number(t.id.replace('TKT-', '')))));
}
