import { instantTrigger } from '../lib/hooks.js';
import { groupFilter, labelTagFilter, ticketSourceFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'ticketCreated',
  event: 'ticket.created',
  noun: 'Ticket',
  label: 'New Ticket',
  description: 'Triggers when a new ticket is created.',
  filters: [ticketSourceFilter, groupFilter('tickets'), labelTagFilter('tickets')],
});
