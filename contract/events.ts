import { z } from 'zod';
import { eventTypes } from './enums.js';
import { Id, IsoDateTime, RecordLink } from './common.js';
import { Contact } from './contact.js';
import { EnquiryChannel, EnquiryStatus, EnquiryType, DestinationType } from './enquiry.js';
import { SmsStatus } from './sms.js';
import { ColorCode } from './tag.js';
import { Ticket } from './ticket.js';
import { Chat, Visitor, PreChatAnswer } from './chat.js';

export const EventType = z.enum(eventTypes);
export type EventType = z.infer<typeof EventType>;

/**
 * What every delivered payload starts with. `eventId` is the `webhook-id` header too: stable
 * across retries, so receivers can deduplicate; `id` is the record the event is about.
 */
const envelope = <T extends EventType>(type: T) => ({
  eventId: Id.describe('Unique id of this event; the same on every retry'),
  event: z.literal(type),
  occurredAt: IsoDateTime,
});

const contactStatus = {
  'contact.created': 'created',
  'contact.updated': 'updated',
  'contact.merged': 'merged',
  'contact.ownership_transferred': 'ownership_transferred',
  'contact.deleted': 'deleted',
} as const;
const contactEvent = <T extends keyof typeof contactStatus>(type: T) =>
  z.object({
    ...envelope(type),
    id: Id,
    status: z.literal(contactStatus[type]),
    name: z.string().describe("The contact's full name"),
    link: RecordLink,
    contact: Contact,
  });

export const ContactCreatedEvent = contactEvent('contact.created');
export const ContactUpdatedEvent = contactEvent('contact.updated').extend({
  changedFields: z.array(z.string()).describe('Keys of the contact that changed, e.g. ["email", "level"]'),
});
export const ContactMergedEvent = contactEvent('contact.merged').extend({
  mergedContactIds: z.array(Id).describe('Contacts merged into this one; they no longer exist on their own'),
});
export const ContactOwnershipTransferredEvent = contactEvent('contact.ownership_transferred').extend({
  fromOwnerID: Id,
  fromOwnerName: z.string(),
  toOwnerID: Id,
  toOwnerName: z.string(),
});
export const ContactDeletedEvent = contactEvent('contact.deleted');

const enquiryEvent = <T extends `enquiry.${string}` & EventType>(type: T) =>
  z.object({
    ...envelope(type),
    id: Id,
    status: EnquiryStatus,
    enquiryID: Id,
    displayCaseNumber: z.string(),
    type: EnquiryType,
    channel: EnquiryChannel,
    date: IsoDateTime.describe('When the enquiry reached this status'),
    destination: z.string().describe('Name of the number, tag or staff member the enquiry went to'),
    destinationID: Id,
    destinationTypes: DestinationType,
    visitorName: z.string(),
    handledBy: z.object({ id: Id, name: z.string() }).nullable(),
    link: RecordLink,
  });
export const EnquiryCreatedEvent = enquiryEvent('enquiry.created');
export const EnquiryHandledEvent = enquiryEvent('enquiry.handled');
export const EnquiryClosedEvent = enquiryEvent('enquiry.closed');
export const EnquiryMissedEvent = enquiryEvent('enquiry.missed');

export const SmsStatusEvent = z.object({
  ...envelope('sms.status'),
  id: Id,
  transactionId: Id,
  recipientNumber: z.string(),
  recipientCountry: z.string(),
  responseCode: z.string(),
  status: SmsStatus,
  exception: z.string().nullable(),
});

const tagStatus = { 'tag.created': 'created', 'tag.updated': 'updated', 'tag.deleted': 'deleted' } as const;
const tagEvent = <T extends keyof typeof tagStatus>(type: T) =>
  z.object({ ...envelope(type), status: z.literal(tagStatus[type]), id: Id, name: z.string(), colorCode: ColorCode });
export const TagCreatedEvent = tagEvent('tag.created');
export const TagUpdatedEvent = tagEvent('tag.updated').extend({
  changedFields: z.array(z.enum(['name', 'colorCode'])),
});
export const TagDeletedEvent = tagEvent('tag.deleted');

/** The seed's WebhookTicketResponse: the ticket under `ticket`. */
export const TicketCreatedEvent = z.object({ ...envelope('ticket.created'), id: Id, ticket: Ticket });

/** The seed's WebhookChatResponse: `chat`, `visitor`, `pre_chat_survey`, `event_unique_id`. */
const chatEvent = <T extends 'chat.started' | 'chat.ended'>(type: T) =>
  z.object({
    ...envelope(type),
    id: Id,
    event_unique_id: Id,
    chat: Chat,
    visitor: Visitor,
    pre_chat_survey: z.array(PreChatAnswer).meta({ title: 'Pre-Chat Survey' }),
  });
export const ChatStartedEvent = chatEvent('chat.started');
export const ChatEndedEvent = chatEvent('chat.ended');

export const eventPayloads = {
  'contact.created': ContactCreatedEvent,
  'contact.updated': ContactUpdatedEvent,
  'contact.merged': ContactMergedEvent,
  'contact.ownership_transferred': ContactOwnershipTransferredEvent,
  'contact.deleted': ContactDeletedEvent,
  'enquiry.created': EnquiryCreatedEvent,
  'enquiry.handled': EnquiryHandledEvent,
  'enquiry.closed': EnquiryClosedEvent,
  'enquiry.missed': EnquiryMissedEvent,
  'sms.status': SmsStatusEvent,
  'tag.created': TagCreatedEvent,
  'tag.updated': TagUpdatedEvent,
  'tag.deleted': TagDeletedEvent,
  'ticket.created': TicketCreatedEvent,
  'chat.started': ChatStartedEvent,
  'chat.ended': ChatEndedEvent,
} as const satisfies Record<EventType, z.ZodType>;
export type EventPayload<T extends EventType = EventType> = z.infer<(typeof eventPayloads)[T]>;
