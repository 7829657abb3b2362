import { defineSearch, defineInputFields, type InferInputData, type SearchPerform } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { outputOf } from '../lib/output-shapes.js';

const inputFields = defineInputFields([
  { key: 'fullName', label: 'Full Name', helpText: 'First and last name, e.g. Mei Chan. Fill in at least one of Full Name, Email and Phone.' },
  { key: 'email', label: 'Email', helpText: "Any of the contact's email addresses." },
  {
    key: 'phone',
    label: 'Phone',
    helpText: "Any of the contact's phone numbers, typed any way: +852 9876 5401, 9876-5401 and (852) 98765401 all find +85298765401.",
  },
]);

const perform = (async (z, bundle) => {
  const { fullName, email, phone } = bundle.inputData;
  if (![fullName, email, phone].some((v) => v && String(v).trim())) {
    throw new z.errors.Error('Fill in Full Name, Email or Phone to find a contact.', 'InvalidInput');
  }
  const found = await callConnector(z, bundle, 'findContacts', {
    query: { fullName, email, phone } as Record<string, string | undefined>,
    action: 'find the contact',
    fieldLabels: { fullName: 'Full Name', email: 'Email', phone: 'Phone' },
    notFoundIsEmpty: true,
  });
  return found?.data ?? [];
}) satisfies SearchPerform<InferInputData<typeof inputFields>>;

export default defineSearch({
  key: 'findContact',
  noun: 'Contact',
  display: { label: 'Find Contact', description: 'Finds an external contact by full name, email or phone.' },
  // Create Contact's shape too, so Find or Create Contact answers the same keys whichever step ran.
  operation: { inputFields, perform, ...outputOf('ContactRecord') },
});
