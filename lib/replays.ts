import type { ZObject } from 'zapier-platform-core';
import { TIMESTAMP_TOLERANCE_SECONDS } from './signature.js';

/**
 * How long an accepted webhook-id is remembered. A signed delivery verifies from the tolerance
 * before its timestamp to the tolerance after it, so a copy can still verify up to twice the
 * tolerance after the first one arrived; the extra minute covers timestamps in whole seconds.
 */
export const REMEMBERED_FOR_SECONDS = 2 * TIMESTAMP_TOLERANCE_SECONDS + 60;

export interface DeliveryIdentity {
  /** The connector's Base URL: subscription ids are only unique within one connector. */
  connector: string;
  subscriptionId: string;
  webhookId: string;
}

/**
 * Zapier's cache is not kept per Zap, and the connector delivers one event to every subscription
 * that wants it under the same webhook-id: the key names the subscription as well as the id.
 */
const cacheKeyOf = ({ connector, subscriptionId, webhookId }: DeliveryIdentity) => `hook-delivery:${connector}:${subscriptionId}:${webhookId}`;

/**
 * Whether this subscription already accepted a delivery with this webhook-id (then this one is a
 * replay), remembering it if not. Call it only for verified deliveries, so that an unsigned copy
 * never uses up a genuine delivery's id. Get-then-set is not atomic: two copies arriving in the
 * same instant may both pass.
 *
 * If Zapier's cache fails, the delivery counts as new: losing a genuine event is worse than
 * letting a replay through, and the signature's timestamp still limits replays to minutes.
 */
export async function alreadyAccepted(z: ZObject, delivery: DeliveryIdentity): Promise<boolean> {
  const key = cacheKeyOf(delivery);
  try {
    if (await z.cache.get(key)) return true;
    await z.cache.set(key, true, REMEMBERED_FOR_SECONDS);
    return false;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    z.console.warn(`Accepted webhook-id ${delivery.webhookId} without the replay check: Zapier's cache failed (${reason}).`);
    return false;
  }
}
