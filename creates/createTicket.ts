import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { outputOf } from '../lib/output-shapes.js';
import { ticketBodyFrom, ticketFieldLabels, ticketInputFields } from '../lib/ticket-fields.js';

const required = new Set(['message', 'requesterEmail']);

const perform = async (z: ZObject, bundle: Bundle) =>
  callConnector(z, bundle, 'createTicket', {
    body: ticketBodyFrom(bundle.inputData, (message) => new z.errors.Error(`Could not create the ticket: ${message}`, 'InvalidInput')),
    action: 'create the ticket',
    fieldLabels: ticketFieldLabels,
  });

export default defineCreate({
  key: 'createTicket',
  noun: 'Ticket',
  display: { label: 'Create Ticket', description: 'Creates a ticket for a requester, with their first message.' },
  operation: {
    inputFields: ticketInputFields.map((f) => ({ ...f, required: required.has(f.key) })),
    perform,
    ...outputOf('Ticket'),
  },
});
