/** Every retry lands within ±20 % of its scheduled delay, so failures that began together spread out. */
export const JITTER = 0.2;

/** A receiver's Retry-After is honoured up to this; a longer one is read as a mistake. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * Milliseconds until the next attempt after `attemptsMade` attempts, or null when the schedule
 * is used up. `schedule[0]` is the first attempt, so after n attempts the next delay is
 * `schedule[n]`. A Retry-After asking for longer than that wins.
 */
export function nextRetryDelay(
  schedule: readonly number[],
  attemptsMade: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  const planned = schedule[attemptsMade];
  if (planned === undefined) return null;
  const jittered = Math.round(planned * (1 + (random() * 2 - 1) * JITTER));
  const asked = retryAfterMs === null ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.max(jittered, asked);
}
