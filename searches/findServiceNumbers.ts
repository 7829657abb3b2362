import { defineSearch, defineInputFields, type InferInputData, type SearchPerform } from 'zapier-platform-core';
import { numberTypes } from '../contract/enums.js';
import { findMany, SEARCH_RESULT_CAP } from '../lib/find-many.js';
import { labelFor } from '../lib/labels.js';
import { outputOf } from '../lib/output-shapes.js';

const fieldLabels = { numberType: 'Number Type' } as const;

const inputFields = defineInputFields([
  {
    key: 'numberType',
    label: fieldLabels.numberType,
    choices: Object.fromEntries(numberTypes.map((t) => [t, labelFor(t)])),
    helpText: `Only numbers of this type; leave it empty for every service number. At most ${SEARCH_RESULT_CAP} numbers come back, by type and label.`,
  },
]);

const perform = (async (z, bundle) =>
  findMany(z, bundle, 'listNumbers', {
    query: { numberType: bundle.inputData.numberType } as Record<string, string | undefined>,
    action: 'find service numbers',
    fieldLabels,
    nouns: 'service numbers',
    order: 'by type and label',
    narrowBy: 'Number Type',
  })) satisfies SearchPerform<InferInputData<typeof inputFields>>;

/** CINNOX's "Get Number List" (取得號碼名單): the service numbers with their ServiceID, Number and type. */
export default defineSearch({
  key: 'findServiceNumbers',
  noun: 'Service Number',
  display: {
    label: 'Find Service Numbers',
    description: `Finds the service numbers, all or of one number type, with their ServiceID, Number and type (up to ${SEARCH_RESULT_CAP}, each usable as a line item).`,
  },
  operation: { inputFields, perform, ...outputOf('ServiceNumber') },
});
