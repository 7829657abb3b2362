import type { FastifyInstance } from 'fastify';
import { ApiFailure } from '../http/errors.js';
import type { Db } from '../storage/db.js';
import { bearerToken } from './bearer.js';
import { verifyAppCredentials } from './zapier-accounts.js';

const APP_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Every route of the scope requires `X-App-Id` and `Authorization: Bearer <App Token>`.
 * Runs on `onRequest`, before the body is read: an unauthenticated caller costs no parsing.
 */
export function requireAppCredentials(app: FastifyInstance, db: Db): void {
  app.decorateRequest('account', null as never);
  app.addHook('onRequest', async (request) => {
    const appId = request.headers['x-app-id'];
    const token = bearerToken(request);
    if (typeof appId !== 'string' || !APP_ID_PATTERN.test(appId) || !token) {
      throw new ApiFailure(401, 'unauthenticated', 'Send the App ID in X-App-Id and the App Token as a Bearer token (Authorization: Bearer <App Token>).');
    }
    const check = await verifyAppCredentials(db, appId, token);
    if (!check.ok) throw new ApiFailure(401, check.code, check.message);
    request.account = check.account;
  });
}
