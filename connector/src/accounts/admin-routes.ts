import type { FastifyInstance } from 'fastify';
import { zapierAccountAdminApi } from '../../../contract/index.js';
import { ApiFailure } from '../errors.js';
import { registerEndpoints } from '../http/endpoints.js';
import { adminDoc } from '../http/route-docs.js';
import type { Db } from '../storage/db.js';
import { ADMIN_CREDENTIAL, type AdminGuard } from './admin-token.js';
import { bearerToken } from './bearer.js';
import { createZapierAccount, deleteZapierAccount, listZapierAccounts, regenerateAppToken, renameZapierAccount, type AdminScope } from './zapier-accounts.js';

export interface AdminRouteOptions {
  db: Db;
  scope: AdminScope;
}

/** Every route of the scope requires `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function requireAdminToken(app: FastifyInstance, { isAdminToken, throttle }: AdminGuard): void {
  app.addHook('onRequest', async (request) => {
    await throttle.assertAllowed(request, ADMIN_CREDENTIAL);
    const token = bearerToken(request);
    if (!token || !(await isAdminToken(token))) {
      await throttle.recordFailure(request, ADMIN_CREDENTIAL);
      throw new ApiFailure(401, 'unauthenticated', "Send the connector's admin token as a Bearer token (Authorization: Bearer <ADMIN_TOKEN>).");
    }
  });
}

/**
 * The CINNOX admin flow (Administration > Service Integration > Third-party Integration >
 * Zapier): add, list, rename, regenerate the token of, and delete Zapier accounts.
 * Register inside the admin scope (the one with `requireAdminToken`).
 */
export function zapierAccountRoutes(app: FastifyInstance, { db, scope }: AdminRouteOptions): void {
  registerEndpoints(
    app,
    zapierAccountAdminApi,
    {
      listZapierAccounts: async () => ({ data: await listZapierAccounts(db, scope) }),
      createZapierAccount: ({ body }) => createZapierAccount(db, scope, body.name),
      renameZapierAccount: ({ params, body }) => renameZapierAccount(db, scope, params.appId, body.name),
      regenerateZapierAccountToken: ({ params }) => regenerateAppToken(db, scope, params.appId),
      deleteZapierAccount: ({ params }) => deleteZapierAccount(db, scope, params.appId),
    },
    { doc: adminDoc('zapier accounts') },
  );
}
