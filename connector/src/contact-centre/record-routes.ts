import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Chat, Contact, Enquiry, Id, Ticket } from '../../../contract/index.js';
import { getChat } from './chats.js';
import { getContact } from './contacts.js';
import { getEnquiry } from './enquiries.js';
import type { ConsoleKind, Scope } from './scope.js';
import { getTicket } from './tickets.js';
import type { Db } from '../storage/db.js';
import { ApiFailure } from '../errors.js';
import { adminRouteDoc, errorResponses } from '../http/route-docs.js';

export const RECORDS_BASE = '/admin/api/records';

const byId = z.object({ id: Id });

/**
 * Each kind with a console link, read as the public API's GET answers it (same function, same
 * response schema), so the admin page shows exactly what a Zap received.
 */
const readers = {
  contacts: { schema: Contact, read: getContact, operationId: 'adminGetContact', what: 'contact' },
  enquiries: { schema: Enquiry, read: getEnquiry, operationId: 'adminGetEnquiry', what: 'enquiry' },
  tickets: { schema: Ticket, read: getTicket, operationId: 'adminGetTicket', what: 'ticket' },
  chats: { schema: Chat, read: getChat, operationId: 'adminGetChat', what: 'chat' },
} satisfies Record<ConsoleKind, unknown>;

/** Every kind of record with a console link; a kind added to ConsoleKind fails the typecheck above until it has a reader. */
export const consoleKinds = Object.keys(readers) as ConsoleKind[];

export interface RecordRouteOptions {
  db: Db;
  /** The connector's workspace: a record of another workspace is not found. */
  scope: Scope;
}

/**
 * GET /admin/api/records/<kind>/<id>: one record behind a console link (contact-centre/scope.ts
 * linkTo), read-only. Register inside the admin scope (the one with `requireAdminToken`).
 */
export async function recordRoutes(app: FastifyInstance, { db, scope }: RecordRouteOptions): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  for (const kind of consoleKinds) {
    const { schema, read, operationId, what } = readers[kind];
    routes.get(
      `${RECORDS_BASE}/${kind}/:id`,
      { schema: { ...adminRouteDoc, operationId, summary: `One ${what}, as the record its console link points to`, params: byId, response: { 200: schema, ...errorResponses } } },
      async (request) => read(db, scope, request.params.id),
    );
  }

  // Any other kind: say which ones there are, rather than the generic "no such route".
  app.get(`${RECORDS_BASE}/:kind/:id`, { schema: { hide: true } }, async (request) => {
    const { kind } = request.params as { kind: string };
    throw new ApiFailure(404, 'not_found', `There are no records of kind "${kind}". The kinds with links are: ${consoleKinds.join(', ')}.`);
  });
}

/**
 * Record links (scope.ts linkTo) open the record's read-only view in the admin page, which asks
 * for the admin token itself: these redirects carry no data and need none. The Location is
 * relative so a base URL with a path prefix (behind a proxy) keeps it.
 */
export function consoleLinkRoutes(app: FastifyInstance): void {
  for (const kind of consoleKinds) {
    app.get<{ Params: { id: string } }>(`/console/${kind}/:id`, { schema: { hide: true } }, async (request, reply) =>
      reply.header('cache-control', 'no-store').redirect(`../../admin/#/records/${kind}/${encodeURIComponent(request.params.id)}`, 302),
    );
  }
}
