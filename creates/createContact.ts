import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { ContactRecord, contactRecordSample } from '../contract/index.js';
import { callConnector } from '../lib/connector.js';
import { contactBodyFrom, contactFieldLabels, contactInputFields } from '../lib/contact-fields.js';
import { outputFieldsFor } from '../lib/fields.js';

const perform = async (z: ZObject, bundle: Bundle) =>
  callConnector(z, bundle, 'createContact', {
    body: contactBodyFrom(bundle.inputData),
    action: 'create the contact',
    fieldLabels: contactFieldLabels,
  });

export default defineCreate({
  key: 'createContact',
  noun: 'Contact',
  display: {
    label: 'Create Contact',
    description: 'Creates an external contact in the contact centre.',
  },
  operation: {
    inputFields: [...contactInputFields],
    perform,
    sample: contactRecordSample,
    outputFields: outputFieldsFor(ContactRecord),
  },
});
