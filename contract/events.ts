import { z } from 'zod';
import { Id, IsoDateTime, RecordLink } from './common.js';
import { Contact, contactSample } from './contact.js';
import { EnquiryChannel, EnquiryStatus, EnquiryType, DestinationType, enquirySample } from './enquiry.js';
import { SmsStatus } from './sms.js';
import { ColorCode, tagSample } from './tag.js';
import { Ticket, ticketSample } from './ticket.js';
import { Chat, Visitor, PreChatAnswer, chatSample, visitorSample, preChatSurveySample } from './chat.js';

export const eventTypes = [
  'contact.created',
  'contact.updated',
  'contact.merged',
  'contact.ownership_transferred',
  'contact.deleted',
  'enquiry.created',
  'enquiry.handled',
  'enquiry.closed',
  'enquiry.missed',
  'sms.status',
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'ticket.created',
  'chat.started',
  'chat.ended',
] as const;
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

const contactStatus = { 'contact.created': 'created', 'contact.updated': 'updated', 'contact.merged': 'merged', 'contact.ownership_transferred': 'ownership_transferred', 'contact.deleted': 'deleted' } as const;
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
    pre_chat_survey: z.array(PreChatAnswer),
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

/**
 * Filters a subscription may carry, per event: filter key → the payload path it must match.
 * A filter matches when the value there equals it, or (for a list) contains it.
 */
export const eventFilters = {
  'contact.created': { ownerID: 'contact.ownerID' },
  'contact.updated': { ownerID: 'contact.ownerID', changedField: 'changedFields' },
  'contact.merged': { ownerID: 'contact.ownerID' },
  'contact.ownership_transferred': { fromOwnerID: 'fromOwnerID', toOwnerID: 'toOwnerID' },
  'contact.deleted': { ownerID: 'contact.ownerID' },
  'enquiry.created': { channel: 'channel', type: 'type', destinationID: 'destinationID' },
  'enquiry.handled': { channel: 'channel', type: 'type', destinationID: 'destinationID', handledBy: 'handledBy.id' },
  'enquiry.closed': { channel: 'channel', type: 'type', destinationID: 'destinationID' },
  'enquiry.missed': { channel: 'channel', type: 'type', destinationID: 'destinationID' },
  'sms.status': { status: 'status' },
  'tag.created': {},
  'tag.updated': { tagId: 'id', changedField: 'changedFields' },
  'tag.deleted': { tagId: 'id' },
  'ticket.created': { sourceType: 'ticket.source.type', groupId: 'ticket.currentGroup.id', tag: 'ticket.tags' },
  'chat.started': { groupId: 'chat.groups', tag: 'chat.tags' },
  'chat.ended': { groupId: 'chat.groups', tag: 'chat.tags' },
} as const satisfies Record<EventType, Record<string, string>>;

export type EventFilters = Record<string, string>;

const valueAt = (payload: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), payload);

/** Does this payload pass a subscription's filters? Empty filters always pass. */
export function matchesFilters(type: EventType, payload: unknown, filters: EventFilters | null | undefined): boolean {
  const paths: Record<string, string> = eventFilters[type];
  return Object.entries(filters ?? {}).every(([key, wanted]) => {
    const path = paths[key];
    if (!path) return false;
    const actual = valueAt(payload, path);
    if (Array.isArray(actual)) return actual.some((v) => String(v) === wanted);
    return actual !== undefined && actual !== null && String(actual) === wanted;
  });
}

// ---- samples: one realistic payload per event, built from the resource samples ----

const at = (iso: string, id: string) => ({ occurredAt: iso, eventId: id });
const contactBase = { id: contactSample.id, name: contactSample.fullName, link: contactSample.link, contact: contactSample };
const enquiryBase = {
  id: enquirySample.id,
  enquiryID: enquirySample.id,
  displayCaseNumber: enquirySample.displayCaseNumber,
  type: enquirySample.omniType,
  channel: enquirySample.channel,
  destination: enquirySample.destinationName,
  destinationID: enquirySample.destinationID,
  destinationTypes: enquirySample.destinationType,
  visitorName: enquirySample.visitorName,
  link: enquirySample.inquiryDeepLink,
};
const tagBase = { id: tagSample.id, name: tagSample.name, colorCode: tagSample.colorCode };
const chatBase = { id: chatSample.id, chat: chatSample, visitor: visitorSample, pre_chat_survey: preChatSurveySample };

export const eventSamples: { [T in EventType]: EventPayload<T> } = {
  'contact.created': { event: 'contact.created', ...at('2026-11-18T02:41:09.000Z', 'evt_01JD2C0A1'), status: 'created', ...contactBase },
  'contact.updated': {
    event: 'contact.updated',
    ...at('2026-11-20T07:02:55.000Z', 'evt_01JD2C0A2'),
    status: 'updated',
    ...contactBase,
    changedFields: ['level', 'email'],
  },
  'contact.merged': {
    event: 'contact.merged',
    ...at('2026-11-20T07:05:00.000Z', 'evt_01JD2C0A3'),
    status: 'merged',
    ...contactBase,
    mergedContactIds: ['ctc_9PzL2b'],
  },
  'contact.ownership_transferred': {
    event: 'contact.ownership_transferred',
    ...at('2026-11-20T07:06:30.000Z', 'evt_01JD2C0A4'),
    status: 'ownership_transferred',
    ...contactBase,
    fromOwnerID: 'stf_ben',
    fromOwnerName: 'Ben Lee',
    toOwnerID: 'stf_ava',
    toOwnerName: 'Ava Wong',
  },
  'contact.deleted': { event: 'contact.deleted', ...at('2026-11-20T07:10:00.000Z', 'evt_01JD2C0A5'), status: 'deleted', ...contactBase },
  'enquiry.created': {
    event: 'enquiry.created',
    ...at('2026-11-20T09:14:03.000Z', 'evt_01JD2C0B1'),
    ...enquiryBase,
    status: 'new',
    date: '2026-11-20T09:14:03.000Z',
    handledBy: null,
  },
  'enquiry.handled': {
    event: 'enquiry.handled',
    ...at('2026-11-20T09:15:10.000Z', 'evt_01JD2C0B2'),
    ...enquiryBase,
    status: 'handled',
    date: '2026-11-20T09:15:10.000Z',
    handledBy: { id: 'stf_ava', name: 'Ava Wong' },
  },
  'enquiry.closed': {
    event: 'enquiry.closed',
    ...at('2026-11-20T09:31:40.000Z', 'evt_01JD2C0B3'),
    ...enquiryBase,
    status: 'closed',
    date: '2026-11-20T09:31:40.000Z',
    handledBy: { id: 'stf_ava', name: 'Ava Wong' },
  },
  'enquiry.missed': {
    event: 'enquiry.missed',
    ...at('2026-11-20T09:20:41.000Z', 'evt_01JD2C0B4'),
    ...enquiryBase,
    status: 'missed',
    date: '2026-11-20T09:20:41.000Z',
    handledBy: null,
  },
  'sms.status': {
    event: 'sms.status',
    ...at('2026-11-20T10:02:14.000Z', 'evt_01JD2C0C1'),
    id: 'sms_9TnA42',
    transactionId: 'sms_9TnA42',
    recipientNumber: '+85291234567',
    recipientCountry: 'HK',
    responseCode: '0',
    status: 'delivered',
    exception: null,
  },
  'tag.created': { event: 'tag.created', ...at('2026-10-02T03:00:00.000Z', 'evt_01JD2C0D1'), status: 'created', ...tagBase },
  'tag.updated': {
    event: 'tag.updated',
    ...at('2026-11-19T06:45:12.000Z', 'evt_01JD2C0D2'),
    status: 'updated',
    ...tagBase,
    changedFields: ['colorCode'],
  },
  'tag.deleted': { event: 'tag.deleted', ...at('2026-11-20T11:00:00.000Z', 'evt_01JD2C0D3'), status: 'deleted', ...tagBase },
  'ticket.created': { event: 'ticket.created', ...at(ticketSample.date, 'evt_01JD2C0E1'), id: ticketSample.id, ticket: ticketSample },
  'chat.started': {
    event: 'chat.started',
    ...at(chatSample.started_timestamp, 'evt_01JD2C0F1'),
    event_unique_id: 'evt_01JD2C0F1',
    ...chatBase,
    chat: { ...chatSample, ended_timestamp: null, messages: chatSample.messages.slice(0, 1) },
  },
  'chat.ended': {
    event: 'chat.ended',
    ...at('2026-11-20T08:11:45.000Z', 'evt_01JD2C0F2'),
    event_unique_id: 'evt_01JD2C0F2',
    ...chatBase,
  },
};
