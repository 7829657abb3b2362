/**
 * Where each endpoint of the connector's public API lives. Plain data (no zod), so the Zapier
 * app can call endpoints by name at run time cheaply; `api.ts` attaches the schemas.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: HttpMethod;
  /** Fastify-style path; `:name` segments are filled from the params. */
  path: string;
  summary: string;
  status: number;
}

export const routes = {
  me: { method: 'GET', path: '/v1/me', summary: 'Who these credentials belong to', status: 200 },
  subscribe: { method: 'POST', path: '/v1/hooks', summary: 'Subscribe a target URL to an event', status: 201 },
  unsubscribe: { method: 'DELETE', path: '/v1/hooks/:id', summary: 'End a subscription', status: 200 },
  listSubscriptions: { method: 'GET', path: '/v1/hooks', summary: "This account's subscriptions", status: 200 },
  recentEvents: { method: 'GET', path: '/v1/hooks/samples', summary: 'Recent payloads of one event type, newest first', status: 200 },
  findEnquiries: { method: 'GET', path: '/v1/enquiries', summary: 'Find enquiries by display case number', status: 200 },
  getEnquiry: { method: 'GET', path: '/v1/enquiries/:id', summary: 'One enquiry', status: 200 },
  openEnquiry: { method: 'POST', path: '/v1/enquiries', summary: 'Open an enquiry', status: 201 },
  handleEnquiry: { method: 'POST', path: '/v1/enquiries/:id/handle', summary: 'A staff member picks the enquiry up', status: 200 },
  closeEnquiry: { method: 'POST', path: '/v1/enquiries/:id/close', summary: 'Close the enquiry', status: 200 },
  missEnquiry: { method: 'POST', path: '/v1/enquiries/:id/miss', summary: 'Close the enquiry as missed (nobody handled it)', status: 200 },
  findContacts: { method: 'GET', path: '/v1/contacts', summary: 'Find contacts by full name, email or phone', status: 200 },
  getContact: { method: 'GET', path: '/v1/contacts/:id', summary: 'One contact', status: 200 },
  createContact: { method: 'POST', path: '/v1/contacts', summary: 'Create an external contact', status: 201 },
  updateContact: { method: 'PATCH', path: '/v1/contacts/:id', summary: 'Update an external contact', status: 200 },
  deleteContact: { method: 'DELETE', path: '/v1/contacts/:id', summary: 'Delete an external contact', status: 200 },
  mergeContacts: { method: 'POST', path: '/v1/contacts/:id/merge', summary: 'Merge other contacts into this one', status: 200 },
  transferContact: { method: 'POST', path: '/v1/contacts/:id/transfer', summary: "Transfer the contact's ownership", status: 200 },
  listTags: { method: 'GET', path: '/v1/tags', summary: 'Tags, newest first, a page at a time', status: 200 },
  createTag: { method: 'POST', path: '/v1/tags', summary: 'Create a tag', status: 201 },
  updateTag: { method: 'PATCH', path: '/v1/tags/:id', summary: 'Rename or recolour a tag', status: 200 },
  deleteTag: { method: 'DELETE', path: '/v1/tags/:id', summary: 'Delete a tag', status: 200 },
  listNumbers: { method: 'GET', path: '/v1/numbers', summary: 'Service numbers by type and label, a page at a time; optionally of one type', status: 200 },
  sendSms: { method: 'POST', path: '/v1/sms', summary: 'Send an SMS', status: 201 },
  listStaff: { method: 'GET', path: '/v1/staff', summary: 'Staff members by name, a page at a time', status: 200 },
  listRooms: { method: 'GET', path: '/v1/rooms', summary: 'Group chat rooms by name, a page at a time', status: 200 },
  messageStaff: { method: 'POST', path: '/v1/messages/staff', summary: 'Send an instant message to a staff member', status: 201 },
  messageRoom: { method: 'POST', path: '/v1/messages/rooms', summary: 'Send an instant message to a group room', status: 201 },
  listTickets: {
    method: 'GET',
    path: '/v1/tickets',
    summary: 'Tickets, newest first, a page at a time; filter by id, requester email, status, assignee, group, tag, created or updated since',
    status: 200,
  },
  getTicket: { method: 'GET', path: '/v1/tickets/:id', summary: 'One ticket', status: 200 },
  createTicket: { method: 'POST', path: '/v1/tickets', summary: 'Create a ticket', status: 201 },
  updateTicket: { method: 'PATCH', path: '/v1/tickets/:id', summary: 'Update a ticket', status: 200 },
  pushTicket: {
    method: 'POST',
    path: '/v1/tickets/:id/push',
    summary: 'The requester urges the ticket (KF5 催单): trigger rules see {ticket} is pushed',
    status: 200,
  },
  listGroups: { method: 'GET', path: '/v1/groups', summary: 'Agent groups by id, a page at a time', status: 200 },
  listAgents: {
    method: 'GET',
    path: '/v1/agents',
    summary: 'Agents, newest first, a page at a time; filter by login, name, status, permission or group',
    status: 200,
  },
  createAgent: { method: 'POST', path: '/v1/agents', summary: 'Add an agent', status: 201 },
  deleteAgent: { method: 'DELETE', path: '/v1/agents/:login', summary: 'Remove an agent', status: 200 },
  startChat: { method: 'POST', path: '/v1/chats', summary: 'Start a chat', status: 201 },
  getChat: { method: 'GET', path: '/v1/chats/:id', summary: 'One chat', status: 200 },
  postChatMessage: { method: 'POST', path: '/v1/chats/:id/messages', summary: 'Add a message to a chat', status: 201 },
  endChat: { method: 'POST', path: '/v1/chats/:id/end', summary: 'End a chat', status: 200 },
} as const satisfies Record<string, Route>;

export type EndpointName = keyof typeof routes;

/** A route's path with its `:name` segments filled from `params`, each percent-encoded: `/v1/contacts/:id` → `/v1/contacts/ctc_1`. */
export const fillPath = (path: string, params: Record<string, string | number> = {}) =>
  path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? '')));

/**
 * Where each endpoint of the admin API (ADMIN_TOKEN, under /admin/api) and of KF5's rules API
 * (under /apiv2) lives. Plain data, like `routes`, so the admin page calls them by name without
 * zod; contract/admin-api.ts attaches the schemas.
 */
export const adminRoutes = {
  // Zapier accounts: the CINNOX admin flow (Administration > Service Integration > Zapier)
  listZapierAccounts: { method: 'GET', path: '/admin/api/zapier-accounts', summary: 'The Zapier accounts (never their tokens)', status: 200 },
  createZapierAccount: { method: 'POST', path: '/admin/api/zapier-accounts', summary: 'Add a Zapier account (App ID and App Token)', status: 201 },
  renameZapierAccount: { method: 'PATCH', path: '/admin/api/zapier-accounts/:appId', summary: 'Rename a Zapier account', status: 200 },
  regenerateZapierAccountToken: {
    method: 'POST',
    path: '/admin/api/zapier-accounts/:appId/regenerate-token',
    summary: 'Give the account a new App Token; the old one stops working at once and the REST-hook subscriptions made before end',
    status: 200,
  },
  deleteZapierAccount: {
    method: 'DELETE',
    path: '/admin/api/zapier-accounts/:appId',
    summary: 'Delete a Zapier account: its credentials stop working and its subscriptions end',
    status: 200,
  },

  // Delivery: subscriptions and the delivery log
  listAccountSubscriptions: {
    method: 'GET',
    path: '/admin/api/zapier-accounts/:appId/subscriptions',
    summary: "A Zapier account's subscriptions, ended ones included",
    status: 200,
  },
  enableSubscription: { method: 'POST', path: '/admin/api/subscriptions/:id/enable', summary: 'Re-enable a subscription disabled for failing', status: 200 },
  listDeliveries: { method: 'GET', path: '/admin/api/deliveries', summary: 'The delivery log, newest first', status: 200 },
  getDelivery: { method: 'GET', path: '/admin/api/deliveries/:id', summary: 'One delivery with every attempt', status: 200 },
  retryDelivery: { method: 'POST', path: '/admin/api/deliveries/:id/retry', summary: 'Attempt a failed (or waiting) delivery again now', status: 200 },
  listNotices: {
    method: 'GET',
    path: '/admin/api/notices',
    summary: 'Subscriptions that stopped on their own (disabled for failing, ended by a 410), newest first',
    status: 200,
  },
  dismissNotice: { method: 'POST', path: '/admin/api/notices/:id/dismiss', summary: 'Dismiss a notice (it stays listed with include=all)', status: 200 },
  getRecovery: {
    method: 'GET',
    path: '/admin/api/zapier-accounts/:appId/recovery',
    summary: 'What a recovery since a time would retry, and how the deliveries since then stand (poll it for progress)',
    status: 200,
  },
  recoverDeliveries: {
    method: 'POST',
    path: '/admin/api/zapier-accounts/:appId/recovery',
    summary:
      'Attempt again now every failed or waiting delivery of the account (or one subscription) since a time; ended subscriptions are left alone, disabled ones re-enabled',
    status: 200,
  },

  // The records behind record links (/console/<kind>/<id>), as the public API answers them
  getContactRecord: { method: 'GET', path: '/admin/api/records/contacts/:id', summary: 'One contact, as the record its console link points to', status: 200 },
  getEnquiryRecord: { method: 'GET', path: '/admin/api/records/enquiries/:id', summary: 'One enquiry, as the record its console link points to', status: 200 },
  getTicketRecord: { method: 'GET', path: '/admin/api/records/tickets/:id', summary: 'One ticket, as the record its console link points to', status: 200 },
  getChatRecord: { method: 'GET', path: '/admin/api/records/chats/:id', summary: 'One chat, as the record its console link points to', status: 200 },

  // The conversation export (Ferndesk's support endpoint)
  createSupportExportUrl: {
    method: 'POST',
    path: '/admin/api/support-export/urls',
    summary: 'Create a secret export URL for Ferndesk (the full URL is shown only in this answer)',
    status: 201,
  },
  listSupportExportUrls: { method: 'GET', path: '/admin/api/support-export/urls', summary: 'The export URLs, masked', status: 200 },
  rotateSupportExportUrl: {
    method: 'POST',
    path: '/admin/api/support-export/urls/:id/rotate',
    summary: 'Give the export URL a new secret; the old URL stops at once',
    status: 200,
  },
  deleteSupportExportUrl: { method: 'DELETE', path: '/admin/api/support-export/urls/:id', summary: 'Delete an export URL; it stops at once', status: 200 },
  checkSupportEndpoint: {
    method: 'POST',
    path: '/admin/api/support-export/check',
    summary: 'The "test" check: fetch any support-endpoint URL and say whether Ferndesk can read it, and if not, why',
    status: 200,
  },

  // Helpdesk rules: their webhook targets and the notifications they queued
  listTargets: { method: 'GET', path: '/admin/api/targets', summary: 'Webhook targets of the target action', status: 200 },
  createTarget: { method: 'POST', path: '/admin/api/targets', summary: 'Register a webhook target; its signing secret is shown only here', status: 201 },
  getTarget: { method: 'GET', path: '/admin/api/targets/:id', summary: 'One webhook target', status: 200 },
  updateTarget: { method: 'PATCH', path: '/admin/api/targets/:id', summary: 'Rename, move or re-enable a webhook target', status: 200 },
  deleteTarget: { method: 'DELETE', path: '/admin/api/targets/:id', summary: 'Delete a webhook target; its pending deliveries are cancelled', status: 200 },
  testTarget: {
    method: 'POST',
    path: '/admin/api/targets/:id/test',
    summary: 'Send the target one signed test request now and say, in words, how it answered; nothing is recorded as a delivery',
    status: 200,
  },
  getHelpdeskDirectory: {
    method: 'GET',
    path: '/admin/api/helpdesk-directory',
    summary: "What rules name by id: the helpdesk's groups, agents, newest requesters and organisations (the rule editor's pickers)",
    status: 200,
  },
  listNotifications: {
    method: 'GET',
    path: '/admin/api/notifications',
    summary: 'Emails and internal messages the helpdesk rules queued, newest first',
    status: 200,
  },

  // KF5's Triggers API: the helpdesk rules, as KF5 names and shapes them ("trigger")
  listRules: { method: 'GET', path: '/apiv2/triggers.json', summary: 'Every rule, by sort descending then id ascending', status: 200 },
  listActiveRules: { method: 'GET', path: '/apiv2/triggers/active.json', summary: 'The active rules, in the order they run', status: 200 },
  getRule: { method: 'GET', path: '/apiv2/triggers/:id.json', summary: 'One rule', status: 200 },
  createRule: { method: 'POST', path: '/apiv2/triggers.json', summary: 'Create a rule ({"trigger": {...}})', status: 201 },
  updateRule: { method: 'PUT', path: '/apiv2/triggers/:id.json', summary: 'Change a rule: the properties given replace the stored ones', status: 200 },
  deleteRule: { method: 'DELETE', path: '/apiv2/triggers/:id.json', summary: 'Delete a rule; answers it as it was', status: 200 },
} as const satisfies Record<string, Route>;

export type AdminEndpointName = keyof typeof adminRoutes;

/** The admin endpoint that reads each kind of record with a console link (/console/<kind>/<id>). */
export const recordEndpoints = {
  contacts: 'getContactRecord',
  enquiries: 'getEnquiryRecord',
  tickets: 'getTicketRecord',
  chats: 'getChatRecord',
} as const satisfies Record<string, AdminEndpointName>;

export type ConsoleKind = keyof typeof recordEndpoints;
