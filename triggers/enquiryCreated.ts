import { instantTrigger } from '../lib/hooks.js';
import { channelFilter, enquiryTypeFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'enquiryCreated',
  event: 'enquiry.created',
  noun: 'Enquiry',
  label: 'New Enquiry',
  description: 'Triggers when a new enquiry (with its enquiry ID and case number) reaches the contact centre.',
  filters: [channelFilter, enquiryTypeFilter],
});
