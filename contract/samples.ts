/**
 * One realistic sample of every resource, event payload and admin shape. Plain data with
 * type-only imports, so the Zapier app can use the samples without loading zod; a test
 * parses each one with its schema.
 */
import type { z } from 'zod';
import type { Agent } from './agent.js';
import type { ZapierAccountWithToken } from './admin.js';
import type { Chat, PreChatAnswer, Visitor } from './chat.js';
import type { Contact, ContactRecord, UpdatedContactRecord } from './contact.js';
import type { Enquiry } from './enquiry.js';
import type { EventPayload, EventType } from './events.js';
import type { CreatedSubscription } from './hooks.js';
import type { Me } from './identity.js';
import type { Room, RoomMessage, Staff, StaffMessage } from './messaging.js';
import type { ServiceNumber } from './number.js';
import type { SmsMessage } from './sms.js';
import type { Tag } from './tag.js';
import type { Group, Ticket } from './ticket.js';
import type { SupportExport } from './support-export.js';

export const enquirySample: Enquiry = {
  id: 'enq_7Hk2q9',
  _id: 'enq_7Hk2q9',
  uniqueKey: 'c0a8f6f2-7a9e-4c43-9d1e-3f6a2b0c5d11',
  createdAT: '2026-11-20T09:14:03.000Z',
  svcID: 'svc_acme_hk',
  inquiry: 'Hi, my order #A-1042 has not arrived yet.',
  tag: 'Customer Care',
  visitor: { id: 'vis_31', name: 'Mei Chan', email: 'mei.chan@example.com', phone: '+85291234567' },
  roomID: 'room_enq_7Hk2q9',
  initChannel: 'web',
  omniType: 'chat',
  ip: '203.0.113.24',
  language: 'en',
  location: 'Hong Kong',
  locationDetail: { country: 'HK', city: 'Hong Kong' },
  platform: 'Chrome 131 on macOS',
  status: 'closed',
  closedByType: 'staff',
  displayCaseNumber: 'HK-000128',
  channel: 'web',
  destinationID: 'tag_care',
  destinationName: 'Customer Care',
  destinationType: 'tag',
  destinationEndPoint: 'Customer Care',
  handledType: 'staff',
  handledTarget: 'stf_ava',
  handledPartyName: 'Ava Wong',
  huntedStaffTargetHistory: ['stf_ben', 'stf_ava'],
  channelDetail: 'Website widget',
  inquiryType: 'chat',
  updatedAt: '2026-11-20T09:31:40.000Z',
  closedAt: '2026-11-20T09:31:40.000Z',
  inquiryGroup: 'Orders',
  transferredParty: null,
  pickedUpAt: '2026-11-20T09:15:10.000Z',
  missedAt: null,
  reopenedAt: null,
  handledPartyDepartment: 'Support',
  visitorName: 'Mei Chan',
  closeDuration: 1057,
  historyJoined: ['Mei Chan', 'Ava Wong'],
  attachment: [{ name: 'order-A-1042.jpg', url: 'https://connector.example.com/console/enquiries/enq_7Hk2q9/files/order-A-1042.jpg' }],
  staffFirstName: 'Ava',
  staffLastName: 'Wong',
  visitorFirstName: 'Mei',
  visitorLastName: 'Chan',
  inquiryDeepLink: 'https://connector.example.com/console/enquiries/enq_7Hk2q9',
  cid: 'cid_5521',
};

export const contactSample: Contact = {
  id: 'ctc_4QmT8s',
  firstName: 'Mei',
  lastName: 'Chan',
  fullName: 'Mei Chan',
  mobilePhone: '+85291234567',
  workPhone: '',
  homePhone: '',
  otherPhone: '',
  email: 'mei.chan@example.com',
  personalEmail: '',
  otherEmail: '',
  facebook: '',
  whatsApp: '+85291234567',
  weChat: '',
  line: '',
  twitter: '',
  linkedin: '',
  companyName: 'Harbour Foods Ltd',
  department: 'Procurement',
  jobTitle: 'Buyer',
  birthday: '1990-04-18',
  language: 'en',
  addresses: [{ street: '18 Harbour Road', city: 'Wan Chai', state: 'Hong Kong Island', zipCode: '000000', country: 'HK' }],
  customerType: 'customer',
  group: 'Wholesale',
  level: 'gold',
  ownerID: 'stf_ava',
  ownerName: 'Ava Wong',
  ownerDepartment: 'Support',
  sharedWith: ['stf_ben'],
  slavecontacts: [],
  createdAt: '2026-11-18T02:41:09.000Z',
  updatedAt: '2026-11-20T07:02:55.000Z',
  link: 'https://connector.example.com/console/contacts/ctc_4QmT8s',
};

export const contactRecordSample: ContactRecord = {
  ...contactSample,
  id: 'ctc_4QmT8s',
  first_name: 'Mei',
  last_name: 'Chan',
  level: 'gold',
  type: 'customer',
  phone_type: 'mobile',
  phone_number: '+85291234567',
  email_type: 'work',
  email_address: 'mei.chan@example.com',
  company: 'Harbour Foods Ltd',
  job_title: 'Buyer',
  team: 'Procurement',
  group: 'Wholesale',
  language: 'en',
  birth_date: '1990-04-18',
  zip_code: '000000',
  street: '18 Harbour Road',
  city: 'Wan Chai',
  state: 'Hong Kong Island',
  country: 'HK',
  social_messaging_type: 'whatsApp',
  social_messaging_name_id: '+85291234567',
  link: 'https://connector.example.com/console/contacts/ctc_4QmT8s',
};

export const updatedContactRecordSample: UpdatedContactRecord = {
  ...contactRecordSample,
  contact_id: 'ctc_4QmT8s',
  social_mesasging_type: 'whatsApp',
};

export const tagSample: Tag = {
  id: 'tag_vip',
  name: 'VIP',
  colorCode: '#E53935',
  createdAt: '2026-10-02T03:00:00.000Z',
  updatedAt: '2026-11-19T06:45:12.000Z',
};

export const numberSample: ServiceNumber = {
  id: 'num_hk_mobile',
  ServiceID: 'svc_acme_hk',
  Number: '+85264501234',
  type: 'mobile',
  label: 'Hong Kong SMS line',
  smsCapable: true,
};

export const smsSample: SmsMessage = {
  id: 'sms_9TnA42',
  transactionId: 'sms_9TnA42',
  numberType: 'mobile',
  senderNumber: '+85264501234',
  recipientNumber: '+85291234567',
  recipientCountry: 'HK',
  text: 'Your order #A-1042 is out for delivery today.',
  status: 'queued',
  responseCode: '0',
  exception: null,
  provider: 'sandbox',
  createdAt: '2026-11-20T10:02:11.000Z',
};

export const staffSample: Staff = {
  id: 'stf_ava',
  name: 'Ava Wong',
  email: 'ava.wong@acme.example',
  department: 'Support',
  role: 'supervisor',
};

export const roomSample: Room = { id: 'room_escalations', name: 'Escalations', memberCount: 6 };
export const staffMessageSample: StaffMessage = {
  id: 'im_5Xq1',
  staff_id: 'stf_ava',
  staffName: 'Ava Wong',
  text: 'New VIP enquiry HK-000128 is waiting for you.',
  sentAt: '2026-11-20T09:14:05.000Z',
};

export const roomMessageSample: RoomMessage = {
  id: 'im_5Xq2',
  room_id: 'room_escalations',
  roomName: 'Escalations',
  text: 'Enquiry HK-000128 was missed: please call the customer back.',
  sentAt: '2026-11-20T09:20:41.000Z',
};

export const ticketSample: Ticket = {
  id: 'TKT-1042',
  date: '2026-11-20T08:12:00.000Z',
  modified: '2026-11-20T08:40:31.000Z',
  status: 'open',
  subject: 'Order #A-1042 has not arrived',
  requester: { mail: 'mei.chan@example.com', name: 'Mei Chan', ip: '203.0.113.24' },
  source: { id: 'src_chat_88', type: 'chat-window', url: 'https://shop.example.com/orders' },
  assignee: { id: 'ava.wong@acme.example', name: 'Ava Wong' },
  currentGroup: { id: 1, name: 'Customer Care' },
  groups: [{ id: 1, name: 'Customer Care' }],
  events: [
    {
      author: { id: 'mei.chan@example.com', name: 'Mei Chan', type: 'client' },
      date: '2026-11-20T08:12:00.000Z',
      is_private: false,
      message: 'My order #A-1042 has not arrived yet.',
      source: { type: 'chat-window', url: 'https://shop.example.com/orders' },
      type: 'message',
    },
  ],
  tags: ['delivery'],
  link: 'https://connector.example.com/console/tickets/TKT-1042',
  kf5: {
    status: 1,
    status_name: 'open',
    type_id: 0,
    type_name: 'question',
    priority: 2,
    priority_name: 'high',
    group_id: 1,
    requester_id: 1310,
    assignee_id: 1001,
    source: 'chat',
    recipient: null,
    score: null,
    description: 'My order #A-1042 has not arrived yet.',
    organization_id: 159,
    language: 'en',
    fields: { field_757: 'A-1042' },
    ccs: [],
    push_count: 0,
  },
};

export const groupSample: Group = { id: 1, name: 'Customer Care' };

export const agentSample: Agent = {
  id: 'ava.wong@acme.example',
  login: 'ava.wong@acme.example',
  name: 'Ava Wong',
  avatar: 'avatars/ava-wong.png',
  job_title: 'Support Agent',
  login_status: 'accepting chats',
  permission: 'normal',
  max_chats_count: 6,
  status: 'accepting chats',
  groups: [{ id: 1, name: 'Customer Care' }],
  createdAt: '2026-09-01T01:00:00.000Z',
  user_id: 1001,
};

export const chatSample: Chat = {
  id: 'CHT-3KZ9',
  agents: [{ login: 'ava.wong@acme.example', name: 'Ava Wong' }],
  started_timestamp: '2026-11-20T08:02:17.000Z',
  ended_timestamp: '2026-11-20T08:11:45.000Z',
  events: [{ text: 'Chat started', timestamp: '2026-11-20T08:02:17.000Z', type: 'chat_started', user_type: 'visitor' }],
  groups: [1],
  messages: [
    {
      agent_id: null,
      author_name: 'Mei Chan',
      text: 'Hello, where is my order?',
      timestamp: '2026-11-20T08:02:17.000Z',
      user_type: 'visitor',
    },
    {
      agent_id: 'ava.wong@acme.example',
      author_name: 'Ava Wong',
      text: 'Let me check that for you.',
      timestamp: '2026-11-20T08:03:02.000Z',
      user_type: 'agent',
    },
  ],
  tags: ['delivery'],
  url: 'https://shop.example.com/orders',
  link: 'https://connector.example.com/console/chats/CHT-3KZ9',
};

export const visitorSample: z.infer<typeof Visitor> = {
  id: 'vis_31',
  name: 'Mei Chan',
  email: 'mei.chan@example.com',
  language: 'en',
  page_current: 'https://shop.example.com/orders',
};

export const preChatSurveySample: z.infer<typeof PreChatAnswer>[] = [{ id: 'q_order', label: 'Order number', answer: 'A-1042' }];

export const meSample: Me = {
  account: { id: 'app_2f9c1d7e', name: 'Marketing Zaps' },
  workspace: { id: 'ws_acme', name: 'Acme Contact Centre' },
  rateLimit: { limit: 100, windowSeconds: 60 },
};

export const subscriptionSample: CreatedSubscription = {
  id: 'sub_8f2KqW',
  event: 'enquiry.created',
  targetUrl: 'https://hooks.zapier.com/hooks/standard/1234567/abcdef/',
  filters: { channel: 'web' },
  status: 'active',
  createdAt: '2026-11-20T09:00:00.000Z',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
};

export const zapierAccountSample: ZapierAccountWithToken = {
  appId: 'app_2f9c1d7e',
  name: 'Marketing Zaps',
  baseUrl: 'https://connector.example.com',
  createdAt: '2026-11-01T08:00:00.000Z',
  tokenRegeneratedAt: null,
  appToken: 'cct_9vJ0kq3Zl7m2WbX4yHcT8rPqS1dF6gN5aE0uV3iK2oL',
};

/** The conversation export (Ferndesk's format): the sample chat, as the export shows it. */
export const supportExportSample: SupportExport = {
  conversations: [
    {
      id: 'chat_CHT-3KZ9',
      url: 'https://connector.example.com/console/chats/CHT-3KZ9',
      lastMessageAt: '2026-11-20T08:03:02.000Z',
      messages: [
        { id: 'chat_CHT-3KZ9_m0', role: 'user', content: 'Hello, where is my order?', createdAt: '2026-11-20T08:02:17.000Z' },
        { id: 'chat_CHT-3KZ9_m1', role: 'agent', content: 'Let me check that for you.', createdAt: '2026-11-20T08:03:02.000Z' },
      ],
    },
  ],
};

// ---- event payloads, built from the resource samples ----

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
