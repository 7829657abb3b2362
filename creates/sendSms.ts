import { defineCreate, defineInputFields, type CreatePerform, type InferInputData } from 'zapier-platform-core';
import { numberTypes } from '../contract/enums.js';
import { callConnector } from '../lib/connector.js';
import { dropdownOf } from '../lib/dropdown.js';
import { labelFor } from '../lib/labels.js';
import { outputOf } from '../lib/output-shapes.js';
import numberList from '../triggers/numberList.js';

const inputFields = defineInputFields([
  {
    key: 'numberType',
    label: 'Number Type',
    required: true,
    choices: Object.fromEntries(numberTypes.map((t) => [t, labelFor(t)])),
    altersDynamicFields: true,
    helpText: 'The kind of service number to send from; the Sender Number list shows numbers of this type.',
  },
  {
    key: 'senderNumber',
    label: 'Sender Number',
    required: true,
    dynamic: dropdownOf(numberList),
    helpText: 'The service number (or sender id) the SMS comes from.',
  },
  {
    key: 'recipientNumber',
    label: 'Recipient Number',
    required: true,
    helpText:
      "Typed any way, e.g. +852 9123 4567 or 9123-4567; a number without a country code is read in the connector's default region (Hong Kong unless set otherwise).",
  },
  { key: 'text', label: 'Text', required: true, type: 'text', helpText: 'Up to 1,600 characters; long texts are sent as several parts.' },
]);

const perform = (async (z, bundle) =>
  callConnector(z, bundle, 'sendSms', {
    body: {
      numberType: bundle.inputData.numberType,
      senderNumber: bundle.inputData.senderNumber,
      recipientNumber: bundle.inputData.recipientNumber,
      text: bundle.inputData.text,
    },
    action: 'send the SMS',
    fieldLabels: Object.fromEntries(inputFields.map((f) => [f.key, f.label])),
  })) satisfies CreatePerform<InferInputData<typeof inputFields>>;

export default defineCreate({
  key: 'sendSms',
  noun: 'SMS',
  display: {
    label: 'Send SMS',
    description: 'Sends an SMS from one of your service numbers; its delivery status arrives later through the SMS Status Received trigger.',
  },
  operation: { inputFields, perform, ...outputOf('SmsMessage') },
});
