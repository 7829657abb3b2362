import { z } from 'zod';
import { Id, listOf } from './common.js';
import { Me } from './identity.js';
import { CreatedSubscription, RecentEventsQuery, SubscribeBody, Subscription } from './hooks.js';
import { EventType, eventPayloads } from './events.js';
import {
  CloseEnquiryBody,
  Enquiry,
  FindEnquiryQuery,
  HandleEnquiryBody,
  OpenEnquiryBody,
} from './enquiry.js';
import {
  Contact,
  ContactRecord,
  CreateContactBody,
  FindContactQuery,
  MergeContactsBody,
  TransferContactBody,
  UpdateContactBody,
  UpdatedContactRecord,
} from './contact.js';
import { CreateTagBody, Tag, UpdateTagBody } from './tag.js';
import { ListNumbersQuery, ServiceNumber } from './number.js';
import { SendSmsBody, SmsMessage } from './sms.js';
import { Room, RoomMessage, SendRoomMessageBody, SendStaffMessageBody, Staff, StaffMessage } from './messaging.js';
import { CreateTicketBody, FindTicketQuery, Group, Ticket, UpdateTicketBody } from './ticket.js';
import { Agent, CreateAgentBody, DeletedAgent, FindAgentQuery } from './agent.js';
import { Chat, ChatMessageBody, StartChatBody } from './chat.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One endpoint of the connector's public API: the app calls it, the connector serves it. */
export interface Endpoint {
  method: HttpMethod;
  /** Fastify-style path; `:name` segments are filled from `params`. */
  path: string;
  summary: string;
  status: number;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

const endpoint = <E extends Endpoint>(e: E) => e;
const byId = z.object({ id: Id });
const byLogin = z.object({ login: z.email('must be the agent\'s email address') });

/** Every payload of one event type, for `performList` (exactly the delivered shape). */
const RecentEvents = z.object({ data: z.array(z.union(Object.values(eventPayloads))) });

export const api = {
  me: endpoint({ method: 'GET', path: '/v1/me', summary: 'Who these credentials belong to', status: 200, response: Me }),

  subscribe: endpoint({ method: 'POST', path: '/v1/hooks', summary: 'Subscribe a target URL to an event', status: 201, body: SubscribeBody, response: CreatedSubscription }),
  unsubscribe: endpoint({ method: 'DELETE', path: '/v1/hooks/:id', summary: 'End a subscription', status: 200, params: byId, response: Subscription }),
  listSubscriptions: endpoint({ method: 'GET', path: '/v1/hooks', summary: "This account's subscriptions", status: 200, response: listOf(Subscription) }),
  recentEvents: endpoint({ method: 'GET', path: '/v1/hooks/samples', summary: 'Recent payloads of one event type, newest first', status: 200, query: RecentEventsQuery, response: RecentEvents }),

  findEnquiries: endpoint({ method: 'GET', path: '/v1/enquiries', summary: 'Find enquiries by display case number', status: 200, query: FindEnquiryQuery, response: listOf(Enquiry) }),
  getEnquiry: endpoint({ method: 'GET', path: '/v1/enquiries/:id', summary: 'One enquiry', status: 200, params: byId, response: Enquiry }),
  openEnquiry: endpoint({ method: 'POST', path: '/v1/enquiries', summary: 'Open an enquiry', status: 201, body: OpenEnquiryBody, response: Enquiry }),
  handleEnquiry: endpoint({ method: 'POST', path: '/v1/enquiries/:id/handle', summary: 'A staff member picks the enquiry up', status: 200, params: byId, body: HandleEnquiryBody, response: Enquiry }),
  closeEnquiry: endpoint({ method: 'POST', path: '/v1/enquiries/:id/close', summary: 'Close the enquiry', status: 200, params: byId, body: CloseEnquiryBody, response: Enquiry }),
  missEnquiry: endpoint({ method: 'POST', path: '/v1/enquiries/:id/miss', summary: 'Close the enquiry as missed (nobody handled it)', status: 200, params: byId, response: Enquiry }),

  findContacts: endpoint({ method: 'GET', path: '/v1/contacts', summary: 'Find contacts by full name, email or phone', status: 200, query: FindContactQuery, response: listOf(Contact) }),
  getContact: endpoint({ method: 'GET', path: '/v1/contacts/:id', summary: 'One contact', status: 200, params: byId, response: Contact }),
  createContact: endpoint({ method: 'POST', path: '/v1/contacts', summary: 'Create an external contact', status: 201, body: CreateContactBody, response: ContactRecord }),
  updateContact: endpoint({ method: 'PATCH', path: '/v1/contacts/:id', summary: 'Update an external contact', status: 200, params: byId, body: UpdateContactBody, response: UpdatedContactRecord }),
  deleteContact: endpoint({ method: 'DELETE', path: '/v1/contacts/:id', summary: 'Delete an external contact', status: 200, params: byId, response: Contact }),
  mergeContacts: endpoint({ method: 'POST', path: '/v1/contacts/:id/merge', summary: 'Merge other contacts into this one', status: 200, params: byId, body: MergeContactsBody, response: Contact }),
  transferContact: endpoint({ method: 'POST', path: '/v1/contacts/:id/transfer', summary: "Transfer the contact's ownership", status: 200, params: byId, body: TransferContactBody, response: Contact }),

  listTags: endpoint({ method: 'GET', path: '/v1/tags', summary: 'All tags', status: 200, response: listOf(Tag) }),
  createTag: endpoint({ method: 'POST', path: '/v1/tags', summary: 'Create a tag', status: 201, body: CreateTagBody, response: Tag }),
  updateTag: endpoint({ method: 'PATCH', path: '/v1/tags/:id', summary: 'Rename or recolour a tag', status: 200, params: byId, body: UpdateTagBody, response: Tag }),
  deleteTag: endpoint({ method: 'DELETE', path: '/v1/tags/:id', summary: 'Delete a tag', status: 200, params: byId, response: Tag }),

  listNumbers: endpoint({ method: 'GET', path: '/v1/numbers', summary: 'Service numbers, optionally of one type', status: 200, query: ListNumbersQuery, response: listOf(ServiceNumber) }),

  sendSms: endpoint({ method: 'POST', path: '/v1/sms', summary: 'Send an SMS', status: 201, body: SendSmsBody, response: SmsMessage }),

  listStaff: endpoint({ method: 'GET', path: '/v1/staff', summary: 'Staff members', status: 200, response: listOf(Staff) }),
  listRooms: endpoint({ method: 'GET', path: '/v1/rooms', summary: 'Group chat rooms', status: 200, response: listOf(Room) }),
  messageStaff: endpoint({ method: 'POST', path: '/v1/messages/staff', summary: 'Send an instant message to a staff member', status: 201, body: SendStaffMessageBody, response: StaffMessage }),
  messageRoom: endpoint({ method: 'POST', path: '/v1/messages/rooms', summary: 'Send an instant message to a group room', status: 201, body: SendRoomMessageBody, response: RoomMessage }),

  listTickets: endpoint({ method: 'GET', path: '/v1/tickets', summary: 'Tickets, newest first; filter by id, requester email or status', status: 200, query: FindTicketQuery, response: listOf(Ticket) }),
  getTicket: endpoint({ method: 'GET', path: '/v1/tickets/:id', summary: 'One ticket', status: 200, params: byId, response: Ticket }),
  createTicket: endpoint({ method: 'POST', path: '/v1/tickets', summary: 'Create a ticket', status: 201, body: CreateTicketBody, response: Ticket }),
  updateTicket: endpoint({ method: 'PATCH', path: '/v1/tickets/:id', summary: 'Update a ticket', status: 200, params: byId, body: UpdateTicketBody, response: Ticket }),

  listGroups: endpoint({ method: 'GET', path: '/v1/groups', summary: 'Agent groups', status: 200, response: listOf(Group) }),
  listAgents: endpoint({ method: 'GET', path: '/v1/agents', summary: 'Agents; filter by login or name', status: 200, query: FindAgentQuery.optional(), response: listOf(Agent) }),
  createAgent: endpoint({ method: 'POST', path: '/v1/agents', summary: 'Add an agent', status: 201, body: CreateAgentBody, response: Agent }),
  deleteAgent: endpoint({ method: 'DELETE', path: '/v1/agents/:login', summary: 'Remove an agent', status: 200, params: byLogin, response: DeletedAgent }),

  startChat: endpoint({ method: 'POST', path: '/v1/chats', summary: 'Start a chat', status: 201, body: StartChatBody, response: Chat }),
  getChat: endpoint({ method: 'GET', path: '/v1/chats/:id', summary: 'One chat', status: 200, params: byId, response: Chat }),
  postChatMessage: endpoint({ method: 'POST', path: '/v1/chats/:id/messages', summary: 'Add a message to a chat', status: 201, params: byId, body: ChatMessageBody, response: Chat }),
  endChat: endpoint({ method: 'POST', path: '/v1/chats/:id/end', summary: 'End a chat', status: 200, params: byId, response: Chat }),
} as const satisfies Record<string, Endpoint>;

export type Api = typeof api;
export type EndpointName = keyof Api;
export type ResponseOf<N extends EndpointName> = z.infer<Api[N]['response']>;
export type BodyOf<N extends EndpointName> = Api[N] extends { body: z.ZodType } ? z.input<Api[N]['body']> : never;
export type QueryOf<N extends EndpointName> = Api[N] extends { query: z.ZodType } ? z.input<Api[N]['query']> : never;
export type ParamsOf<N extends EndpointName> = Api[N] extends { params: z.ZodType } ? z.input<Api[N]['params']> : never;
