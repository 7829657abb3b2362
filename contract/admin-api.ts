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
import { Ticket } from './ticket.js';
import { kf5RuleApi, ruleAdminApi } from './trigger-rules.js';

const byId = z.object({ id: Id });

/** The records behind record links, each exactly as the public API answers it, so the admin page shows what a Zap received. */
export const recordAdminApi = {
  getContactRecord: { ...adminRoutes.getContactRecord, params: byId, response: Contact },
  getEnquiryRecord: { ...adminRoutes.getEnquiryRecord, params: byId, response: Enquiry },
  getTicketRecord: { ...adminRoutes.getTicketRecord, params: byId, response: Ticket },
  getChatRecord: { ...adminRoutes.getChatRecord, params: byId, response: Chat },
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
  ...supportExportAdminApi,
  ...ruleAdminApi,
  ...kf5RuleApi,
} as const satisfies { [N in AdminEndpointName]: Endpoint };

export type AdminApi = typeof adminApi;
