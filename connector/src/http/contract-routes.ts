import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { api, ApiError, type Api, type EndpointName, type ResponseOf } from '../../../contract/index.js';
import type { AccountContext } from './request-context.js';

/** Served by the delivery side (delivery/routes.ts), not by the contract route table here. */
export const hookEndpointNames = ['subscribe', 'unsubscribe', 'listSubscriptions', 'recentEvents'] as const;
export type HookEndpointName = (typeof hookEndpointNames)[number];
export type ServedEndpointName = Exclude<EndpointName, HookEndpointName>;

/** A request part after validation: the schema's output (defaults applied), or nothing if the endpoint has none. */
type Parsed<N extends EndpointName, K extends 'params' | 'query' | 'body'> = Api[N] extends { [P in K]: z.ZodType }
  ? z.output<Api[N][K]>
  : undefined;

export interface EndpointCall<N extends EndpointName> {
  params: Parsed<N, 'params'>;
  query: Parsed<N, 'query'>;
  body: Parsed<N, 'body'>;
  account: AccountContext;
}

export type EndpointHandler<N extends EndpointName> = (call: EndpointCall<N>) => Promise<ResponseOf<N>>;
export type EndpointHandlers = { [N in ServedEndpointName]: EndpointHandler<N> };

/** OpenAPI groups endpoints by the first path segment after /v1 ("contacts", "tickets", ...). */
const tagOf = (path: string) => path.split('/')[2] ?? 'other';

/**
 * Registers one route per endpoint of the contract's `api` table: method, path, schemas and
 * status all come from the contract, so the connector cannot drift from what the app calls.
 */
export function registerContractRoutes(app: FastifyInstance, handlers: EndpointHandlers): void {
  for (const name of Object.keys(handlers) as ServedEndpointName[]) {
    const endpoint = api[name] as Api[EndpointName];
    const handler = handlers[name] as unknown as (call: EndpointCall<EndpointName>) => Promise<unknown>;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      schema: {
        operationId: name,
        summary: endpoint.summary,
        tags: [tagOf(endpoint.path)],
        security: [{ appId: [], appToken: [] }],
        ...('params' in endpoint ? { params: endpoint.params } : {}),
        ...('query' in endpoint ? { querystring: endpoint.query } : {}),
        ...('body' in endpoint ? { body: endpoint.body } : {}),
        response: { [endpoint.status]: endpoint.response, '4XX': ApiError, '5XX': ApiError },
      },
      // No body at all is read as {}, so the caller hears which fields are required rather than
      // "expected object". A body that is JSON `null` is a body, of the wrong type: refused as such.
      ...('body' in endpoint
        ? {
            preValidation: async (request: FastifyRequest) => {
              if (request.body === undefined) request.body = {};
            },
          }
        : {}),
      handler: async (request, reply) => {
        const result = await handler({
          params: request.params as never,
          query: request.query as never,
          body: request.body as never,
          account: request.account,
        });
        return reply.code(endpoint.status).send(result);
      },
    });
  }
}
