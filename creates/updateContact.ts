import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { contactBodyFrom, contactFieldLabels, contactInputFields } from '../lib/contact-fields.js';
import { outputOf } from '../lib/output-shapes.js';

const perform = async (z: ZObject, bundle: Bundle) =>
  callConnector(z, bundle, 'updateContact', {
    params: { id: String(bundle.inputData.contact_id ?? '').trim() },
    body: contactBodyFrom(bundle.inputData, (message) => new z.errors.Error(`Could not update the contact: ${message}`, 'InvalidInput')),
    action: 'update the contact',
    fieldLabels: { ...contactFieldLabels, id: 'External Contact ID' },
  });

export default defineCreate({
  key: 'updateContact',
  noun: 'Contact',
  display: {
    label: 'Update Contact',
    description: 'Updates the fields you fill in on an external contact; empty fields keep their value. Custom fields are not supported.',
  },
  operation: {
    inputFields: [
      {
        key: 'contact_id',
        label: 'External Contact ID',
        required: true,
        search: 'findContact.id',
        helpText: 'The contact to update: map its ID from a trigger or a Find Contact step.',
      },
      ...contactInputFields.map((f) => ({ ...f, required: false })),
    ],
    perform,
    ...outputOf('UpdatedContactRecord'),
  },
});
