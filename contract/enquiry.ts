import { z } from 'zod';
import { enquiryStatuses, enquiryChannels, enquiryTypes, destinationTypes } from './enums.js';
import { Id, IsoDateTime, RecordLink } from './common.js';

export const EnquiryStatus = z.enum(enquiryStatuses);

export const EnquiryChannel = z.enum(enquiryChannels);

/** The kind of conversation the enquiry is. */
export const EnquiryType = z.enum(enquiryTypes);

/** Where an enquiry was routed: a service number, a tag (team) or a staff member. */
export const DestinationType = z.enum(destinationTypes);

/**
 * The full enquiry, as "Find Enquiry" returns it. Keys and their spelling are the seed's
 * (`createdAT`, `_id`, `svcID`, ...); `id`, `link` and the zoned times are what Zapier needs.
 */
export const Enquiry = z.object({
  id: Id,
  _id: Id,
  uniqueKey: z.string(),
  createdAT: IsoDateTime,
  svcID: z.string(),
  inquiry: z.string().describe('The first message or subject of the enquiry'),
  tag: z.string().nullable().describe('The tag (team) the enquiry was routed to'),
  visitor: z.object({ id: Id, name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }),
  roomID: z.string(),
  initChannel: EnquiryChannel,
  omniType: EnquiryType,
  ip: z.string().nullable(),
  language: z.string().nullable(),
  location: z.string().nullable(),
  locationDetail: z.object({ country: z.string().nullable(), city: z.string().nullable() }),
  platform: z.string().nullable(),
  status: EnquiryStatus,
  closedByType: z.enum(['staff', 'visitor', 'system']).nullable(),
  displayCaseNumber: z.string(),
  channel: EnquiryChannel,
  destinationID: Id,
  destinationName: z.string(),
  destinationType: DestinationType,
  destinationEndPoint: z.string().describe('The number, address or tag the visitor reached'),
  handledType: z.enum(['staff', 'bot']).nullable(),
  handledTarget: z.string().nullable().describe('Id of the staff member who handled it'),
  handledPartyName: z.string().nullable(),
  huntedStaffTargetHistory: z.array(z.string()).describe('Ids of staff the enquiry rang, in order'),
  channelDetail: z.string().nullable(),
  inquiryType: EnquiryType,
  updatedAt: IsoDateTime,
  closedAt: IsoDateTime.nullable(),
  inquiryGroup: z.string().nullable(),
  transferredParty: z.string().nullable(),
  pickedUpAt: IsoDateTime.nullable(),
  missedAt: IsoDateTime.nullable(),
  reopenedAt: IsoDateTime.nullable(),
  handledPartyDepartment: z.string().nullable(),
  visitorName: z.string(),
  closeDuration: z.number().int().nonnegative().nullable().describe('Seconds from creation to closing'),
  historyJoined: z.array(z.string()).describe('Names of everyone who joined the conversation'),
  attachment: z.array(z.object({ name: z.string(), url: z.url() })),
  staffFirstName: z.string().nullable(),
  staffLastName: z.string().nullable(),
  visitorFirstName: z.string().nullable(),
  visitorLastName: z.string().nullable(),
  inquiryDeepLink: RecordLink,
  cid: z.string(),
});
export type Enquiry = z.infer<typeof Enquiry>;

export const FindEnquiryQuery = z.object({
  displayCaseNumber: z.string().trim().min(1, 'is required'),
});

/** Opening an enquiry (the simulator and the contact centre's own channels do this). */
export const OpenEnquiryBody = z.object({
  channel: EnquiryChannel,
  type: EnquiryType,
  destinationType: DestinationType,
  destinationID: Id,
  inquiry: z.string().trim().min(1).max(4000),
  visitor: z.object({
    name: z.string().trim().min(1).max(200),
    email: z.email().optional(),
    phone: z.string().max(32).optional(),
  }),
  language: z.string().max(16).optional(),
});
export const HandleEnquiryBody = z.object({ staffId: Id });
export const CloseEnquiryBody = z.object({ closedByType: z.enum(['staff', 'visitor', 'system']).default('staff') });
