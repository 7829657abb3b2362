import { instantTrigger } from '../lib/hooks.js';
import { staffFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'contactCreated',
  event: 'contact.created',
  noun: 'Contact',
  label: 'New Contact',
  description: 'Triggers when an external contact is added to the contact centre.',
  filters: [staffFilter('ownerID', 'Owner', 'Only contacts owned by this staff member. Leave empty for every owner.')],
});
