import { instantTrigger } from '../lib/hooks.js';
import { channelFilter, enquiryTypeFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'enquiryMissed',
  event: 'enquiry.missed',
  noun: 'Enquiry',
  label: 'Enquiry Missed',
  description: 'Triggers when an enquiry ends without anyone handling it.',
  filters: [channelFilter, enquiryTypeFilter],
});
