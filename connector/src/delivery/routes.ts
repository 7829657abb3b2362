import type { FastifyInstance } from 'fastify';
import { api, deliveryAdminApi } from '../../../contract/index.js';
import { ApiFailure, notFound } from '../errors.js';
import { registerEndpoints } from '../http/endpoints.js';
import { adminDoc, type RouteDoc } from '../http/route-docs.js';
import type { AccountContext } from '../http/request-context.js';
import type { DeliveryDeps } from './deps.js';
import { enableSubscription, getDelivery, listDeliveries, retryDelivery } from './delivery-log.js';
import { dismissNotice, listNotices } from './notices.js';
import { recoverDeliveries, recoveryStatus } from './recovery.js';
import { TargetRefusedError, vetTarget } from './ssrf.js';
import { createSubscription, listAllSubscriptions, listLiveSubscriptions, recentPayloads, unsubscribe } from './subscriptions.js';

/** The REST-hook endpoints of the public API's table (contract/api.ts), served here. */
const hookApi = { subscribe: api.subscribe, unsubscribe: api.unsubscribe, listSubscriptions: api.listSubscriptions, recentEvents: api.recentEvents };

const appCredentials: RouteDoc = { tags: ['hooks'], security: [{ appId: [], appToken: [] }] };

/**
 * The REST-hook endpoints Zapier calls: subscribe, unsubscribe, list, and recent payloads for
 * performList. Register inside the authenticated /v1 scope: `request.account` is the caller.
 */
export function hookRoutes(app: FastifyInstance, deps: DeliveryDeps): void {
  registerEndpoints<typeof hookApi, { account: AccountContext }>(
    app,
    hookApi,
    {
      subscribe: async ({ account, body }) => {
        await refuseUnsafeTarget(body.targetUrl, deps);
        return createSubscription(deps.db, account, body);
      },
      unsubscribe: async ({ account, params }) => {
        const ended = await unsubscribe(deps.db, account.appId, params.id);
        if (!ended) throw notFound('subscription', params.id);
        return ended;
      },
      listSubscriptions: async ({ account }) => ({ data: await listLiveSubscriptions(deps.db, account.appId) }),
      recentEvents: async ({ account, query }) => ({ data: (await recentPayloads(deps.db, account.workspaceId, query.event, query.limit)) as never[] }),
    },
    { doc: appCredentials, context: (request) => ({ account: request.account }) },
  );
}

/** The same address policy deliveries follow, checked up front so a bad URL is refused with a reason. */
async function refuseUnsafeTarget(targetUrl: string, deps: DeliveryDeps): Promise<void> {
  try {
    await vetTarget(targetUrl, { allowPrivateTargets: deps.settings.delivery.allowPrivateTargets, resolveHost: deps.resolveHost });
  } catch (error) {
    if (!(error instanceof TargetRefusedError)) throw error;
    if (error.transient) {
      throw new ApiFailure(503, 'unavailable', `The target URL could not be checked right now: ${error.reason} Try again in a moment.`, undefined, {
        'retry-after': '5',
      });
    }
    throw new ApiFailure(422, 'validation_failed', `The target URL was refused. ${error.reason}`, [{ field: 'targetUrl', message: error.reason }]);
  }
}

/**
 * The operator's view of delivery: an account's subscriptions, the delivery log, one delivery
 * with its attempts, retry by hand (`?reactivate=true` to re-enable a disabled subscription
 * at the same time), and re-enable a disabled subscription. Register inside the admin scope.
 */
export function deliveryAdminRoutes(app: FastifyInstance, deps: DeliveryDeps): void {
  registerEndpoints(
    app,
    deliveryAdminApi,
    {
      listAccountSubscriptions: async ({ params }) => ({ data: await listAllSubscriptions(deps.db, params.appId) }),
      enableSubscription: ({ params }) => enableSubscription(deps.db, params.id),
      listDeliveries: ({ query }) => listDeliveries(deps.db, query),
      getDelivery: ({ params }) => getDelivery(deps.db, params.id),
      retryDelivery: ({ params, query }) => retryDelivery(deps.db, params.id, { reactivate: query.reactivate }),
      listNotices: async ({ query }) => ({ data: await listNotices(deps.db, query) }),
      dismissNotice: ({ params }) => dismissNotice(deps.db, params.id),
      getRecovery: ({ params, query }) => recoveryStatus(deps.db, params.appId, query),
      recoverDeliveries: ({ params, body }) => recoverDeliveries(deps.db, params.appId, body),
    },
    { doc: adminDoc('deliveries') },
  );
}
