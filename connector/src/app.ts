import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IncomingMessage } from 'node:http';
import { sql } from 'kysely';
import { z } from 'zod';
import { zapierAccountRoutes, requireAdminToken } from './accounts/admin-routes.js';
import { adminTokenCheck, resolveAdminToken, type AdminGuard } from './accounts/admin-token.js';
import { authThrottle } from './accounts/auth-throttle.js';
import { presentsBearer } from './accounts/bearer.js';
import { requireAppCredentials } from './accounts/public-auth.js';
import { DatabaseRateLimitStore, MemoryRateLimitStore, rateLimitByAppId, type RateLimitStore } from './accounts/rate-limit.js';
import { createSmsProvider, type SmsProvider } from './contact-centre/sms-provider.js';
import { deliveryAdminRoutes, hookRoutes } from './delivery/routes.js';
import type { ConnectorDeps } from './deps.js';
import { redactExportSecrets, supportExportAdminRoutes, supportExportRoutes } from './export/routes.js';
import { adminPageRoutes } from './http/admin-page.js';
import { registerContractRoutes } from './http/contract-routes.js';
import { endpointHandlers } from './contact-centre/handlers.js';
import { frameworkErrorHandler, installErrorHandling, replyNoSuchRoute } from './http/error-handler.js';
import { instrumentRequests } from './http/metrics.js';
import { consoleLinkRoutes, recordRoutes } from './contact-centre/record-routes.js';
import { refuseUnstorableText } from './http/text-guard.js';
import { newId } from './ids.js';
import { kf5RuleRoutes, ruleAdminRoutes } from './rules/routes.js';
import { ensureWorkspace } from './workspace.js';

/** The JSON APIs: the public one, the admin one and KF5's. */
const isApiPath = (url: string) => /^\/(v1|admin\/api|apiv2)(\/|\?|$)/.test(url);

/** 1 MB: far above any contract body (the longest text is 20,000 characters), far below harm. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  smsProvider?: SmsProvider;
  /** The rate limit's and the failed-authentication throttle's. Defaults: in memory on the embedded database (one process), in the database on PostgreSQL (several). */
  rateLimitStore?: RateLimitStore;
  /** The built admin page (default: connector/web/dist). */
  adminPageDir?: string;
}

/** A caller's own request id is kept when it is a sane token (so logs line up across systems); otherwise a new one. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : newId('req');
}

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({ kind: z.enum(['sqlite', 'postgres']), reachable: z.boolean() }),
});

/**
 * The connector's HTTP app: the public API generated from contract/api.ts under /v1 (App ID and
 * App Token, rate-limited per App ID), the admin API under /admin/api (ADMIN_TOKEN), and
 * /health, /metrics and /openapi.json, and the admin web page at /admin/. Call `listen` on the
 * result, or `inject` in tests.
 */
export async function buildApp(deps: ConnectorDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const { db, settings } = deps;
  const workspace = await ensureWorkspace(db, settings.workspaceName);
  await ensureAdminToken(deps);
  const rateLimitStore = options.rateLimitStore ?? defaultRateLimitStore(deps);
  const throttle = authThrottle(rateLimitStore, settings.authFailureLimit);
  const adminGuard: AdminGuard = { isAdminToken: adminTokenCheck(db, settings.adminToken), throttle };

  const app = Fastify({
    // Request logs show the export route, never an export URL's secret.
    loggerInstance: deps.log.child({}, { serializers: { req: requestForLog } }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    frameworkErrors: frameworkErrorHandler,
    trustProxy: settings.trustProxy,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  refuseUnstorableText(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // No route: answer 404 on arrival; fastify's not-found route would read and parse a body first.
    if (!request.routeOptions.url) return replyNoSuchRoute(request, reply);
    // API answers carry App Tokens, export URLs, signing secrets and customer data: no cache,
    // browser or proxy, may keep them. Routes that may be cached (the page's assets) set their own.
    if (isApiPath(request.routeOptions.url ?? request.url)) reply.header('cache-control', 'no-store'); // the route, however its path was spelled
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Contact centre connector',
        version: '1.0.0',
        description: 'The API behind the contact centre Zapier app, generated from its zod contract.',
      },
      servers: [{ url: settings.publicBaseUrl }],
      components: {
        securitySchemes: {
          appId: { type: 'apiKey', in: 'header', name: 'X-App-Id', description: 'The App ID of a Zapier account' },
          appToken: { type: 'http', scheme: 'bearer', description: 'The App Token of that Zapier account' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'The ADMIN_TOKEN of this connector' },
          kf5Basic: {
            type: 'http',
            scheme: 'basic',
            description: 'KF5 style, /apiv2 only: any email (or email/token) as the user, the ADMIN_TOKEN as the password',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  instrumentRequests(app, { isAuthorized: settings.metricsToken === undefined ? undefined : presentsBearer(settings.metricsToken) });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/health',
    {
      schema: {
        summary: 'Is the connector able to serve: answers 503 when its database is unreachable',
        tags: ['operations'],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const reachable = await sql`select 1 as ok`.execute(db).then(
        () => true,
        () => false,
      );
      return reply.code(reachable ? 200 : 503).send({ status: reachable ? 'ok' : 'unavailable', database: { kind: deps.storage.kind, reachable } });
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (v1) => {
    requireAppCredentials(v1, db, throttle);
    rateLimitByAppId(v1, { ...settings.rateLimit, store: rateLimitStore });
    registerContractRoutes(v1, endpointHandlers({ db, settings, smsProvider: options.smsProvider ?? createSmsProvider(settings.sms) }));
    hookRoutes(v1, deps);
  });

  await app.register(async (admin) => {
    requireAdminToken(admin, adminGuard);
    zapierAccountRoutes(admin, { db, scope: { workspaceId: workspace.id, baseUrl: settings.publicBaseUrl } });
    deliveryAdminRoutes(admin, deps);
    recordRoutes(admin, { db, scope: { workspaceId: workspace.id, baseUrl: settings.publicBaseUrl, casePrefix: settings.casePrefix } });
    ruleAdminRoutes(admin, {
      db,
      scope: { workspaceId: workspace.id, baseUrl: settings.publicBaseUrl },
      policy: { allowPrivateTargets: settings.delivery.allowPrivateTargets, resolveHost: deps.resolveHost, timeoutMs: settings.delivery.timeoutMs },
    });
    supportExportAdminRoutes(admin, {
      db,
      scope: { workspaceId: workspace.id, baseUrl: settings.publicBaseUrl },
      allowPrivateTargets: settings.delivery.allowPrivateTargets,
    });
  });

  // The KF5 Triggers API: the admin token as a Bearer token or, as KF5's examples send it, HTTP Basic.
  await kf5RuleRoutes(app, { db, scope: { workspaceId: workspace.id, baseUrl: settings.publicBaseUrl }, guard: adminGuard });

  // Ferndesk's support endpoint: no credentials, the secret is in the path (export/routes.ts).
  await supportExportRoutes(app, { db, baseUrl: settings.publicBaseUrl, casePrefix: settings.casePrefix, throttle });

  await adminPageRoutes(app, { dir: options.adminPageDir });
  consoleLinkRoutes(app);

  return app;
}

/** Fastify's request log fields, with export secrets taken out of the URL. */
const requestForLog = (request: FastifyRequest) => ({
  method: request.method,
  url: redactExportSecrets(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

const defaultRateLimitStore = (deps: ConnectorDeps): RateLimitStore =>
  deps.storage.kind === 'postgres' ? new DatabaseRateLimitStore(deps.db) : new MemoryRateLimitStore();

/** main.ts makes (and prints) the admin token before building the app; anything else building it gets one made here, said once. */
async function ensureAdminToken(deps: ConnectorDeps): Promise<void> {
  const admin = await resolveAdminToken(deps.db, deps.settings.adminToken);
  if (admin.generatedToken) deps.log.warn(`No ADMIN_TOKEN was set; generated one (shown only now): ${admin.generatedToken}`);
}
