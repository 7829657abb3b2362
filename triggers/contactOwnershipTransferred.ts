import { instantTrigger } from '../lib/hooks.js';
import { staffFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'contactOwnershipTransferred',
  event: 'contact.ownership_transferred',
  noun: 'Contact',
  label: 'Contact Ownership Transferred',
  description: 'Triggers when the ownership of an external contact is transferred to another staff member.',
  filters: [
    staffFilter('fromOwnerID', 'From Owner', 'Only transfers away from this staff member. Leave empty for anyone.'),
    staffFilter('toOwnerID', 'To Owner', 'Only transfers to this staff member. Leave empty for anyone.'),
  ],
});
