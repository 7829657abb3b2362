import { ticketSample } from '../contract/index.js';
import { connector, run, useNock } from './support/connector.js';

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
    await expect(run('creates', 'createTicket', { message: 'Hello', requesterEmail: 'mei.chan@example.com', priority: '3', ticketType: '0' })).resolves.toEqual(ticketSample);
  });
});

describe('Update Ticket', () => {
  it('PATCHes /v1/tickets/:id with just the new status', async () => {
    const solved = { ...ticketSample, status: 'solved' };
    connector().patch('/v1/tickets/TKT-1042', { status: 'solved' }).reply(200, solved);
    await expect(run('creates', 'updateTicket', { ticketId: 'TKT-1042', status: 'solved' })).resolves.toEqual(solved);
  });

  it('sends the status with every other filled-in field, nested like Create Ticket, never the ticket id', async () => {
    connector().patch('/v1/tickets/TKT-1042', { ...nestedBody, status: 'pending' }).reply(200, ticketSample);
    await expect(run('creates', 'updateTicket', { ticketId: ' TKT-1042 ', status: 'pending', ...fullForm })).resolves.toEqual(ticketSample);
  });
});
