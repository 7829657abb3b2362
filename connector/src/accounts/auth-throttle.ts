import type { FastifyRequest } from 'fastify';
import { ApiFailure } from '../errors.js';
import type { Limit, RateLimitStore } from './rate-limit.js';

/**
 * Failed authentications allowed in any minute, per client address and per credential (an App
 * ID, the admin token, an export URL's secret): past that, every request of that address or for
 * that credential gets 429 with Retry-After until the oldest failure leaves the minute. Guessing
 * costs a minute per few dozen tries; a caller with the right credentials is refused only while
 * someone keeps failing from its address or with its App ID.
 */
export interface AuthThrottle {
  /** Throws the 429 when the request's address, or the credential it names, failed too often. */
  assertAllowed(request: FastifyRequest, credential?: string): Promise<void>;
  /** Records a failed authentication against the request's address and the credential it named. */
  recordFailure(request: FastifyRequest, credential?: string): Promise<void>;
}

export const AUTH_FAILURE_WINDOW_MS = 60_000;

export function authThrottle(store: RateLimitStore, maxFailures: number, now: () => number = Date.now): AuthThrottle {
  const limit: Limit = { max: maxFailures, windowMs: AUTH_FAILURE_WINDOW_MS };
  const bucketsOf = (request: FastifyRequest, credential?: string) => [
    `auth-failures:address:${request.ip}`,
    ...(credential ? [`auth-failures:${credential}`] : []),
  ];
  return {
    async assertAllowed(request, credential) {
      const at = now();
      for (const bucket of bucketsOf(request, credential)) {
        const verdict = await store.peek(bucket, limit, at);
        if (!verdict.admitted) throw tooManyFailures(verdict.retryAfterMs, maxFailures);
      }
    },
    async recordFailure(request, credential) {
      const at = now();
      for (const bucket of bucketsOf(request, credential)) await store.take(bucket, limit, at);
    },
  };
}

function tooManyFailures(retryAfterMs: number, maxFailures: number): ApiFailure {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiFailure(
    429,
    'rate_limited',
    `Too many failed authentications (more than ${maxFailures} in a minute) from this address or for these credentials; try again in ${retryAfter} seconds with the right ones.`,
    undefined,
    { 'retry-after': String(retryAfter) },
  );
}
