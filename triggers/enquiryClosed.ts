import { instantTrigger } from '../lib/hooks.js';
import { channelFilter, enquiryTypeFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'enquiryClosed',
  event: 'enquiry.closed',
  noun: 'Enquiry',
  label: 'Enquiry Closed',
  description: 'Triggers when an enquiry is closed.',
  filters: [channelFilter, enquiryTypeFilter],
});
