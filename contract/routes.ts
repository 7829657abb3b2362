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
  listTickets: { method: 'GET', path: '/v1/tickets', summary: 'Tickets, newest first, a page at a time; filter by id, requester email, status, assignee, group, tag, created or updated since', status: 200 },
  getTicket: { method: 'GET', path: '/v1/tickets/:id', summary: 'One ticket', status: 200 },
  createTicket: { method: 'POST', path: '/v1/tickets', summary: 'Create a ticket', status: 201 },
  updateTicket: { method: 'PATCH', path: '/v1/tickets/:id', summary: 'Update a ticket', status: 200 },
  pushTicket: { method: 'POST', path: '/v1/tickets/:id/push', summary: 'The requester urges the ticket (KF5 催单): trigger rules see {ticket} is pushed', status: 200 },
  listGroups: { method: 'GET', path: '/v1/groups', summary: 'Agent groups by id, a page at a time', status: 200 },
  listAgents: { method: 'GET', path: '/v1/agents', summary: 'Agents, newest first, a page at a time; filter by login, name, status, permission or group', status: 200 },
  createAgent: { method: 'POST', path: '/v1/agents', summary: 'Add an agent', status: 201 },
  deleteAgent: { method: 'DELETE', path: '/v1/agents/:login', summary: 'Remove an agent', status: 200 },
  startChat: { method: 'POST', path: '/v1/chats', summary: 'Start a chat', status: 201 },
  getChat: { method: 'GET', path: '/v1/chats/:id', summary: 'One chat', status: 200 },
  postChatMessage: { method: 'POST', path: '/v1/chats/:id/messages', summary: 'Add a message to a chat', status: 201 },
  endChat: { method: 'POST', path: '/v1/chats/:id/end', summary: 'End a chat', status: 200 },
} as const satisfies Record<string, Route>;

export type EndpointName = keyof typeof routes;
