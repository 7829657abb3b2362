import { z } from 'zod';
import { zapierAccountAdminApi } from './admin.js';
import type { Endpoint } from './api.js';
import { Chat } from './chat.js';
import { Id } from './common.js';
import { Contact } from './contact.js';
import { deliveryAdminApi } from './deliveries.js';
import { Enquiry } from './enquiry.js';
import { adminRoutes, type AdminEndpointName } from './routes.js';
import { supportExportAdminApi } from './support-export.js';
import { Group, Ticket } from './ticket.js';
import { kf5RuleApi, ruleAdminApi } from './trigger-rules.js';

const byId = z.object({ id: Id });

/** The records behind record links, each exactly as the public API answers it, so the admin page shows what a Zap received. */
export const recordAdminApi = {
  getContactRecord: { ...adminRoutes.getContactRecord, params: byId, response: Contact },
  getEnquiryRecord: { ...adminRoutes.getEnquiryRecord, params: byId, response: Enquiry },
  getTicketRecord: { ...adminRoutes.getTicketRecord, params: byId, response: Ticket },
  getChatRecord: { ...adminRoutes.getChatRecord, params: byId, response: Chat },
} as const satisfies Record<string, Endpoint>;

/** How many requesters the directory lists; any other user is still named by id. */
export const DIRECTORY_REQUESTERS = 200;
/** How many organisations the directory lists, the most populous first. */
export const DIRECTORY_ORGANIZATIONS = 500;

const UserId = z.number().int().positive();
const DirectoryUser = z.object({ id: UserId.describe('The user id rules name (requester_id, email_user, ccs, ...)'), name: z.string(), email: z.string() });

/** The ids KF5 rules use, with names: the helpdesk's own lists for the rule editor's value pickers. */
export const HelpdeskDirectory = z.object({
  groups: z.array(Group.extend({ agents: z.number().int().nonnegative().describe('How many agents are in the group') })),
  agents: z.array(DirectoryUser),
  requesters: z.array(DirectoryUser).describe(`End users, newest first (at most ${DIRECTORY_REQUESTERS})`),
  requestersTotal: z.number().int().nonnegative(),
  organizations: z
    .array(z.object({ id: z.number().int().positive(), users: z.number().int().positive().describe('How many users belong to it') }))
    .describe(`Organisation ids users belong to, the most populous first (at most ${DIRECTORY_ORGANIZATIONS})`),
  organizationsTotal: z.number().int().nonnegative(),
});
export type HelpdeskDirectory = z.infer<typeof HelpdeskDirectory>;

/** The helpdesk's lists that rules name by id, read by the contact centre that keeps them. */
export const helpdeskDirectoryAdminApi = {
  getHelpdeskDirectory: { ...adminRoutes.getHelpdeskDirectory, response: HelpdeskDirectory },
} as const satisfies Record<string, Endpoint>;

/**
 * Every endpoint the admin token opens, with its schemas: the admin API and KF5's rules API.
 * Each capability serves its part (accounts, delivery, contact centre, export, rules); the
 * admin page calls them by name (connector/web/src/api.ts).
 */
export const adminApi = {
  ...zapierAccountAdminApi,
  ...deliveryAdminApi,
  ...recordAdminApi,
  ...helpdeskDirectoryAdminApi,
  ...supportExportAdminApi,
  ...ruleAdminApi,
  ...kf5RuleApi,
} as const satisfies { [N in AdminEndpointName]: Endpoint };

export type AdminApi = typeof adminApi;
