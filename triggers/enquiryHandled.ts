import { instantTrigger } from '../lib/hooks.js';
import { channelFilter, enquiryTypeFilter, staffFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'enquiryHandled',
  event: 'enquiry.handled',
  noun: 'Enquiry',
  label: 'Enquiry Handled',
  description: 'Triggers when a staff member picks up and handles an enquiry.',
  filters: [channelFilter, enquiryTypeFilter, staffFilter('handledBy', 'Handled By', 'Only enquiries handled by this staff member. Leave empty for anyone.')],
});
