import { defineSearch, defineInputFields, type InferInputData, type SearchPerform } from 'zapier-platform-core';
import { ticketStatuses } from '../contract/enums.js';
import { callConnector } from '../lib/connector.js';
import { outputOf } from '../lib/output-shapes.js';

const inputFields = defineInputFields([
  { key: 'ticketId', label: 'Ticket ID', helpText: "Fill in the ticket ID, or the requester's email to find their newest ticket." },
  { key: 'requesterEmail', label: "Requester's Email" },
  {
    key: 'status',
    label: 'Status',
    choices: Object.fromEntries(ticketStatuses.map((s) => [s, s[0]!.toUpperCase() + s.slice(1)])),
    helpText: 'Only tickets with this status.',
  },
]);

const perform = (async (z, bundle) => {
  const { ticketId, requesterEmail, status } = bundle.inputData;
  if (![ticketId, requesterEmail].some((v) => v && String(v).trim())) {
    throw new z.errors.Error("Fill in Ticket ID or Requester's Email to find a ticket.", 'InvalidInput');
  }
  const found = await callConnector(z, bundle, 'listTickets', {
    query: { id: ticketId, requesterEmail, status } as Record<string, string | undefined>,
    action: 'find the ticket',
    fieldLabels: { id: 'Ticket ID', requesterEmail: "Requester's Email", status: 'Status' },
    notFoundIsEmpty: true,
  });
  return found?.data ?? [];
}) satisfies SearchPerform<InferInputData<typeof inputFields>>;

export default defineSearch({
  key: 'findTicket',
  noun: 'Ticket',
  display: { label: 'Find Ticket', description: "Finds a ticket by its ID or by the requester's email, newest first." },
  operation: { inputFields, perform, ...outputOf('Ticket') },
});
