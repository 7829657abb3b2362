import { z } from 'zod';
import type { Endpoint } from './api.js';
import { adminRoutes } from './routes.js';
import { Id, IsoDateTime, listOf } from './common.js';
import { EventType } from './events.js';
import { TRIGGER_TARGET_EVENT } from './enums.js';
import { Subscription } from './hooks.js';

/**
 * The admin's view of webhook delivery: subscriptions with why they stopped, the delivery
 * log, every attempt, and the hand-operated retry / re-enable. Served under /admin/api.
 */

export const deliveryStatuses = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export const DeliveryStatus = z.enum(deliveryStatuses);

export const attemptOutcomes = ['delivered', 'retry', 'failed', 'gone'] as const;

/** A Zapier event, or the one trigger rules send to their webhook targets (their subscriptions are the admin's to see too). */
const DeliveredEvent = z.union([EventType, z.literal(TRIGGER_TARGET_EVENT)]);

export const AdminSubscription = Subscription.extend({
  event: DeliveredEvent,
  appId: Id,
  endedReason: z
    .enum(['unsubscribed', 'gone', 'failing', 'account_deleted', 'token_regenerated'])
    .nullable()
    .describe(
      'Why it stopped: unsubscribed by the Zap, gone (the receiver answered 410), failing (disabled), account_deleted, token_regenerated (made with an App Token since regenerated: the Zap subscribes again when turned off and on)',
    ),
  failingSince: IsoDateTime.nullable().describe('Start of the current run of failed attempts; null after any success'),
});
export type AdminSubscription = z.infer<typeof AdminSubscription>;

export const DeliverySummary = z.object({
  id: Id,
  eventId: Id.describe('Also the webhook-id header of every attempt'),
  eventType: DeliveredEvent.describe(`The event, or ${TRIGGER_TARGET_EVENT} for a trigger rule's message to a webhook target`),
  subscriptionId: Id,
  appId: Id,
  targetUrl: z.url(),
  status: DeliveryStatus,
  attempts: z.number().int().min(0),
  createdAt: IsoDateTime,
  nextAttemptAt: IsoDateTime.nullable().describe('When the next attempt is due; null unless pending'),
  deliveredAt: IsoDateTime.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
});
export type DeliverySummary = z.infer<typeof DeliverySummary>;

export const DeliveryAttempt = z.object({
  attempt: z.number().int().min(1),
  startedAt: IsoDateTime,
  durationMs: z.number().int().min(0),
  statusCode: z.number().int().nullable().describe('null when no response arrived (timeout, refused, connection error)'),
  error: z.string().nullable(),
  outcome: z.enum(attemptOutcomes),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const DeliveryDetail = DeliverySummary.extend({
  payload: z.record(z.string(), z.unknown()).describe('The event exactly as delivered'),
  attemptLog: z.array(DeliveryAttempt).describe('Every attempt, oldest first'),
});
export type DeliveryDetail = z.infer<typeof DeliveryDetail>;

export const DeliveryListQuery = z.object({
  appId: Id.optional(),
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: Id.optional().describe("A page's nextBefore: continue with older deliveries"),
});

export const DeliveryPage = listOf(DeliverySummary).extend({
  nextBefore: Id.nullable().describe('Pass as ?before= for the next (older) page; null on the last page'),
});
export type DeliveryPage = z.infer<typeof DeliveryPage>;

export const RetryDeliveryQuery = z.object({
  reactivate: z
    .stringbool()
    .default(false)
    .describe('Re-enable the subscription first if it was disabled for failing; without it, retrying on a disabled subscription is refused'),
});

const byId = z.object({ id: Id });
const byAppId = z.object({ appId: Id });

/**
 * Recovery after an outage of a Zap's endpoint (as Svix's "recover"): every failed delivery,
 * and every one waiting for its next retry, of one Zapier account (or one of its
 * subscriptions) made since a time, attempted again now. Ended subscriptions are left alone;
 * disabled ones are re-enabled with their deliveries.
 */
export const RecoveryScope = z.object({
  since: IsoDateTime.describe('Deliveries of events made at or after this time (ISO 8601, with its offset)'),
  subscriptionId: Id.optional().describe('Only this subscription of the account'),
});
export type RecoveryScope = z.infer<typeof RecoveryScope>;

export const RecoveryStatus = z.object({
  since: IsoDateTime,
  subscriptionId: Id.nullable(),
  toRetry: z.number().int().describe('Failed deliveries and those waiting for a retry: what a recovery attempts again now'),
  toReactivate: z.number().int().describe('Disabled subscriptions a recovery re-enables (those with deliveries to retry)'),
  inFlight: z.number().int().describe('Pending deliveries due now or being sent'),
  delivered: z.number().int(),
  failed: z.number().int(),
});
export type RecoveryStatus = z.infer<typeof RecoveryStatus>;

export const RecoveryResult = z.object({
  retried: z.number().int().describe('Deliveries attempted again (0 when a recovery ran already: nothing is sent twice because of it)'),
  reactivated: z.number().int(),
  status: RecoveryStatus.describe('Right after: poll GET .../recovery for progress'),
});
export type RecoveryResult = z.infer<typeof RecoveryResult>;

/** A subscription that stopped on its own: the Zap's owner has to act (fix the endpoint, turn the Zap off and on). */
export const SubscriptionNotice = z.object({
  id: Id,
  appId: Id,
  accountName: z.string().nullable().describe("The Zapier account's name; null once it is deleted"),
  subscriptionId: Id,
  event: z.string(),
  targetUrl: z.string().describe("The Zap's hook URL"),
  reason: z
    .enum(['failing', 'gone'])
    .describe('failing: disabled after failing for too long (recover, or re-enable); gone: ended by a 410 from the Zap (turn the Zap off and on)'),
  message: z.string().describe('What happened and what to do, in a sentence'),
  createdAt: IsoDateTime,
  dismissedAt: IsoDateTime.nullable(),
  email: z.object({
    status: z.enum(['pending', 'sent', 'failed', 'recorded']).describe('recorded: no CONNECTOR_NOTICE_EMAIL, shown here only'),
    to: z.string().nullable(),
  }),
});
export type SubscriptionNotice = z.infer<typeof SubscriptionNotice>;

export const NoticeListQuery = z.object({
  include: z.enum(['open', 'all']).default('open').describe('open: not dismissed (the banner); all: dismissed ones too'),
});

export const deliveryAdminApi = {
  listAccountSubscriptions: { ...adminRoutes.listAccountSubscriptions, params: byAppId, response: listOf(AdminSubscription) },
  enableSubscription: { ...adminRoutes.enableSubscription, params: byId, response: AdminSubscription },
  listDeliveries: { ...adminRoutes.listDeliveries, query: DeliveryListQuery, response: DeliveryPage },
  getDelivery: { ...adminRoutes.getDelivery, params: byId, response: DeliveryDetail },
  retryDelivery: { ...adminRoutes.retryDelivery, params: byId, query: RetryDeliveryQuery, response: DeliverySummary },
  getRecovery: { ...adminRoutes.getRecovery, params: byAppId, query: RecoveryScope, response: RecoveryStatus },
  listNotices: { ...adminRoutes.listNotices, query: NoticeListQuery, response: listOf(SubscriptionNotice) },
  dismissNotice: { ...adminRoutes.dismissNotice, params: byId, response: SubscriptionNotice },
  recoverDeliveries: { ...adminRoutes.recoverDeliveries, params: byAppId, body: RecoveryScope.strict(), response: RecoveryResult },
} as const satisfies Record<string, Endpoint>;
