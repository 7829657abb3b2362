import type { FastifyInstance } from 'fastify';
import { ApiFailure } from '../errors.js';
import type { Db } from '../storage/db.js';
import type { AuthThrottle } from './auth-throttle.js';
import { bearerToken } from './bearer.js';
import { verifyAppCredentials } from './zapier-accounts.js';

const APP_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Every route of the scope requires `X-App-Id` and `Authorization: Bearer <App Token>`.
 * Runs on `onRequest`, before the body is read: an unauthenticated caller costs no parsing.
 * Failures are throttled per address and per App ID (accounts/auth-throttle.ts).
 */
export function requireAppCredentials(app: FastifyInstance, db: Db, throttle: AuthThrottle): void {
  app.decorateRequest('account', null as never);
  app.addHook('onRequest', async (request) => {
    const given = request.headers['x-app-id'];
    const appId = typeof given === 'string' && APP_ID_PATTERN.test(given) ? given : undefined;
    const credential = appId && `app:${appId}`;
    await throttle.assertAllowed(request, credential);
    const token = bearerToken(request);
    if (!appId || !token) {
      await throttle.recordFailure(request, credential);
      throw new ApiFailure(401, 'unauthenticated', 'Send the App ID in X-App-Id and the App Token as a Bearer token (Authorization: Bearer <App Token>).');
    }
    const check = await verifyAppCredentials(db, appId, token);
    if (!check.ok) {
      await throttle.recordFailure(request, credential);
      throw new ApiFailure(401, check.code, check.message);
    }
    request.account = check.account;
  });
}
