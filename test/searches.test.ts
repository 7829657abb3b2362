import App from '../index.js';
import { agentSample, contactRecordSample, contactSample, enquirySample, ticketSample } from '../contract/index.js';
import { connector, failureOf, run, useNock } from './support/connector.js';

useNock();

describe('Find Enquiry', () => {
  it('GETs /v1/enquiries by the trimmed display case number and returns the matches', async () => {
    connector()
      .get('/v1/enquiries')
      .query({ displayCaseNumber: 'HK-000128' })
      .reply(200, { data: [enquirySample] });
    await expect(run('searches', 'findEnquiry', { displayCaseNumber: ' HK-000128 ' })).resolves.toEqual([enquirySample]);
  });

  it('returns [] when nothing matches', async () => {
    connector().get('/v1/enquiries').query({ displayCaseNumber: 'HK-999999' }).reply(200, { data: [] });
    await expect(run('searches', 'findEnquiry', { displayCaseNumber: 'HK-999999' })).resolves.toEqual([]);
  });
});

describe('Find Contact', () => {
  it.each([
    [{ fullName: 'Mei Chan' }, { fullName: 'Mei Chan' }],
    [{ email: 'mei.chan@example.com', fullName: '' }, { email: 'mei.chan@example.com' }],
    [{ fullName: ' Mei Chan ', email: '  ', phone: '' }, { fullName: 'Mei Chan' }],
    [{ phone: '+85291234567' }, { phone: '+85291234567' }],
    [
      { fullName: 'Mei Chan', email: 'mei.chan@example.com', phone: '+85291234567' },
      { fullName: 'Mei Chan', email: 'mei.chan@example.com', phone: '+85291234567' },
    ],
  ])('searches by %j with the query %j', async (inputData, query) => {
    connector()
      .get('/v1/contacts')
      .query(query)
      .reply(200, { data: [contactSample] });
    await expect(run('searches', 'findContact', inputData)).resolves.toEqual([contactSample]);
  });

  it.each(['+852 9876 5401', '9876-5401', '(852) 98765401'])('sends the phone %s as typed (the connector matches it in E.164)', async (phone) => {
    connector()
      .get('/v1/contacts')
      .query({ phone })
      .reply(200, { data: [contactRecordSample] });
    await expect(run('searches', 'findContact', { phone })).resolves.toEqual([contactRecordSample]);
  });

  it('answers the same keys as Create Contact, so Find or Create Contact has one shape whichever step ran', () => {
    const keysOf = (fields: readonly { key: string }[]) => fields.map((f) => f.key).sort();
    const search = App.searches!.findContact!.operation;
    const create = App.creates!.createContact!.operation;
    expect(App.searchOrCreates!.findContact).toMatchObject({ search: 'findContact', create: 'createContact' });
    expect(keysOf(search.outputFields as { key: string }[])).toEqual(keysOf(create.outputFields as { key: string }[]));
    expect(Object.keys(search.sample!).sort()).toEqual(Object.keys(create.sample!).sort());
    // Both seed shapes: Find Contact's camelCase keys and Create Contact's snake_case ones.
    expect(Object.keys(search.sample!)).toEqual(expect.arrayContaining(['fullName', 'mobilePhone', 'email', 'first_name', 'phone_number', 'email_address']));
  });

  it.each([{}, { fullName: '', email: '  ', phone: '' }])('asks to fill in at least one field (%j), without a request', async (inputData) => {
    const failure = await failureOf(run('searches', 'findContact', inputData));
    expect(failure).toMatchObject({ name: 'AppError', code: 'InvalidInput', message: 'Fill in Full Name, Email or Phone to find a contact.' });
  });
});

describe('Find Ticket', () => {
  it.each([
    [{ ticketId: 'TKT-1042' }, { id: 'TKT-1042' }],
    [{ ticketId: ' TKT-1042 ', requesterEmail: ' ', status: '' }, { id: 'TKT-1042' }],
    [
      { requesterEmail: 'mei.chan@example.com', status: 'open' },
      { requesterEmail: 'mei.chan@example.com', status: 'open' },
    ],
  ])('searches by %j with the query %j', async (inputData, query) => {
    connector()
      .get('/v1/tickets')
      .query(query)
      .reply(200, { data: [ticketSample] });
    await expect(run('searches', 'findTicket', inputData)).resolves.toEqual([ticketSample]);
  });

  it('asks for the ticket id or requester email (status alone is not enough), without a request', async () => {
    const failure = await failureOf(run('searches', 'findTicket', { status: 'open' }));
    expect(failure).toMatchObject({ code: 'InvalidInput', message: "Fill in Ticket ID or Requester's Email to find a ticket." });
  });
});

describe('Find Agent', () => {
  it.each([
    [{ login: 'ava.wong@acme.example' }, { login: 'ava.wong@acme.example' }],
    [{ name: 'Ava' }, { name: 'Ava' }],
    [{ login: ' ava.wong@acme.example ', name: ' ' }, { login: 'ava.wong@acme.example' }],
  ])('searches by %j with the query %j', async (inputData, query) => {
    connector()
      .get('/v1/agents')
      .query(query)
      .reply(200, { data: [agentSample] });
    await expect(run('searches', 'findAgent', inputData)).resolves.toEqual([agentSample]);
  });

  it('puts agents whose whole name was typed before those whose name only contains it', async () => {
    const ava = agentSample;
    const avalon = { ...agentSample, login: 'avalon.chan@acme.example', name: 'Avalon Chan' };
    const justAva = { ...agentSample, login: 'ava@acme.example', name: 'AVA' };
    connector()
      .get('/v1/agents')
      .query({ name: 'ava' })
      .reply(200, { data: [avalon, ava, justAva] });
    await expect(run('searches', 'findAgent', { name: 'ava' })).resolves.toEqual([justAva, avalon, ava]);
  });

  it('asks for an email or a name, without a request', async () => {
    expect(await failureOf(run('searches', 'findAgent', { login: ' ' }))).toMatchObject({
      code: 'InvalidInput',
      message: 'Fill in Email or Name to find an agent.',
    });
  });
});
