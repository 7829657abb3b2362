import { defineCreate, type Bundle, type ZObject } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { contactBodyFrom, contactFieldLabels, contactInputFields } from '../lib/contact-fields.js';
import { outputOf } from '../lib/output-shapes.js';

const perform = async (z: ZObject, bundle: Bundle) =>
  callConnector(z, bundle, 'createContact', {
    body: contactBodyFrom(bundle.inputData, (message) => new z.errors.Error(`Could not create the contact: ${message}`, 'InvalidInput')),
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
    ...outputOf('ContactRecord'),
  },
});
