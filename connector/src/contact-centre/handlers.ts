import { deleteAgent } from './agent-removal.js';
import * as agents from './agents.js';
import * as chats from './chats.js';
import * as contacts from './contacts.js';
import * as enquiries from './enquiries.js';
import * as messaging from './messaging.js';
import * as numbers from './numbers.js';
import type { Scope } from './scope.js';
import * as sms from './sms.js';
import type { SmsProvider } from './sms-provider.js';
import * as tags from './tags.js';
import * as tickets from './tickets.js';
import type { Settings } from '../settings.js';
import type { Db } from '../storage/db.js';
import type { EndpointHandlers } from '../http/contract-routes.js';
import type { AccountContext } from '../http/request-context.js';

export interface HandlerDeps {
  db: Db;
  settings: Pick<Settings, 'publicBaseUrl' | 'casePrefix' | 'rateLimit'> & Partial<Pick<Settings, 'smtp' | 'phoneRegion'>>;
  smsProvider: SmsProvider;
}

const list = async <T>(items: Promise<T[]>) => ({ data: await items });
/** The paging half of a list endpoint's query (cursor, limit). */
const pageOf = ({ cursor, limit }: { cursor?: string; limit: number }) => ({ cursor, limit });

/**
 * Every public endpoint except the hooks, as one thin call into the area's functions. The
 * workspace always comes from the caller's credentials, so no call can reach another's data.
 */
export function endpointHandlers({ db, settings, smsProvider }: HandlerDeps): EndpointHandlers {
  const scopeOf = (account: AccountContext): Scope => ({
    workspaceId: account.workspaceId,
    baseUrl: settings.publicBaseUrl,
    casePrefix: settings.casePrefix,
    sendsEmail: Boolean(settings.smtp),
    phoneRegion: settings.phoneRegion,
  });

  return {
    me: async ({ account }) => ({
      account: { id: account.appId, name: account.name },
      workspace: { id: account.workspaceId, name: account.workspaceName },
      rateLimit: { limit: settings.rateLimit.max, windowSeconds: settings.rateLimit.windowSeconds },
    }),

    findEnquiries: ({ account, query }) => list(enquiries.findEnquiries(db, scopeOf(account), query.displayCaseNumber)),
    getEnquiry: ({ account, params }) => enquiries.getEnquiry(db, scopeOf(account), params.id),
    openEnquiry: ({ account, body }) => enquiries.openEnquiry(db, scopeOf(account), body),
    handleEnquiry: ({ account, params, body }) => enquiries.handleEnquiry(db, scopeOf(account), params.id, body),
    closeEnquiry: ({ account, params, body }) => enquiries.closeEnquiry(db, scopeOf(account), params.id, body),
    missEnquiry: ({ account, params }) => enquiries.missEnquiry(db, scopeOf(account), params.id),

    findContacts: ({ account, query }) => list(contacts.findContacts(db, scopeOf(account), query)),
    getContact: ({ account, params }) => contacts.getContact(db, scopeOf(account), params.id),
    createContact: ({ account, body }) => contacts.createContact(db, scopeOf(account), body),
    updateContact: ({ account, params, body }) => contacts.updateContact(db, scopeOf(account), params.id, body),
    deleteContact: ({ account, params }) => contacts.deleteContact(db, scopeOf(account), params.id),
    mergeContacts: ({ account, params, body }) => contacts.mergeContacts(db, scopeOf(account), params.id, body),
    transferContact: ({ account, params, body }) => contacts.transferContact(db, scopeOf(account), params.id, body),

    listTags: ({ account, query }) => tags.listTags(db, scopeOf(account), query),
    createTag: ({ account, body }) => tags.createTag(db, scopeOf(account), body),
    updateTag: ({ account, params, body }) => tags.updateTag(db, scopeOf(account), params.id, body),
    deleteTag: ({ account, params }) => tags.deleteTag(db, scopeOf(account), params.id),

    listNumbers: ({ account, query }) => numbers.listNumbers(db, scopeOf(account), pageOf(query), query.numberType),
    sendSms: ({ account, body }) => sms.sendSms(db, scopeOf(account), smsProvider, body),

    listStaff: ({ account, query }) => messaging.listStaff(db, scopeOf(account), query),
    listRooms: ({ account, query }) => messaging.listRooms(db, scopeOf(account), query),
    messageStaff: ({ account, body }) => messaging.messageStaff(db, scopeOf(account), body, account.appId),
    messageRoom: ({ account, body }) => messaging.messageRoom(db, scopeOf(account), body, account.appId),

    listTickets: ({ account, query }) => tickets.listTickets(db, scopeOf(account), query, pageOf(query)),
    getTicket: ({ account, params }) => tickets.getTicket(db, scopeOf(account), params.id),
    createTicket: ({ account, body }) => tickets.createTicket(db, scopeOf(account), body), // the requester makes a new ticket, whoever sends it
    updateTicket: ({ account, params, body }) => tickets.updateTicket(db, scopeOf(account), params.id, body, account),
    pushTicket: ({ account, params }) => tickets.pushTicket(db, scopeOf(account), params.id),

    listGroups: ({ account, query }) => agents.listGroups(db, scopeOf(account), query),
    listAgents: ({ account, query }) => agents.listAgents(db, scopeOf(account), query, pageOf(query)),
    createAgent: ({ account, body }) => agents.createAgent(db, scopeOf(account), body),
    deleteAgent: ({ account, params }) => deleteAgent(db, scopeOf(account), params.login),

    startChat: ({ account, body }) => chats.startChat(db, scopeOf(account), body),
    getChat: ({ account, params }) => chats.getChat(db, scopeOf(account), params.id),
    postChatMessage: ({ account, params, body }) => chats.postChatMessage(db, scopeOf(account), params.id, body),
    endChat: ({ account, params }) => chats.endChat(db, scopeOf(account), params.id),
  };
}
