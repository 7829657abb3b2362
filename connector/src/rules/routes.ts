import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { CreateTriggerBody, kf5RuleApi, ruleAdminApi, triggerRequest, UpdateTriggerBody } from '../../../contract/index.js';
import type { AdminGuard } from '../accounts/admin-token.js';
import { registerEndpoints } from '../http/endpoints.js';
import { adminDoc, type RouteDoc } from '../http/route-docs.js';
import { fieldProblems } from '../http/error-handler.js';
import type { Db } from '../storage/db.js';
import { requireKf5Credentials } from './kf5-auth.js';
import { listNotifications } from './notifications.js';
import { createRule, deleteRule, getRule, invalidRule, listRules, updateRule, type RuleScope } from './store.js';
import { createTarget, deleteTarget, getTarget, listTargets, testTarget, updateTarget, type TargetSendPolicy } from './targets.js';

export interface RuleRouteOptions {
  db: Db;
  scope: RuleScope;
  policy: TargetSendPolicy;
}

export interface Kf5RuleRouteOptions {
  db: Db;
  scope: RuleScope;
  /** The admin token, which /apiv2 takes as a Bearer token or as a Basic password, and the failure throttle. */
  guard: AdminGuard;
}

/** `conditions.all.1.operator` → `conditions.all[1].operator`. */
const bracketed = (dotted: string) => dotted.replace(/\.([0-9]+)(?=\.|$)/g, '[$1]');

/**
 * Reads a rule's body, KF5's way: `{"trigger": {...}}` (or the bare object). An invalid rule
 * is 422 with one detail per offending part, by its path in the trigger
 * (`conditions.all[1].operator`), as Zendesk answers; zod's defaults are reworded like
 * everywhere else in the connector.
 */
function parseRule<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = triggerRequest(schema).safeParse(body ?? {});
  if (parsed.success) return parsed.data as z.output<T>;
  const problems = parsed.error.issues.flatMap((issue) =>
    fieldProblems([{ instancePath: `/${issue.path.join('/')}`, keyword: issue.code, message: issue.message, params: { ...issue } }], 'trigger'),
  );
  throw invalidRule(problems.map((p) => ({ field: bracketed(p.field), message: p.message })));
}

const kf5Doc: RouteDoc = { tags: ['helpdesk rules (KF5 Triggers API)'], security: [{ adminToken: [] }, { kf5Basic: [] }] };

/**
 * KF5's Triggers API under /apiv2, in a scope of its own: it takes the admin token as KF5's
 * examples send credentials (HTTP Basic) as well as a Bearer token. Register outside the admin
 * scope, whose hook takes Bearer only. The rules' routes read their own bodies (422, above)
 * and ids (an id that is not a number is simply not found: 404), as KF5 answers.
 */
export async function kf5RuleRoutes(app: FastifyInstance, { db, scope, guard }: Kf5RuleRouteOptions): Promise<void> {
  await app.register(async (apiv2) => {
    requireKf5Credentials(apiv2, guard);
    const id = (params: unknown) => (params as { id: string }).id;
    registerEndpoints(
      apiv2,
      kf5RuleApi,
      {
        listRules: async () => ({ triggers: await listRules(db, scope) }),
        listActiveRules: async () => ({ triggers: await listRules(db, scope, { activeOnly: true }) }),
        getRule: async ({ params }) => ({ trigger: await getRule(db, scope, id(params)) }),
        createRule: async ({ body }) => ({ trigger: await createRule(db, scope, parseRule(CreateTriggerBody, body)) }),
        updateRule: async ({ params, body }) => {
          await getRule(db, scope, id(params)); // an unknown id is 404 before the body is looked at
          return { trigger: await updateRule(db, scope, id(params), parseRule(UpdateTriggerBody, body)) };
        },
        deleteRule: async ({ params }) => ({ trigger: await deleteRule(db, scope, id(params)) }),
      },
      { doc: kf5Doc, ownValidation: Object.keys(kf5RuleApi) },
    );
  });
}

/**
 * The admin routes of webhook targets and of the notifications rules queued. Register inside
 * the admin scope (the one with `requireAdminToken`).
 */
export function ruleAdminRoutes(app: FastifyInstance, { db, scope, policy }: RuleRouteOptions): void {
  registerEndpoints(
    app,
    ruleAdminApi,
    {
      listTargets: async () => ({ data: await listTargets(db, scope) }),
      createTarget: ({ body }) => createTarget(db, scope, body, policy),
      getTarget: ({ params }) => getTarget(db, scope, params.id),
      updateTarget: ({ params, body }) => updateTarget(db, scope, params.id, body, policy),
      deleteTarget: ({ params }) => deleteTarget(db, scope, params.id),
      testTarget: ({ params }) => testTarget(db, scope, params.id, policy),
      listNotifications: async ({ query }) => ({ data: await listNotifications(db, scope, query) }),
    },
    { doc: adminDoc('helpdesk rules') },
  );
}
