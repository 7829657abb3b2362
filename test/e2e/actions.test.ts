/**
 * Every create and search of the app, and every dropdown (hidden trigger) they take their
 * values from, against a running connector over real HTTP. Results are parsed with the
 * contract's response schemas, so a connector that drifts from the contract fails here.
 */
import { jest } from '@jest/globals';
import App from '../../index.js';
import { api, CreatedSubscription, type EventPayload } from '../../contract/index.js';
import { closeAll } from '../../connector/test/support/teardown.js';
import { failureOf, run, startE2E, startSink, verifySignature, type AuthData, type E2E, type Sink } from './support.js';

jest.setTimeout(30_000);

let e2e: E2E;
let auth: AuthData;
beforeAll(async () => {
  // The 100-calls-a-minute limit has its own file (rate-limit.test.ts); here it would only
  // make the file's length matter.
  e2e = await startE2E({ CONNECTOR_RATE_LIMIT_MAX: '100000' });
  auth = await e2e.newAccount('Actions Zaps');
});
afterAll(() => e2e?.close());

type Choice = { id: string; name: string } & Record<string, unknown>;
/** The choices a dropdown shows, from the app's own hidden trigger. */
const dropdown = (key: string, inputData: Record<string, unknown> = {}) => run<Choice[]>(auth, 'triggers', key, inputData);
const create = <T = any>(key: string, inputData: Record<string, unknown>) => run<T>(auth, 'creates', key, inputData);
const search = <T = any>(key: string, inputData: Record<string, unknown>) => run<T[]>(auth, 'searches', key, inputData);
/** A search result parsed with the item schema of the list endpoint the search calls (paged or not). */
const parseList = <T>(schema: { shape: { data: { parse(value: unknown): T[] } } }, items: unknown[]) => schema.shape.data.parse(items);

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

it('covers every create, search and dropdown of the app', () => {
  // Keep in step with the tests below: a new operation needs an end-to-end test here.
  const covered = {
    creates: ['createAgent', 'createContact', 'createTicket', 'deleteAgent', 'sendRoomMessage', 'sendSms', 'sendStaffMessage', 'updateContact', 'updateTicket'],
    // findAgents, findServiceNumbers and findTickets: test/e2e/searches-many.test.ts
    searches: ['findAgent', 'findAgents', 'findContact', 'findEnquiry', 'findServiceNumbers', 'findTicket', 'findTickets'],
    dropdowns: ['agentList', 'groupList', 'numberList', 'roomList', 'staffList', 'tagList', 'ticketList'],
  };
  const triggers = Object.values(App.triggers as unknown as Record<string, { key: string; operation: { type: string } }>);
  expect({
    creates: Object.keys(App.creates ?? {}).sort(),
    searches: Object.keys(App.searches ?? {}).sort(),
    dropdowns: triggers
      .filter((t) => t.operation.type !== 'hook')
      .map((t) => t.key)
      .sort(),
  }).toEqual(covered);
});

describe('dropdowns (hidden triggers)', () => {
  it.each([
    ['staffList', '/v1/staff'],
    ['roomList', '/v1/rooms'],
    ['tagList', '/v1/tags'],
    ['groupList', '/v1/groups'],
    ['agentList', '/v1/agents'],
    ['ticketList', '/v1/tickets'],
  ])('%s offers one choice per record of %s, each with an id and a name', async (key, path) => {
    const choices = await dropdown(key);
    const { body } = await e2e.connector.call(path, { as: auth });
    expect(choices.length).toBeGreaterThan(0);
    expect(choices).toHaveLength(body.data.length);
    for (const choice of choices) {
      expect(typeof choice.id).toBe('string');
      expect(choice.name).toEqual(expect.any(String));
      expect(choice.name.length).toBeGreaterThan(0);
    }
  });

  it.each(['did', 'toll_free', 'mobile', 'sender_id'])('numberList with numberType %s offers only numbers of that type', async (numberType) => {
    const choices = await dropdown('numberList', { numberType });
    const { body } = await e2e.connector.call(`/v1/numbers?numberType=${numberType}`, { as: auth });
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.map((c) => c.id).sort()).toEqual(body.data.map((n: { Number: string }) => n.Number).sort());
    expect(choices.every((c) => c.type === numberType)).toBe(true);
  });
});

describe('creates', () => {
  describe('Send SMS', () => {
    let sink: Sink;
    let subscription: CreatedSubscription;
    beforeAll(async () => {
      // Zapier's SMS Status Received trigger, subscribed the way Zapier subscribes it.
      sink = await startSink();
      subscription = CreatedSubscription.parse(await run(auth, 'triggers', 'smsStatusReceived', {}, { method: 'performSubscribe', targetUrl: sink.url }));
    });
    afterAll(() =>
      closeAll(() => subscription && run(auth, 'triggers', 'smsStatusReceived', {}, { method: 'performUnsubscribe', subscribeData: subscription }), sink),
    );

    it.each([
      ['+85291234567', '+85291234567', 'delivered', null],
      // typed as people type it: sent to (and reported for) the number in E.164
      ['+852 9123 4567', '+85291234567', 'delivered', null],
      // the sandbox provider fails numbers ending in 0000
      ['+85291230000', '+85291230000', 'failed', expect.stringContaining('unreachable')],
    ])(
      'sends to %s (%s) from a number the dropdown offers; then the sandbox reports %s through the SMS Status Received hook',
      async (typed, recipientNumber, status, exception) => {
        const [sender] = await dropdown('numberList', { numberType: 'mobile' });
        const sms = api.sendSms.response.parse(
          await create('sendSms', { numberType: 'mobile', senderNumber: sender!.id, recipientNumber: typed, text: `Your parcel is on its way (${unique()})` }),
        );
        expect(sms).toMatchObject({
          numberType: 'mobile',
          senderNumber: sender!.id,
          recipientNumber,
          recipientCountry: 'HK',
          status: 'queued',
          provider: 'sandbox',
        });

        const before = sink.received.length;
        const received = await sink.waitFor(before + 1, 10_000);
        const report = verifySignature(subscription, received[before]!) as EventPayload<'sms.status'>;
        expect(report).toMatchObject({ event: 'sms.status', id: sms.id, transactionId: sms.transactionId, recipientNumber, status, exception });
      },
    );
  });

  it('Send Message to Staff: to a staff member from the Staff dropdown', async () => {
    const [staff] = await dropdown('staffList');
    const sent = api.messageStaff.response.parse(await create('sendStaffMessage', { staff_id: staff!.id, text: 'Customer Mei Chan is waiting on line 2.' }));
    expect(sent).toMatchObject({ staff_id: staff!.id, text: 'Customer Mei Chan is waiting on line 2.' });
    expect(staff!.name).toContain(sent.staffName);
  });

  it('Send Message to Group Room: to a room from the Group Room dropdown', async () => {
    const [room] = await dropdown('roomList');
    const sent = api.messageRoom.response.parse(await create('sendRoomMessage', { room_id: room!.id, text: 'Escalation: order #A-1042.' }));
    expect(sent).toMatchObject({ room_id: room!.id, roomName: room!.name, text: 'Escalation: order #A-1042.' });
  });

  it('Create Contact then Update Contact: only the filled-in fields change', async () => {
    const email = `alice.${unique()}@example.com`;
    const created = api.createContact.response.parse(
      await create('createContact', {
        first_name: 'Alice',
        last_name: 'Tam',
        level: 'vip',
        type: 'customer',
        phone_type: 'mobile',
        phone_number: '+85290001111',
        email_type: 'work',
        email_address: email,
        company: 'Tam Trading',
        city: 'Central',
        country: 'HK',
      }),
    );
    expect(created).toMatchObject({ first_name: 'Alice', last_name: 'Tam', level: 'vip', email_address: email, company: 'Tam Trading', city: 'Central' });

    const updated = api.updateContact.response.parse(
      await create('updateContact', { contact_id: created.id, job_title: 'Director', level: 'gold', first_name: '', email_address: '' }),
    );
    expect(updated).toMatchObject({
      id: created.id,
      contact_id: created.id,
      first_name: 'Alice',
      email_address: email,
      job_title: 'Director',
      level: 'gold',
      company: 'Tam Trading',
    });
  });

  it('Create Ticket with an assignee and a group from the dropdowns, then Update Ticket picked from the ticket dropdown', async () => {
    const agents = await dropdown('agentList');
    const [group] = await dropdown('groupList');
    const requesterEmail = `requester.${unique()}@example.com`;
    const ticket = api.createTicket.response.parse(
      await create('createTicket', {
        message: 'My order #A-1042 has not arrived yet.',
        requesterEmail,
        requesterName: 'Mei Chan',
        subject: 'Order #A-1042 has not arrived',
        assigneeId: agents[0]!.id,
        sourceType: 'mail',
        groupId: group!.id,
        tags: ['delivery', 'e2e'],
      }),
    );
    expect(ticket).toMatchObject({
      status: 'open',
      subject: 'Order #A-1042 has not arrived',
      requester: { mail: requesterEmail, name: 'Mei Chan' },
      assignee: { id: agents[0]!.id },
      currentGroup: { id: Number(group!.id), name: group!.name },
      source: { type: 'mail' },
      tags: ['delivery', 'e2e'],
    });

    const offered = await dropdown('ticketList');
    expect(offered.map((t) => t.id)).toContain(ticket.id);
    const updated = api.updateTicket.response.parse(
      await create('updateTicket', { ticketId: ticket.id, status: 'pending', assigneeId: agents[1]!.id, message: 'We are checking with the courier.' }),
    );
    expect(updated).toMatchObject({ id: ticket.id, status: 'pending', assignee: { id: agents[1]!.id }, subject: ticket.subject });
    expect(updated.events.map((e) => e.message)).toContain('We are checking with the courier.');
  });

  it('Create Contact with what Zapier maps: a Birth Date parsed from "April 18, 1990", no Email Type or Phone Type, a phone typed with spaces', async () => {
    const email = `april.${unique()}@example.com`;
    const phone = `9${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const created = api.createContact.response.parse(
      await create('createContact', {
        first_name: 'April',
        last_name: 'Lee',
        // What a datetime field holds after Zapier parsed "April 18, 1990" in a Zap set to Hong Kong time.
        birth_date: '1990-04-18T00:00:00+08:00',
        email_address: email,
        phone_number: `+852 ${phone.slice(0, 4)} ${phone.slice(4)}`,
      }),
    );
    expect(created).toMatchObject({ birth_date: '1990-04-18', email_type: 'work', email_address: email, phone_type: 'mobile', phone_number: `+852${phone}` });
    const found = parseList(api.findContacts.response, await search('findContact', { phone: `${phone.slice(0, 4)}-${phone.slice(4)}` }));
    expect(found.map((c) => c.id)).toEqual([created.id]);
  });

  it('Find or Create Contact: the search step and the create step answer the same keys and values for one contact', async () => {
    const email = `either.${unique()}@example.com`;
    // The create branch (nothing found yet), then the search branch (found).
    await expect(search('findContact', { email })).resolves.toEqual([]);
    const created = await create<Record<string, unknown>>('createContact', {
      first_name: 'Either',
      last_name: 'Way',
      email_address: email,
      phone_number: '2345 6799',
    });
    const [found] = await search<Record<string, unknown>>('findContact', { email });
    expect(Object.keys(found!).sort()).toEqual(Object.keys(created).sort());
    expect(found).toEqual(created);
    expect(created).toMatchObject({
      fullName: 'Either Way',
      email,
      first_name: 'Either',
      email_type: 'work',
      email_address: email,
      phone_number: '+85223456799',
      mobilePhone: '+85223456799',
    });
  });

  it('Create Agent, then Delete Agent picked from the agent dropdown: it leaves the dropdown', async () => {
    const login = `agent.${unique()}@acme.example`;
    const agent = api.createAgent.response.parse(
      await create('createAgent', {
        login,
        name: 'Erin Chow',
        job_title: 'Night Shift Agent',
        permission: 'normal',
        password: 'secret-123',
        max_chats_count: '4',
      }),
    );
    expect(agent).toMatchObject({ id: login, login, name: 'Erin Chow', job_title: 'Night Shift Agent', permission: 'normal', max_chats_count: 4 });

    const offered = (await dropdown('agentList')).find((choice) => choice.id === login);
    expect(offered).toBeDefined();
    const deleted = api.deleteAgent.response.parse(await create('deleteAgent', { login: offered!.id }));
    expect(deleted).toMatchObject({ login, name: 'Erin Chow', deleted: true });
    expect((await dropdown('agentList')).map((choice) => choice.id)).not.toContain(login);
  });

  it.each([
    ['createContact', { first_name: 'Bad', email_type: 'work', email_address: 'not-an-email' }, /Email Address \(email_address\) must be an email address/],
    ['createContact', { first_name: 'Bad', phone_number: 'call me' }, /Phone Number \(phone_number\) must be a phone number such as \+85291234567/],
    ['createContact', { first_name: 'Bad', birth_date: 'not a date' }, /Birth Date \(birth_date\)/],
    ['updateContact', { contact_id: 'ctc_does_not_exist', job_title: 'Director' }, /^Could not update the contact: .*ctc_does_not_exist/],
    ['createTicket', { message: 'Hello', requesterEmail: 'nobody' }, /Requester's Email \(requester\.mail\) must be an email address/],
    [
      'sendSms',
      { numberType: 'mobile', senderNumber: '+85264501234', recipientNumber: 'call me', text: 'Hi' },
      /Recipient Number \(recipientNumber\) must be a phone number such as \+85291234567/,
    ],
    ['createAgent', { login: 'erin@acme.example', name: 'Erin', max_chats_count: '99' }, /Max Chats Count \(max_chats_count\) must be at most 20/],
  ])('%s refuses bad input with a Zapier error naming the field by its label', async (key, inputData, message) => {
    const failure = await failureOf(create(key, inputData));
    expect(failure.name).toBe('AppError');
    expect(failure.message).toMatch(message);
    expect(failure.message).not.toMatch(/Got \d{3}/);
  });
});

describe('searches', () => {
  it('Find Enquiry by a real display case number; an unknown one finds []', async () => {
    const tags = await dropdown('tagList');
    const opened = await e2e.connector.call('/v1/enquiries', {
      method: 'POST',
      as: auth,
      body: { channel: 'web', type: 'chat', destinationType: 'tag', destinationID: tags[0]!.id, inquiry: 'Do you ship to Macau?', visitor: { name: 'Ivy Ho' } },
    });
    expect(opened.status).toBe(201);
    const caseNumber: string = opened.body.displayCaseNumber;

    const found = parseList(api.findEnquiries.response, await search('findEnquiry', { displayCaseNumber: caseNumber }));
    expect(found.map((e) => [e.id, e.displayCaseNumber, e.inquiry])).toEqual([[opened.body.id, caseNumber, 'Do you ship to Macau?']]);
    await expect(search('findEnquiry', { displayCaseNumber: 'HK-999999' })).resolves.toEqual([]);
  });

  it.each([
    { fullName: 'Mei Chan' },
    { fullName: ' mei  chan ' },
    { email: 'mei.chan@example.com' },
    { phone: '+85291234567' },
    { phone: '+852 9123 4567' },
    { phone: '9123-4567' },
    { phone: '(852) 91234567' },
  ])('Find Contact by %p finds the seeded contact', async (inputData) => {
    const found = parseList(api.findContacts.response, await search('findContact', inputData));
    expect(found.map((c) => c.fullName)).toEqual(['Mei Chan']);
  });

  it.each([{ fullName: 'Nobody Here' }, { email: 'nobody@example.com' }, { phone: '+85200000000' }])(
    'Find Contact by unknown %p finds []',
    async (inputData) => {
      await expect(search('findContact', inputData)).resolves.toEqual([]);
    },
  );

  it('Find Ticket by ID and by requester email (newest first); unknown values find []', async () => {
    const requesterEmail = `finder.${unique()}@example.com`;
    const first = await create('createTicket', { message: 'First', requesterEmail });
    const second = await create('createTicket', { message: 'Second', requesterEmail });

    const byId = parseList(api.listTickets.response, await search('findTicket', { ticketId: first.id }));
    expect(byId.map((t) => t.id)).toEqual([first.id]);
    const byEmail = parseList(api.listTickets.response, await search('findTicket', { requesterEmail }));
    expect(byEmail.map((t) => t.id)).toEqual([second.id, first.id]);
    const open = parseList(api.listTickets.response, await search('findTicket', { requesterEmail, status: 'open' }));
    expect(open).toHaveLength(2);

    await expect(search('findTicket', { ticketId: 'TKT-does-not-exist' })).resolves.toEqual([]);
    await expect(search('findTicket', { requesterEmail: 'nobody@example.com' })).resolves.toEqual([]);
    await expect(search('findTicket', { requesterEmail, status: 'spam' })).resolves.toEqual([]);
  });

  it('Find Agent by email and by name; unknown values find []', async () => {
    const byLogin = parseList(api.listAgents.response, await search('findAgent', { login: 'ava.wong@acme.example' }));
    expect(byLogin.map((a) => a.name)).toEqual(['Ava Wong']);
    const byName = parseList(api.listAgents.response, await search('findAgent', { name: 'Ben Lee' }));
    expect(byName.map((a) => a.login)).toEqual(['ben.lee@acme.example']);

    await expect(search('findAgent', { login: 'nobody@acme.example' })).resolves.toEqual([]);
    await expect(search('findAgent', { name: 'Nobody Here' })).resolves.toEqual([]);
  });
});
