import { ticketSample } from '../contract/samples.js';
import { dropdownTrigger } from '../lib/dropdown.js';

export default dropdownTrigger({
  key: 'ticketList',
  noun: 'Ticket',
  endpoint: 'listTickets',
  toChoice: (t) => ({ id: t.id, name: `${t.subject || '(no subject)'} · ${t.requester.mail} · ${t.status}` }),
  sample: { id: ticketSample.id, name: `${ticketSample.subject} · ${ticketSample.requester.mail} · ${ticketSample.status}` },
});
