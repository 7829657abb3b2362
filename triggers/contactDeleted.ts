import { instantTrigger } from '../lib/hooks.js';
import { staffFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'contactDeleted',
  event: 'contact.deleted',
  noun: 'Contact',
  label: 'Contact Deleted',
  description: 'Triggers when an external contact is deleted; the contact is delivered as it was.',
  filters: [staffFilter('ownerID', 'Owner', 'Only contacts owned by this staff member. Leave empty for every owner.')],
});
