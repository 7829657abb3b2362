import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Endpoint } from '../../../contract/index.js';
import { errorResponses, type RouteDoc } from './route-docs.js';

/**
 * The one way the connector declares a route: an endpoint of a contract table (contract/api.ts,
 * contract/admin-api.ts: method, path, status, schemas) and a handler of the same name. The
 * server registers it, validates with its schemas and documents it in /openapi.json from them.
 */

/** A request part after validation: the schema's output (defaults applied), or nothing if the endpoint has none. */
type Parsed<E, K extends 'params' | 'query' | 'body'> = E extends { [P in K]: z.ZodType } ? z.output<E[K]> : undefined;

/** What a handler is given: the validated parts, and what the scope adds (the caller's account on /v1). */
export type EndpointCall<E, Context = object> = { params: Parsed<E, 'params'>; query: Parsed<E, 'query'>; body: Parsed<E, 'body'> } & Context;

/** A handler answers the endpoint's response (the schema's input: the serializer checks and completes it). */
export type Handlers<Table extends Record<string, Endpoint>, Context = object> = {
  [Name in keyof Table]: (call: EndpointCall<Table[Name], Context>) => Promise<z.input<Table[Name]['response']>>;
};

export interface RegisterOptions<Context> {
  /** OpenAPI tags and security of these routes, or of each endpoint. */
  doc: RouteDoc | ((endpoint: Endpoint) => RouteDoc);
  /** What the scope adds to each call, from the request (after its onRequest hooks). */
  context?: (request: FastifyRequest) => Context;
  /**
   * Endpoints whose handler reads the body itself (KF5 rules answer 422 with their own details):
   * their schemas document the route but do not validate it.
   */
  ownValidation?: string[];
}

/** Registers one route per endpoint of the table that has a handler; the handlers' names are the table's. */
export function registerEndpoints<Table extends Record<string, Endpoint>, Context = object>(
  app: FastifyInstance,
  table: Table,
  handlers: Handlers<Table, Context>,
  { doc, context, ownValidation = [] }: RegisterOptions<Context>,
): void {
  for (const name of Object.keys(handlers)) {
    const endpoint: Endpoint = table[name]!;
    const handle = handlers[name] as unknown as (call: Record<string, unknown>) => Promise<unknown>;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      schema: {
        operationId: name,
        summary: endpoint.summary,
        ...(typeof doc === 'function' ? doc(endpoint) : doc),
        ...(endpoint.params ? { params: endpoint.params } : {}),
        ...(endpoint.query ? { querystring: endpoint.query } : {}),
        ...(endpoint.body ? { body: endpoint.body } : {}),
        response: { [endpoint.status]: endpoint.response, ...errorResponses },
      },
      ...(ownValidation.includes(name) ? { validatorCompiler: () => (data: unknown) => ({ value: data }) } : {}),
      // No body at all is read as {}, so the caller hears which fields are required rather than
      // "expected object". A body that is JSON `null` is a body, of the wrong type: refused as such.
      ...(endpoint.body
        ? {
            preValidation: async (request: FastifyRequest) => {
              if (request.body === undefined) request.body = {};
            },
          }
        : {}),
      handler: async (request, reply) => {
        const result = await handle({ params: request.params, query: request.query, body: request.body, ...context?.(request) });
        return reply.code(endpoint.status).send(result);
      },
    });
  }
}
