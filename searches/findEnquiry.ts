import { defineSearch, defineInputFields, type InferInputData, type SearchPerform } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { outputOf } from '../lib/output-shapes.js';

const inputFields = defineInputFields([
  { key: 'displayCaseNumber', label: 'Display Case Number', required: true, helpText: 'The case number shown to staff and customers, e.g. HK-000128.' },
]);

const perform = (async (z, bundle) => {
  const found = await callConnector(z, bundle, 'findEnquiries', {
    query: { displayCaseNumber: String(bundle.inputData.displayCaseNumber ?? '').trim() },
    action: 'find the enquiry',
    fieldLabels: { displayCaseNumber: 'Display Case Number' },
    notFoundIsEmpty: true,
  });
  return found?.data ?? [];
}) satisfies SearchPerform<InferInputData<typeof inputFields>>;

export default defineSearch({
  key: 'findEnquiry',
  noun: 'Enquiry',
  display: { label: 'Find Enquiry', description: 'Finds an enquiry by its display case number, with all its details.' },
  operation: { inputFields, perform, ...outputOf('Enquiry') },
});
