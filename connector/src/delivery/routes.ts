import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { api, ApiError, deliveryAdminApi } from '../../../contract/index.js';
import { ApiFailure, notFound } from '../errors.js';
import type { DeliveryDeps } from './deps.js';
import { enableSubscription, getDelivery, listDeliveries, retryDelivery } from './delivery-log.js';
import { TargetRefusedError, vetTarget } from './ssrf.js';
import { createSubscription, listAllSubscriptions, listLiveSubscriptions, recentPayloads, unsubscribe } from './subscriptions.js';

/** Schema parts every route shares: its contract schemas, and the error body for 4xx/5xx. */
function schemaOf(name: string, endpoint: { summary: string; status: number; response: unknown }, extra: object) {
  return {
    operationId: name,
    summary: endpoint.summary,
    ...extra,
    response: { [endpoint.status]: endpoint.response, '4XX': ApiError, '5XX': ApiError },
  };
}

const appCredentials = { tags: ['hooks'], security: [{ appId: [], appToken: [] }] };

/**
 * The REST-hook endpoints Zapier calls: subscribe, unsubscribe, list, and recent payloads for
 * performList. Register inside the authenticated /v1 scope: `request.account` is the caller.
 */
export async function hookRoutes(app: FastifyInstance, deps: DeliveryDeps): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { subscribe, unsubscribe: unsubscribeEndpoint, listSubscriptions, recentEvents } = api;

  routes.post(subscribe.path, { schema: { ...schemaOf('subscribe', subscribe, appCredentials), body: subscribe.body } }, async (request, reply) => {
    await refuseUnsafeTarget(request.body.targetUrl, deps);
    const created = await createSubscription(deps.db, request.account, request.body);
    return reply.code(subscribe.status).send(created);
  });

  routes.delete(
    unsubscribeEndpoint.path,
    { schema: { ...schemaOf('unsubscribe', unsubscribeEndpoint, appCredentials), params: unsubscribeEndpoint.params } },
    async (request) => {
      const ended = await unsubscribe(deps.db, request.account.appId, request.params.id);
      if (!ended) throw notFound('subscription', request.params.id);
      return ended;
    },
  );

  routes.get(listSubscriptions.path, { schema: schemaOf('listSubscriptions', listSubscriptions, appCredentials) }, async (request) => ({
    data: await listLiveSubscriptions(deps.db, request.account.appId),
  }));

  routes.get(recentEvents.path, { schema: { ...schemaOf('recentEvents', recentEvents, appCredentials), querystring: recentEvents.query } }, async (request) => ({
    data: (await recentPayloads(deps.db, request.account.workspaceId, request.query.event, request.query.limit)) as never[],
  }));
}

/** The same address policy deliveries follow, checked up front so a bad URL is refused with a reason. */
async function refuseUnsafeTarget(targetUrl: string, deps: DeliveryDeps): Promise<void> {
  try {
    await vetTarget(targetUrl, { allowPrivateTargets: deps.settings.delivery.allowPrivateTargets, resolveHost: deps.resolveHost });
  } catch (error) {
    if (!(error instanceof TargetRefusedError)) throw error;
    if (error.transient) {
      throw new ApiFailure(503, 'unavailable', `The target URL could not be checked right now: ${error.reason} Try again in a moment.`, undefined, { 'retry-after': '5' });
    }
    throw new ApiFailure(422, 'validation_failed', `The target URL was refused. ${error.reason}`, [{ field: 'targetUrl', message: error.reason }]);
  }
}

const admin = { tags: ['admin: deliveries'], security: [{ adminToken: [] }] };

/**
 * The operator's view of delivery: an account's subscriptions, the delivery log, one delivery
 * with its attempts, retry by hand (`?reactivate=true` to re-enable a disabled subscription
 * at the same time), and re-enable a disabled subscription. Register inside the admin scope.
 */
export async function deliveryAdminRoutes(app: FastifyInstance, deps: DeliveryDeps): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const e = deliveryAdminApi;

  routes.get(e.listAccountSubscriptions.path, { schema: { ...schemaOf('listAccountSubscriptions', e.listAccountSubscriptions, admin), params: e.listAccountSubscriptions.params } }, async (request) => ({
    data: await listAllSubscriptions(deps.db, request.params.appId),
  }));

  routes.post(e.enableSubscription.path, { schema: { ...schemaOf('enableSubscription', e.enableSubscription, admin), params: e.enableSubscription.params } }, async (request) =>
    enableSubscription(deps.db, request.params.id),
  );

  routes.get(e.listDeliveries.path, { schema: { ...schemaOf('listDeliveries', e.listDeliveries, admin), querystring: e.listDeliveries.query } }, async (request) =>
    listDeliveries(deps.db, request.query),
  );

  routes.get(e.getDelivery.path, { schema: { ...schemaOf('getDelivery', e.getDelivery, admin), params: e.getDelivery.params } }, async (request) =>
    getDelivery(deps.db, request.params.id),
  );

  routes.post(
    e.retryDelivery.path,
    { schema: { ...schemaOf('retryDelivery', e.retryDelivery, admin), params: e.retryDelivery.params, querystring: e.retryDelivery.query } },
    async (request) => retryDelivery(deps.db, request.params.id, { reactivate: request.query.reactivate }),
  );
}
