import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError, START_DATE_FORMAT_MESSAGE, SupportExport, SupportExportPath, SupportExportQuery, supportExportAdminApi } from '../../../contract/index.js';
import type { AuthThrottle } from '../accounts/auth-throttle.js';
import type { AdminScope } from '../accounts/zapier-accounts.js';
import type { Scope } from '../contact-centre/scope.js';
import { ApiFailure } from '../errors.js';
import { registerEndpoints } from '../http/endpoints.js';
import { adminDoc } from '../http/route-docs.js';
import type { Db } from '../storage/db.js';
import { checkSupportEndpoint } from './check.js';
import { createExportUrl, deleteExportUrl, exportUrlBySecret, listExportUrls, markExportUrlUsed, rotateExportUrl } from './export-urls.js';
import { startDateFromQuery } from './start-date.js';
import { exportJson } from './stream.js';

export interface SupportExportRouteOptions {
  db: Db;
  /** PUBLIC_BASE_URL: the base of export URLs and record links. */
  baseUrl: string;
  casePrefix: string;
  /** The secret is a credential: wrong ones count as failed authentications. */
  throttle: AuthThrottle;
  /** Rows read per query and kind (tests make it small to cross many pages). */
  batchSize?: number;
}

/** The export path; `:secret` is the URL's secret (find-my-way takes the ".json" after it as literal). */
export const EXPORT_ROUTE = '/support-endpoint/:secret.json';

/** The connector's secrets carry a prefix (export URLs ccx_, App Tokens cct_, admin tokens cca_). */
const PREFIXED_SECRET = /\b(cc[xta]_)[A-Za-z0-9_-]{8,}/g;

/**
 * A request URL for the logs, with export secrets taken out in any spelling: everything after
 * /support-endpoint/ in the path, matched on the path decoded as the router decodes it (so
 * `%2Ejson` or `/%73upport-endpoint/` cannot carry one through), and any prefixed secret anywhere,
 * so a mistyped path (`/support-endpoints/<secret>`, a stray `%`) or a query cannot either.
 * Escapes are decoded one by one: a malformed one elsewhere must not stop the rest.
 */
export function redactExportSecrets(url: string): string {
  const decoded = url.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const queryAt = decoded.indexOf('?');
  const path = queryAt === -1 ? decoded : decoded.slice(0, queryAt);
  const query = queryAt === -1 ? '' : decoded.slice(queryAt);
  const redacted = (path.replace(/\/support-endpoint\/.*$/is, '/support-endpoint/[secret].json') + query).replace(PREFIXED_SECRET, '$1[secret]');
  return redacted === decoded ? url : redacted; // nothing secret: the URL as it came
}

/**
 * `GET /support-endpoint/<secret>.json?startDate=2025-01-01`: Ferndesk's custom support
 * endpoint. Without startDate, everything; repeated (a pasted one plus Ferndesk's), the latest. No credentials (Ferndesk sends none): the secret in the path is the credential.
 * A wrong or missing secret is answered by the ordinary 404 of any unknown URL, so nothing
 * tells it from a path that never existed. The answer streams: conversations are read in
 * keyset batches and written as they come, so memory does not grow with the export.
 */
export async function supportExportRoutes(app: FastifyInstance, options: SupportExportRouteOptions): Promise<void> {
  const { db } = options;
  app.withTypeProvider<ZodTypeProvider>().get(
    EXPORT_ROUTE,
    {
      exposeHeadRoute: false,
      schema: {
        operationId: 'supportExport',
        summary:
          "Conversations in Ferndesk's support-endpoint format (chats, tickets without private notes, enquiries), last message on or after startDate, oldest first",
        description:
          'Give Ferndesk the export URL the admin API created (Settings > Integrations > Support endpoint > Source URL). ' +
          'The secret in the path is the only credential; a wrong one answers 404 like any unknown URL. The body streams.',
        tags: ['export'],
        params: SupportExportPath,
        querystring: SupportExportQuery,
        response: { 200: SupportExport, 400: ApiError, 404: ApiError, '5XX': ApiError },
      },
      // The schemas document the route; the handler checks the secret first, so a wrong secret is a 404 whatever the query.
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (request, reply) => {
      const { secret } = request.params as { secret: string };
      await options.throttle.assertAllowed(request);
      const exportUrl = await exportUrlBySecret(db, secret);
      if (!exportUrl) {
        await options.throttle.recordFailure(request);
        return reply.callNotFound();
      }

      const startDate = startDateFromQuery((request.query as { startDate?: unknown }).startDate);
      if (!startDate.ok) {
        const { given } = startDate;
        throw new ApiFailure(400, 'validation_failed', `${START_DATE_FORMAT_MESSAGE}; ${given}.`, [
          { field: 'startDate', message: `must be a date like 2025-01-01 or an ISO 8601 date-time; ${given}` },
        ]);
      }
      const { since } = startDate;
      const until = new Date().toISOString();
      await markExportUrlUsed(db, exportUrl.id, until);
      const scope: Scope = { workspaceId: exportUrl.workspaceId, baseUrl: options.baseUrl, casePrefix: options.casePrefix };
      const chunks = exportJson({ db, scope, since, until, batchSize: options.batchSize });
      // The first piece comes after the first read of every kind: a database failure so far is still a proper JSON error.
      const first = await chunks.next();
      async function* rest() {
        try {
          if (!first.done) yield first.value;
          yield* chunks;
        } finally {
          await chunks.return(undefined); // the client went away: stop reading
        }
      }
      return reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex')
        .send(Readable.from(rest(), { objectMode: false }) as never);
    },
  );
}

export interface SupportExportAdminOptions {
  db: Db;
  scope: AdminScope;
  /** Whether the check may fetch private addresses (the delivery setting CONNECTOR_ALLOW_PRIVATE_TARGETS). */
  allowPrivateTargets: boolean;
  checkTimeoutMs?: number;
}

/** Export URLs (create, list masked, rotate, delete) and the "test" check. Register inside the admin scope. */
export function supportExportAdminRoutes(app: FastifyInstance, options: SupportExportAdminOptions): void {
  const { db, scope } = options;
  registerEndpoints(
    app,
    supportExportAdminApi,
    {
      createSupportExportUrl: ({ body }) => createExportUrl(db, scope, body.name),
      listSupportExportUrls: async () => ({ data: await listExportUrls(db, scope) }),
      rotateSupportExportUrl: ({ params }) => rotateExportUrl(db, scope, params.id),
      deleteSupportExportUrl: ({ params }) => deleteExportUrl(db, scope, params.id),
      checkSupportEndpoint: ({ body }) =>
        checkSupportEndpoint(body.url, {
          allowPrivateTargets: options.allowPrivateTargets,
          trustedOrigins: [new URL(scope.baseUrl).origin],
          timeoutMs: options.checkTimeoutMs ?? 20_000,
          maxBytes: 25 * 1024 * 1024,
        }),
    },
    { doc: adminDoc('support export') },
  );
}
