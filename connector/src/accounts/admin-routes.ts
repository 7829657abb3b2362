import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateZapierAccountBody,
  Id,
  listOf,
  RenameZapierAccountBody,
  ZapierAccount,
  ZapierAccountWithToken,
} from '../../../contract/index.js';
import { ApiFailure } from '../errors.js';
import { bearerToken } from './bearer.js';
import { ADMIN_CREDENTIAL, type AdminGuard } from './admin-token.js';
import {
  createZapierAccount,
  deleteZapierAccount,
  listZapierAccounts,
  regenerateAppToken,
  renameZapierAccount,
  type AdminScope,
} from './zapier-accounts.js';
import type { Db } from '../storage/db.js';
import { adminRouteDoc, errorResponses } from '../http/route-docs.js';

const BASE = '/admin/api/zapier-accounts';
const byAppId = z.object({ appId: Id });

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
      throw new ApiFailure(401, 'unauthenticated', 'Send the connector\'s admin token as a Bearer token (Authorization: Bearer <ADMIN_TOKEN>).');
    }
  });
}

/**
 * The CINNOX admin flow (Administration > Service Integration > Third-party Integration >
 * Zapier): add, list, rename, regenerate the token of, and delete Zapier accounts.
 * Register inside the admin scope (the one with `requireAdminToken`); the paths are absolute.
 */
export async function zapierAccountRoutes(app: FastifyInstance, { db, scope }: AdminRouteOptions): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    BASE,
    { schema: { ...adminRouteDoc, operationId: 'createZapierAccount', summary: 'Add a Zapier account (App ID and App Token)', body: CreateZapierAccountBody, response: { 201: ZapierAccountWithToken, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await createZapierAccount(db, scope, request.body.name)),
  );

  routes.get(
    BASE,
    { schema: { ...adminRouteDoc, operationId: 'listZapierAccounts', summary: 'The Zapier accounts (never their tokens)', response: { 200: listOf(ZapierAccount), ...errorResponses } } },
    async () => ({ data: await listZapierAccounts(db, scope) }),
  );

  routes.patch(
    `${BASE}/:appId`,
    { schema: { ...adminRouteDoc, operationId: 'renameZapierAccount', summary: 'Rename a Zapier account', params: byAppId, body: RenameZapierAccountBody, response: { 200: ZapierAccount, ...errorResponses } } },
    async (request) => renameZapierAccount(db, scope, request.params.appId, request.body.name),
  );

  routes.post(
    `${BASE}/:appId/regenerate-token`,
    {
      schema: {
        ...adminRouteDoc,
        operationId: 'regenerateZapierAccountToken',
        summary: 'Give the account a new App Token; the old one stops working at once and the REST-hook subscriptions made before end',
        params: byAppId,
        response: { 200: ZapierAccountWithToken, ...errorResponses },
      },
    },
    async (request) => regenerateAppToken(db, scope, request.params.appId),
  );

  routes.delete(
    `${BASE}/:appId`,
    {
      schema: {
        ...adminRouteDoc,
        operationId: 'deleteZapierAccount',
        summary: 'Delete a Zapier account: its credentials stop working and its subscriptions end',
        params: byAppId,
        response: { 200: ZapierAccount, ...errorResponses },
      },
    },
    async (request) => deleteZapierAccount(db, scope, request.params.appId),
  );
}
