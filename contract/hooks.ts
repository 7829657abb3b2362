import { z } from 'zod';
import { subscriptionStatuses } from './enums.js';
import { Id, IsoDateTime } from './common.js';
import { EventType } from './events.js';
import { eventFilters } from './filters.js';

export const SubscribeBody = z
  .object({
    event: EventType,
    targetUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    filters: z.record(z.string(), z.string().max(200)).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const allowed = Object.keys(eventFilters[body.event]);
    for (const key of Object.keys(body.filters ?? {})) {
      if (!allowed.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['filters', key],
          message: allowed.length ? `is not a filter of ${body.event}; use ${allowed.join(', ')}` : `is not a filter: ${body.event} takes no filters`,
        });
      }
    }
  });
export type SubscribeBody = z.infer<typeof SubscribeBody>;

export const Subscription = z.object({
  id: Id,
  event: EventType,
  targetUrl: z.url(),
  filters: z.record(z.string(), z.string()),
  status: z.enum(subscriptionStatuses),
  createdAt: IsoDateTime,
});
export type Subscription = z.infer<typeof Subscription>;

/** Subscribing is the only time the signing secret is shown. */
export const CreatedSubscription = Subscription.extend({
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/)
    .describe('Standard Webhooks signing secret'),
});
export type CreatedSubscription = z.infer<typeof CreatedSubscription>;

export const RecentEventsQuery = z.object({
  event: EventType,
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
