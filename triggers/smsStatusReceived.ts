import { instantTrigger } from '../lib/hooks.js';
import { smsStatusFilter } from '../lib/filter-fields.js';

export default instantTrigger({
  key: 'smsStatusReceived',
  event: 'sms.status',
  noun: 'SMS Status',
  label: 'SMS Status Received',
  description: 'Triggers when a delivery status arrives for an SMS sent from the contact centre.',
  filters: [smsStatusFilter],
});
