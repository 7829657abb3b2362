import type { FastifyInstance } from 'fastify';
import { api, type EndpointName } from '../../../contract/index.js';
import { registerEndpoints, type Handlers } from './endpoints.js';
import type { AccountContext } from './request-context.js';

/** Served by the delivery side (delivery/routes.ts), not by the contact centre's handlers. */
export const hookEndpointNames = ['subscribe', 'unsubscribe', 'listSubscriptions', 'recentEvents'] as const;
export type HookEndpointName = (typeof hookEndpointNames)[number];
export type ServedEndpointName = Exclude<EndpointName, HookEndpointName>;

/** The public API's handlers: each gets the caller's account besides the validated request. */
export type EndpointHandlers = Handlers<Pick<typeof api, ServedEndpointName>, { account: AccountContext }>;

/** OpenAPI groups endpoints by the first path segment after /v1 ("contacts", "tickets", ...). */
const tagOf = (path: string) => path.split('/')[2] ?? 'other';

/**
 * Registers the public API (contract/api.ts) with the contact centre's handlers: method, path,
 * schemas and status all come from the contract, so the connector cannot drift from what the
 * app calls. Register inside the authenticated /v1 scope.
 */
export function registerContractRoutes(app: FastifyInstance, handlers: EndpointHandlers): void {
  // The hooks' four are registered beside them by delivery/routes.ts: only these handlers' names are registered here.
  registerEndpoints(app, api, handlers as Handlers<typeof api, { account: AccountContext }>, {
    doc: (endpoint) => ({ tags: [tagOf(endpoint.path)], security: [{ appId: [], appToken: [] }] }),
    context: (request) => ({ account: request.account }),
  });
}
