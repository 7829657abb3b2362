import {
  agentSample,
  contactRecordSample,
  contactSample,
  enquirySample,
  eventSamples,
  numberSample,
  roomMessageSample,
  smsSample,
  staffMessageSample,
  ticketSample,
  updatedContactRecordSample,
} from '../contract/samples.js';
import { outputFields, type OutputShape } from './generated/output-fields.js';

type Sample = Record<string, unknown>;

/** One sample per shape the app outputs, so an operation never picks its sample apart from its fields. */
const samples: { readonly [Name in OutputShape]: Sample } = {
  Agent: agentSample,
  Contact: contactSample,
  ContactRecord: contactRecordSample,
  DeletedAgent: { ...agentSample, deleted: true },
  Enquiry: enquirySample,
  RoomMessage: roomMessageSample,
  ServiceNumber: numberSample,
  SmsMessage: smsSample,
  StaffMessage: staffMessageSample,
  Ticket: ticketSample,
  UpdatedContactRecord: updatedContactRecordSample,
  ...(eventSamples as { [Event in keyof typeof eventSamples]: Sample }),
};

/**
 * What an operation outputs, named once: its sample and its output fields, both of the contract
 * shape `shape`. The fields are the generated array itself (not a copy), which is how
 * test/samples.test.ts finds the shape again to parse the sample with its schema.
 */
export const outputOf = (shape: OutputShape) => ({ sample: samples[shape], outputFields: outputFields[shape] });
