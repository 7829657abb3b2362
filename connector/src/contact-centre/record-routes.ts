import type { FastifyInstance } from 'fastify';
import { helpdeskDirectoryAdminApi, recordAdminApi, recordEndpoints } from '../../../contract/index.js';
import { ApiFailure } from '../errors.js';
import { registerEndpoints } from '../http/endpoints.js';
import { adminDoc } from '../http/route-docs.js';
import type { Db } from '../storage/db.js';
import { getChat } from './chats.js';
import { getContact } from './contacts.js';
import { getEnquiry } from './enquiries.js';
import { helpdeskDirectory } from './helpdesk-directory.js';
import type { ConsoleKind, Scope } from './scope.js';
import { getTicket } from './tickets.js';

/** Every kind of record with a console link (contract/routes.ts recordEndpoints). */
export const consoleKinds = Object.keys(recordEndpoints) as ConsoleKind[];

export interface RecordRouteOptions {
  db: Db;
  /** The connector's workspace: a record of another workspace is not found. */
  scope: Scope;
}

/**
 * GET /admin/api/records/<kind>/<id>: one record behind a console link (scope.ts linkTo),
 * read-only, read as the public API's GET answers it (same function, same response schema), so
 * the admin page shows exactly what a Zap received; and the helpdesk's directory (the ids rules
 * name, with names). Register inside the admin scope.
 */
export function recordRoutes(app: FastifyInstance, { db, scope }: RecordRouteOptions): void {
  registerEndpoints(
    app,
    recordAdminApi,
    {
      getContactRecord: ({ params }) => getContact(db, scope, params.id),
      getEnquiryRecord: ({ params }) => getEnquiry(db, scope, params.id),
      getTicketRecord: ({ params }) => getTicket(db, scope, params.id),
      getChatRecord: ({ params }) => getChat(db, scope, params.id),
    },
    { doc: adminDoc('records') },
  );

  registerEndpoints(app, helpdeskDirectoryAdminApi, { getHelpdeskDirectory: () => helpdeskDirectory(db, scope) }, { doc: adminDoc('helpdesk rules') });

  // Any other kind: say which ones there are, rather than the generic "no such route".
  app.get('/admin/api/records/:kind/:id', { schema: { hide: true } }, async (request) => {
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
