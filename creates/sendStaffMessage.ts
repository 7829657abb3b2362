import { defineCreate, defineInputFields, type CreatePerform, type InferInputData } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { dropdownOf } from '../lib/dropdown.js';
import { outputOf } from '../lib/output-shapes.js';
import staffList from '../triggers/staffList.js';

const inputFields = defineInputFields([
  { key: 'staff_id', label: 'Staff', required: true, dynamic: dropdownOf(staffList), helpText: 'The staff member who receives the message.' },
  { key: 'text', label: 'Text', required: true, type: 'text' },
]);

const perform = (async (z, bundle) =>
  callConnector(z, bundle, 'messageStaff', {
    body: { staff_id: bundle.inputData.staff_id, text: bundle.inputData.text },
    action: 'send the message to the staff member',
    fieldLabels: { staff_id: 'Staff', text: 'Text' },
  })) satisfies CreatePerform<InferInputData<typeof inputFields>>;

export default defineCreate({
  key: 'sendStaffMessage',
  noun: 'Instant Message',
  display: {
    label: 'Send Message to Staff',
    description: 'Sends an instant message to a staff member in the contact centre.',
  },
  operation: { inputFields, perform, ...outputOf('StaffMessage') },
});
