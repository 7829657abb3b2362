import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { triggerApi, triggerRequest, type CreateTriggerBody, type UpdateTriggerBody } from '../../../contract/index.js';
import { fieldProblems } from '../http/error-handler.js';
import type { Db } from '../storage/db.js';
import type { AdminGuard } from '../accounts/admin-token.js';
import { requireKf5Credentials } from './kf5-auth.js';
import { listNotifications } from './notifications.js';
import { createTrigger, deleteTrigger, getTrigger, invalidRule, listTriggers, updateTrigger, type TriggerScope } from './store.js';
import { createTarget, deleteTarget, getTarget, listTargets, updateTarget, type TargetPolicy } from './targets.js';
import { errorResponses } from '../http/route-docs.js';

export interface TriggerRouteOptions {
  db: Db;
  scope: TriggerScope;
  policy: TargetPolicy;
}

export interface Kf5TriggerRouteOptions {
  db: Db;
  scope: TriggerScope;
  /** The admin token, which /apiv2 takes as a Bearer token or as a Basic password, and the failure throttle. */
  guard: AdminGuard;
}

const triggersDoc: { tags: string[]; security: Record<string, string[]>[] } = { tags: ['trigger rules (KF5)'], security: [{ adminToken: [] }, { kf5Basic: [] }] };
const adminDoc = { tags: ['admin: trigger rules'], security: [{ adminToken: [] }] };

/** `conditions.all.1.operator` → `conditions.all[1].operator`. */
const bracketed = (dotted: string) => dotted.replace(/\.([0-9]+)(?=\.|$)/g, '[$1]');

/**
 * Reads a trigger body, KF5's way: `{"trigger": {...}}` (or the bare object). An invalid rule
 * is 422 with one detail per offending part, by its path in the trigger
 * (`conditions.all[1].operator`), as Zendesk answers; zod's defaults are reworded like
 * everywhere else in the connector.
 */
function parseTrigger<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = triggerRequest(schema).safeParse(body ?? {});
  if (parsed.success) return parsed.data as z.output<T>;
  const problems = parsed.error.issues.flatMap((issue) =>
    fieldProblems([{ instancePath: `/${issue.path.join('/')}`, keyword: issue.code, message: issue.message, params: { ...issue } }], 'trigger'),
  );
  throw invalidRule(problems.map((p) => ({ field: bracketed(p.field), message: p.message })));
}

/** Trigger routes validate their own bodies (422, above) and ids (an id that is not a number is simply not found: 404). */
const noSchemaValidation = () => (data: unknown) => ({ value: data });

const t = triggerApi;
const doc = (name: keyof typeof triggerApi) => ({ operationId: name, summary: t[name].summary, ...(t[name].path.startsWith('/apiv2') ? triggersDoc : adminDoc) });

/**
 * The KF5 Triggers API under /apiv2, in a scope of its own: it takes the admin token as KF5's
 * examples send credentials (HTTP Basic) as well as a Bearer token. Register outside the admin
 * scope, whose hook takes Bearer only.
 */
export async function kf5TriggerRoutes(app: FastifyInstance, { db, scope, guard }: Kf5TriggerRouteOptions): Promise<void> {
  await app.register(async (apiv2) => {
    requireKf5Credentials(apiv2, guard);
    triggerApiRoutes(apiv2, db, scope);
  });
}

function triggerApiRoutes(app: FastifyInstance, db: Db, scope: TriggerScope): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const raw = { validatorCompiler: noSchemaValidation };

  routes.get(t.listTriggers.path, { schema: { ...doc('listTriggers'), response: { 200: t.listTriggers.response, ...errorResponses } } }, async () => ({
    triggers: await listTriggers(db, scope),
  }));
  routes.get(t.listActiveTriggers.path, { schema: { ...doc('listActiveTriggers'), response: { 200: t.listActiveTriggers.response, ...errorResponses } } }, async () => ({
    triggers: await listTriggers(db, scope, { activeOnly: true }),
  }));
  routes.get(t.getTrigger.path, { schema: { ...doc('getTrigger'), params: t.getTrigger.params, response: { 200: t.getTrigger.response, ...errorResponses } }, ...raw }, async (request) => ({
    trigger: await getTrigger(db, scope, (request.params as { id: string }).id),
  }));
  routes.post(
    t.createTrigger.path,
    { schema: { ...doc('createTrigger'), body: z.object({ trigger: t.createTrigger.body }), response: { 201: t.createTrigger.response, ...errorResponses } }, ...raw },
    async (request, reply) => {
      const input = parseTrigger(t.createTrigger.body, request.body) as z.output<typeof CreateTriggerBody>;
      return reply.code(201).send({ trigger: await createTrigger(db, scope, input) });
    },
  );
  routes.put(
    t.updateTrigger.path,
    { schema: { ...doc('updateTrigger'), params: t.updateTrigger.params, body: z.object({ trigger: t.updateTrigger.body }), response: { 200: t.updateTrigger.response, ...errorResponses } }, ...raw },
    async (request) => {
      const { id } = request.params as { id: string };
      await getTrigger(db, scope, id); // an unknown id is 404 before the body is looked at
      const input = parseTrigger(t.updateTrigger.body, request.body) as z.output<typeof UpdateTriggerBody>;
      return { trigger: await updateTrigger(db, scope, id, input) };
    },
  );
  routes.delete(t.deleteTrigger.path, { schema: { ...doc('deleteTrigger'), params: t.deleteTrigger.params, response: { 200: t.deleteTrigger.response, ...errorResponses } }, ...raw }, async (request) => ({
    trigger: await deleteTrigger(db, scope, (request.params as { id: string }).id),
  }));
}

/**
 * The admin routes of webhook targets and of the notifications rules queued. Register inside
 * the admin scope (the one with `requireAdminToken`).
 */
export async function triggerAdminRoutes(app: FastifyInstance, { db, scope, policy }: TriggerRouteOptions): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const byId = z.object({ id: z.string() });

  routes.get(t.listTargets.path, { schema: { ...doc('listTargets'), response: { 200: t.listTargets.response, ...errorResponses } } }, async () => ({ data: await listTargets(db, scope) }));
  routes.post(t.createTarget.path, { schema: { ...doc('createTarget'), body: t.createTarget.body, response: { 201: t.createTarget.response, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await createTarget(db, scope, request.body, policy)),
  );
  routes.get(t.getTarget.path, { schema: { ...doc('getTarget'), params: byId, response: { 200: t.getTarget.response, ...errorResponses } } }, async (request) => getTarget(db, scope, request.params.id));
  routes.patch(t.updateTarget.path, { schema: { ...doc('updateTarget'), params: byId, body: t.updateTarget.body, response: { 200: t.updateTarget.response, ...errorResponses } } }, async (request) =>
    updateTarget(db, scope, request.params.id, request.body, policy),
  );
  routes.delete(t.deleteTarget.path, { schema: { ...doc('deleteTarget'), params: byId, response: { 200: t.deleteTarget.response, ...errorResponses } } }, async (request) =>
    deleteTarget(db, scope, request.params.id),
  );

  routes.get(t.listNotifications.path, { schema: { ...doc('listNotifications'), querystring: t.listNotifications.query, response: { 200: t.listNotifications.response, ...errorResponses } } }, async (request) => ({
    data: await listNotifications(db, scope, request.query),
  }));
}
