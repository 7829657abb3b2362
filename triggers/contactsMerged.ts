import { instantTrigger } from '../lib/hooks.js';
import { staffFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'contactsMerged',
  event: 'contact.merged',
  noun: 'Contact',
  label: 'Contacts Merged',
  description: 'Triggers when external contacts are merged into one.',
  filters: [staffFilter('ownerID', 'Owner', 'Only merges into contacts owned by this staff member. Leave empty for every owner.')],
});
