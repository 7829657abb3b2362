import { z } from 'zod';
import { routes, type EndpointName, type Route } from './routes.js';
import { Id, listOf, pageOf, PageQuery } from './common.js';
import { Me } from './identity.js';
import { CreatedSubscription, RecentEventsQuery, SubscribeBody, Subscription } from './hooks.js';
import { eventPayloads } from './events.js';
import { CloseEnquiryBody, Enquiry, FindEnquiryQuery, HandleEnquiryBody, OpenEnquiryBody } from './enquiry.js';
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

/** One endpoint of the connector's public API: the app calls it, the connector serves it. */
export interface Endpoint extends Route {
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

const byId = z.object({ id: Id });
const byLogin = z.object({ login: z.email("must be the agent's email address") });

/** Every payload of one event type, for `performList` (exactly the delivered shape). */
const RecentEvents = z.object({ data: z.array(z.union(Object.values(eventPayloads))) });

/** The routes with their schemas: the connector validates with them and documents them in OpenAPI. */
export const api = {
  me: { ...routes.me, response: Me },
  subscribe: { ...routes.subscribe, body: SubscribeBody, response: CreatedSubscription },
  unsubscribe: { ...routes.unsubscribe, params: byId, response: Subscription },
  listSubscriptions: { ...routes.listSubscriptions, response: listOf(Subscription) },
  recentEvents: { ...routes.recentEvents, query: RecentEventsQuery, response: RecentEvents },
  findEnquiries: { ...routes.findEnquiries, query: FindEnquiryQuery, response: listOf(Enquiry) },
  getEnquiry: { ...routes.getEnquiry, params: byId, response: Enquiry },
  openEnquiry: { ...routes.openEnquiry, body: OpenEnquiryBody, response: Enquiry },
  handleEnquiry: { ...routes.handleEnquiry, params: byId, body: HandleEnquiryBody, response: Enquiry },
  closeEnquiry: { ...routes.closeEnquiry, params: byId, body: CloseEnquiryBody, response: Enquiry },
  missEnquiry: { ...routes.missEnquiry, params: byId, response: Enquiry },
  findContacts: { ...routes.findContacts, query: FindContactQuery, response: listOf(ContactRecord) },
  getContact: { ...routes.getContact, params: byId, response: Contact },
  createContact: { ...routes.createContact, body: CreateContactBody, response: ContactRecord },
  updateContact: { ...routes.updateContact, params: byId, body: UpdateContactBody, response: UpdatedContactRecord },
  deleteContact: { ...routes.deleteContact, params: byId, response: Contact },
  mergeContacts: { ...routes.mergeContacts, params: byId, body: MergeContactsBody, response: Contact },
  transferContact: { ...routes.transferContact, params: byId, body: TransferContactBody, response: Contact },
  listTags: { ...routes.listTags, query: PageQuery, response: pageOf(Tag) },
  createTag: { ...routes.createTag, body: CreateTagBody, response: Tag },
  updateTag: { ...routes.updateTag, params: byId, body: UpdateTagBody, response: Tag },
  deleteTag: { ...routes.deleteTag, params: byId, response: Tag },
  listNumbers: { ...routes.listNumbers, query: ListNumbersQuery.extend(PageQuery.shape), response: pageOf(ServiceNumber) },
  sendSms: { ...routes.sendSms, body: SendSmsBody, response: SmsMessage },
  listStaff: { ...routes.listStaff, query: PageQuery, response: pageOf(Staff) },
  listRooms: { ...routes.listRooms, query: PageQuery, response: pageOf(Room) },
  messageStaff: { ...routes.messageStaff, body: SendStaffMessageBody, response: StaffMessage },
  messageRoom: { ...routes.messageRoom, body: SendRoomMessageBody, response: RoomMessage },
  listTickets: { ...routes.listTickets, query: FindTicketQuery.extend(PageQuery.shape), response: pageOf(Ticket) },
  getTicket: { ...routes.getTicket, params: byId, response: Ticket },
  createTicket: { ...routes.createTicket, body: CreateTicketBody, response: Ticket },
  updateTicket: { ...routes.updateTicket, params: byId, body: UpdateTicketBody, response: Ticket },
  pushTicket: { ...routes.pushTicket, params: byId, response: Ticket },
  listGroups: { ...routes.listGroups, query: PageQuery, response: pageOf(Group) },
  listAgents: { ...routes.listAgents, query: FindAgentQuery.extend(PageQuery.shape), response: pageOf(Agent) },
  createAgent: { ...routes.createAgent, body: CreateAgentBody, response: Agent },
  deleteAgent: { ...routes.deleteAgent, params: byLogin, response: DeletedAgent },
  startChat: { ...routes.startChat, body: StartChatBody, response: Chat },
  getChat: { ...routes.getChat, params: byId, response: Chat },
  postChatMessage: { ...routes.postChatMessage, params: byId, body: ChatMessageBody, response: Chat },
  endChat: { ...routes.endChat, params: byId, response: Chat },
} as const satisfies { [N in EndpointName]: Endpoint };

export type Api = typeof api;
export type { EndpointName };
export type ResponseOf<N extends EndpointName> = z.infer<Api[N]['response']>;
export type BodyOf<N extends EndpointName> = Api[N] extends { body: z.ZodType } ? z.input<Api[N]['body']> : never;
export type QueryOf<N extends EndpointName> = Api[N] extends { query: z.ZodType } ? z.input<Api[N]['query']> : never;
export type ParamsOf<N extends EndpointName> = Api[N] extends { params: z.ZodType } ? z.input<Api[N]['params']> : never;
