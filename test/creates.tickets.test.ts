import { ticketSample } from '../contract/index.js';
import App from '../index.js';
import { connector, failureOf, run, useNock } from './support/connector.js';

useNock();

const fullForm = {
  message: ' My order #A-1042 has not arrived yet. ',
  requesterEmail: 'mei.chan@example.com',
  requesterName: 'Mei Chan',
  subject: 'Order #A-1042 has not arrived',
  assigneeId: 'ava.wong@acme.example',
  sourceType: 'chat-window',
  sourceUrl: 'https://shop.example.com/orders',
  groupId: '1',
  tags: ['delivery', ' vip ', ''],
};
const nestedBody = {
  message: 'My order #A-1042 has not arrived yet.',
  requester: { mail: 'mei.chan@example.com', name: 'Mei Chan' },
  subject: 'Order #A-1042 has not arrived',
  assignee: { id: 'ava.wong@acme.example' },
  source: { type: 'chat-window', url: 'https://shop.example.com/orders' },
  groupId: 1,
  tags: ['delivery', 'vip'],
};

describe('Create Ticket', () => {
  it('posts the nested contract body built from the form and returns the ticket', async () => {
    connector().post('/v1/tickets', nestedBody).reply(201, ticketSample);
    await expect(run('creates', 'createTicket', fullForm)).resolves.toEqual(ticketSample);
  });

  it('leaves out everything not filled in', async () => {
    connector()
      .post('/v1/tickets', { message: 'Hello', requester: { mail: 'mei.chan@example.com' } })
      .reply(201, ticketSample);
    const inputData = { message: 'Hello', requesterEmail: 'mei.chan@example.com', requesterName: '', subject: ' ', tags: [] };
    await expect(run('creates', 'createTicket', inputData)).resolves.toEqual(ticketSample);
  });

  it('sends the helpdesk priority and type as kf5 numbers', async () => {
    connector()
      .post('/v1/tickets', { message: 'Hello', requester: { mail: 'mei.chan@example.com' }, kf5: { priority: 3, type_id: 0 } })
      .reply(201, ticketSample);
    await expect(run('creates', 'createTicket', { message: 'Hello', requesterEmail: 'mei.chan@example.com', priority: '3', ticketType: '0' })).resolves.toEqual(
      ticketSample,
    );
  });
});

describe('Create Ticket with mapped choices', () => {
  const base = { message: 'Hello', requesterEmail: 'mei.chan@example.com' };
  const baseBody = { message: 'Hello', requester: { mail: 'mei.chan@example.com' } };

  it.each([
    [
      { priority: 'High', ticketType: 'Incident' },
      { priority: 2, type_id: 1 },
    ],
    [
      { priority: 'urgent', ticketType: 'TASK' },
      { priority: 3, type_id: 3 },
    ],
    [
      { priority: ' 0 ', ticketType: '2' },
      { priority: 0, type_id: 2 },
    ],
  ])('maps Priority and Ticket Type %j, value or label, to the kf5 numbers %j', async (inputData, kf5) => {
    connector()
      .post('/v1/tickets', { ...baseBody, kf5 })
      .reply(201, ticketSample);
    await expect(run('creates', 'createTicket', { ...base, ...inputData })).resolves.toEqual(ticketSample);
  });

  it('maps a Source Type and a Status in any case', async () => {
    connector()
      .patch('/v1/tickets/TKT-1042', { status: 'pending', source: { type: 'mail' } })
      .reply(200, ticketSample);
    await expect(run('creates', 'updateTicket', { ticketId: 'TKT-1042', status: 'Pending', sourceType: 'MAIL' })).resolves.toEqual(ticketSample);
  });

  it.each([
    [
      'createTicket',
      { ...base, priority: 'Highest' },
      'Could not create the ticket: Priority must be one of Low (0), Normal (1), High (2), Urgent (3); got "Highest".',
    ],
    [
      'createTicket',
      { ...base, ticketType: 'Bug' },
      'Could not create the ticket: Ticket Type must be one of Question (0), Incident (1), Problem (2), Task (3); got "Bug".',
    ],
    ['createTicket', { ...base, groupId: 'Support' }, 'Could not create the ticket: Group must be a group ID (a number) from the Group list; got "Support".'],
    ['createTicket', { ...base, sourceType: 'fax' }, 'Could not create the ticket: Source Type must be one of '],
    ['updateTicket', { ticketId: 'TKT-1042', status: 'done' }, 'Could not update the ticket: Status must be one of Open, Pending, '],
  ])('%s refuses %j before any request, naming the field and what it takes', async (key, inputData, message) => {
    const failure = await failureOf(run('creates', key, inputData));
    expect(failure).toMatchObject({ name: 'AppError', code: 'InvalidInput' });
    expect(failure.message.startsWith(message)).toBe(true);
  });

  it('labels the ticket type Ticket Type and states the message limit', () => {
    const fields = App.creates!.createTicket!.operation.inputFields as { key: string; label: string; helpText?: string }[];
    expect(fields.find((f) => f.key === 'ticketType')!.label).toBe('Ticket Type');
    expect(fields.find((f) => f.key === 'message')!.helpText).toContain('20,000 characters');
    const labels = fields.map((f) => f.label);
    expect(new Set(labels).size).toBe(labels.length);
  });
});

describe('Update Ticket', () => {
  it('PATCHes /v1/tickets/:id with just the new status', async () => {
    const solved = { ...ticketSample, status: 'solved' };
    connector().patch('/v1/tickets/TKT-1042', { status: 'solved' }).reply(200, solved);
    await expect(run('creates', 'updateTicket', { ticketId: 'TKT-1042', status: 'solved' })).resolves.toEqual(solved);
  });

  it('sends the status with every other filled-in field, nested like Create Ticket, never the ticket id', async () => {
    connector()
      .patch('/v1/tickets/TKT-1042', { ...nestedBody, status: 'pending' })
      .reply(200, ticketSample);
    await expect(run('creates', 'updateTicket', { ticketId: ' TKT-1042 ', status: 'pending', ...fullForm })).resolves.toEqual(ticketSample);
  });
});
