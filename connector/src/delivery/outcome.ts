import type { DeliveryAttemptTable } from '../storage/schema.js';
import { nextRetryDelay } from './schedule.js';
import type { AttemptResult } from './sender.js';

export type AttemptOutcome = DeliveryAttemptTable['outcome'];

export type Decision =
  | { outcome: 'delivered' }
  /** 410 Gone: the receiver (Zapier, once a Zap is off) wants no more; the subscription ends. */
  | { outcome: 'gone' }
  | { outcome: 'retry'; delayMs: number }
  /** The schedule is used up. */
  | { outcome: 'failed' };

/**
 * What one attempt means for its delivery. Only 2xx succeeds. Every other answer is retried
 * on the schedule, other 4xx included: a receiver answering 400/401/404 is usually
 * misconfigured for a while (a deploy, a rotated secret) rather than refusing this event
 * forever, and Zapier itself says "stop" with 410, which is the one final answer.
 * Redirects (3xx) are failures: following them would let a receiver send us anywhere.
 */
export function decide(
  result: Pick<AttemptResult, 'statusCode' | 'retryAfterMs'>,
  attemptsMade: number,
  retryScheduleMs: readonly number[],
  random?: () => number,
): Decision {
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300) return { outcome: 'delivered' };
  if (status === 410) return { outcome: 'gone' };
  const delayMs = nextRetryDelay(retryScheduleMs, attemptsMade, result.retryAfterMs, random);
  return delayMs === null ? { outcome: 'failed' } : { outcome: 'retry', delayMs };
}
