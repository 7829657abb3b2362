import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { dropdownOf } from '../lib/dropdown.js';
import { outputOf } from '../lib/output-shapes.js';
import { ticketBodyFrom, ticketFieldLabels, ticketInputFields, ticketStatusField } from '../lib/ticket-fields.js';
import ticketList from '../triggers/ticketList.js';

const perform = async (z: ZObject, bundle: Bundle) =>
  callConnector(z, bundle, 'updateTicket', {
    params: { id: String(bundle.inputData.ticketId ?? '').trim() },
    body: ticketBodyFrom(bundle.inputData, (message) => new z.errors.Error(`Could not update the ticket: ${message}`, 'InvalidInput')),
    action: 'update the ticket',
    fieldLabels: { ...ticketFieldLabels, id: 'Ticket' },
  });

export default defineCreate({
  key: 'updateTicket',
  noun: 'Ticket',
  display: {
    label: 'Update Ticket',
    description: 'Updates the fields you fill in on a ticket (status, assignee, subject, ...) and adds a message if given.',
  },
  operation: {
    inputFields: [
      { key: 'ticketId', label: 'Ticket', required: true, dynamic: dropdownOf(ticketList), search: 'findTicket.id' },
      ticketStatusField,
      ...ticketInputFields.map((f) => ({ ...f, required: false })),
    ],
    perform,
    ...outputOf('Ticket'),
  },
});
