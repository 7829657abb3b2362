import { instantTrigger } from '../lib/hooks.js';
import { contactFieldFilter, staffFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'contactUpdated',
  event: 'contact.updated',
  noun: 'Contact',
  label: 'Contact Updated',
  description: "Triggers when an external contact's details are edited, optionally only when a chosen field changes.",
  filters: [contactFieldFilter, staffFilter('ownerID', 'Owner', 'Only contacts owned by this staff member. Leave empty for every owner.')],
});
