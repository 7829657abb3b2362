// Types come from the contract with type-only imports: nothing of zod reaches the bundle. The
// one value imported, the route table, is plain data (contract/routes.ts).
import type { z } from 'zod';
import type { AdminApi as AdminApiTable, HelpdeskDirectory } from '../../../contract/admin-api.js';
import { adminRoutes, fillPath, recordEndpoints, type AdminEndpointName, type ConsoleKind } from '../../../contract/routes.js';
import type { ZapierAccount, ZapierAccountWithToken } from '../../../contract/admin.js';
import type { Chat } from '../../../contract/chat.js';
import type { ApiError } from '../../../contract/common.js';
import type { Contact } from '../../../contract/contact.js';
import type {
  AdminSubscription,
  DeliveryDetail,
  DeliveryPage,
  DeliverySummary,
  RecoveryResult,
  RecoveryStatus,
  SubscriptionNotice,
} from '../../../contract/deliveries.js';
import type { Enquiry } from '../../../contract/enquiry.js';
import type { SupportEndpointCheck, SupportExportUrl, SupportExportUrlWithSecret } from '../../../contract/support-export.js';
import type { Ticket } from '../../../contract/ticket.js';
import type { Trigger, WebhookTarget, WebhookTargetTestResult } from '../../../contract/trigger-rules.js';

export type {
  AdminSubscription,
  DeliveryDetail,
  DeliveryPage,
  DeliverySummary,
  HelpdeskDirectory,
  RecoveryResult,
  RecoveryStatus,
  SubscriptionNotice,
  SupportEndpointCheck,
  SupportExportUrl,
  SupportExportUrlWithSecret,
  Trigger,
  ZapierAccount,
  ZapierAccountWithToken,
};
export type { WebhookTarget, WebhookTargetTestResult };
export type DeliveryStatus = DeliverySummary['status'];
/** A record behind a record link (/console/<kind>/<id>), as the public API answers it. */
export type ConsoleRecord = Contact | Enquiry | Ticket | Chat;
export type { ConsoleKind };

export interface FieldProblem {
  field: string;
  message: string;
}

/** A failed call, as the connector explained it: its error.message, and one entry per field in details. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  /** The message about one field ("name must not be empty"), if the connector named it. */
  about(field: string): string | undefined {
    const found = this.details.find((d) => d.field === field || d.field.endsWith(`.${field}`));
    return found ? `${field.charAt(0).toUpperCase()}${field.slice(1)} ${found.message}.`.replace(/\.\.$/, '.') : undefined;
  }
}

export const NETWORK_PROBLEM = 'The connector did not answer. Check that it is running and reachable, then try again.';

/** Calls the connector with the admin token; a 401 anywhere means the token no longer works. */
async function call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiProblem(0, 'network', NETWORK_PROBLEM);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  const error = (parsed as Partial<ApiError> | undefined)?.error;
  const problem = new ApiProblem(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The connector answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    error?.details ?? [],
  );
  if (response.status === 401) onUnauthorized?.(problem);
  throw problem;
}

let onUnauthorized: ((problem: ApiProblem) => void) | undefined;
/** The app signs out when a call is refused for the token (e.g. the connector restarted with another ADMIN_TOKEN). */
export function whenUnauthorized(handler: (problem: ApiProblem) => void): void {
  onUnauthorized = handler;
}

/** Checks a token without signing anyone out: resolves when the connector accepts it. */
export async function checkToken(token: string): Promise<void> {
  const saved = onUnauthorized;
  onUnauthorized = undefined;
  try {
    await call(token, 'GET', '/admin/api/zapier-accounts');
  } finally {
    onUnauthorized = saved;
  }
}

/** What an admin endpoint takes: its path parameters, query and body, as the contract types them. */
type PartOf<N extends AdminEndpointName, K extends 'params' | 'query' | 'body'> = AdminApiTable[N] extends { [P in K]: z.ZodType }
  ? z.input<AdminApiTable[N][K]>
  : undefined;
export type AdminInput<N extends AdminEndpointName> = { params?: PartOf<N, 'params'>; query?: PartOf<N, 'query'>; body?: PartOf<N, 'body'> };
export type AdminOutput<N extends AdminEndpointName> = z.output<AdminApiTable[N]['response']>;
/** A trigger as POST /apiv2/triggers.json takes it (inside `{"trigger": ...}`). */
export type TriggerInput = NonNullable<PartOf<'createRule', 'body'>>['trigger'];
/** A webhook target as created: with its signing secret, shown this once. */
export type CreatedWebhookTarget = AdminOutput<'createTarget'>;

/** The query string of defined, non-empty values ('' when there are none). */
function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls an endpoint of the admin API (or KF5's rules API) by its name in the contract's table
 * (contract/routes.ts adminRoutes): method and path come from there, so the page cannot call a
 * route the connector does not serve, and the types of what goes in and out come from its schemas.
 */
export function callAdmin<N extends AdminEndpointName>(token: string, name: N, input: AdminInput<N> = {}): Promise<AdminOutput<N>> {
  const route = adminRoutes[name];
  const path = fillPath(route.path, (input.params ?? {}) as Record<string, string>) + queryString(input.query ?? undefined);
  return call<AdminOutput<N>>(token, route.method, path, input.body);
}

export interface DeliveryQuery {
  appId?: string;
  status?: DeliveryStatus;
  limit?: number;
  before?: string;
}

/** What the screens call: the admin API's endpoints under the names the screens think in. */
export function adminApi(token: string) {
  const admin = <N extends AdminEndpointName>(name: N, input?: AdminInput<N>) => callAdmin(token, name, input);
  return {
    listAccounts: async () => (await admin('listZapierAccounts')).data,
    addAccount: (name: string) => admin('createZapierAccount', { body: { name } }),
    renameAccount: (appId: string, name: string) => admin('renameZapierAccount', { params: { appId }, body: { name } }),
    regenerateToken: (appId: string) => admin('regenerateZapierAccountToken', { params: { appId } }),
    deleteAccount: (appId: string) => admin('deleteZapierAccount', { params: { appId } }),

    listSubscriptions: async (appId: string) => (await admin('listAccountSubscriptions', { params: { appId } })).data,
    enableSubscription: (id: string) => admin('enableSubscription', { params: { id } }),

    listDeliveries: (query: DeliveryQuery) => admin('listDeliveries', { query }),
    getDelivery: (id: string) => admin('getDelivery', { params: { id } }),
    retryDelivery: (id: string, reactivate: boolean) => admin('retryDelivery', { params: { id }, query: reactivate ? { reactivate: 'true' } : {} }),
    /** What a recovery since `since` (ISO) would retry, and how those deliveries stand: the preview, then the progress. */
    recoveryStatus: (appId: string, since: string, subscriptionId?: string) => admin('getRecovery', { params: { appId }, query: { since, subscriptionId } }),
    recoverDeliveries: (appId: string, since: string, subscriptionId?: string) =>
      admin('recoverDeliveries', { params: { appId }, body: subscriptionId === undefined ? { since } : { since, subscriptionId } }),
    /** Subscriptions that stopped on their own and nobody has dismissed yet, newest first (the page's banner). */
    listNotices: async () => (await admin('listNotices', { query: { include: 'open' } })).data,
    dismissNotice: (id: string) => admin('dismissNotice', { params: { id } }),

    listExportUrls: async () => (await admin('listSupportExportUrls')).data,
    createExportUrl: (name: string) => admin('createSupportExportUrl', { body: { name } }),
    rotateExportUrl: (id: string) => admin('rotateSupportExportUrl', { params: { id } }),
    deleteExportUrl: (id: string) => admin('deleteSupportExportUrl', { params: { id } }),
    checkSupportEndpoint: (url: string) => admin('checkSupportEndpoint', { body: { url } }),

    /** The kind comes from the page's address: one without record links is refused as the connector would. */
    getRecord: async (kind: string, id: string): Promise<ConsoleRecord> => {
      if (!Object.hasOwn(recordEndpoints, kind)) {
        throw new ApiProblem(404, 'not_found', `There are no records of kind "${kind}". The kinds with links are: ${Object.keys(recordEndpoints).join(', ')}.`);
      }
      return admin(recordEndpoints[kind as ConsoleKind], { params: { id } });
    },

    /** KF5's rules API: every rule in run order (sort descending, then id). */
    listRules: async () => (await admin('listRules')).triggers,
    setRuleStatus: async (id: number, status: boolean) => (await admin('updateRule', { params: { id: String(id) }, body: { trigger: { status } } })).trigger,
    getRule: async (id: number) => (await admin('getRule', { params: { id: String(id) } })).trigger,
    /** The trigger as /apiv2 takes it; a 422 names each refused row in its details (`conditions.all[1].operator`). */
    createRule: async (trigger: TriggerInput) => (await admin('createRule', { body: { trigger } })).trigger,
    /** Replaces what is given (conditions and actions as a whole). */
    updateRule: async (id: number, trigger: TriggerInput) => (await admin('updateRule', { params: { id: String(id) }, body: { trigger } })).trigger,
    deleteRule: async (id: number) => (await admin('deleteRule', { params: { id: String(id) } })).trigger,

    /** The groups, agents, newest requesters and organisations rules name by id (the rule editor's value pickers). */
    getHelpdeskDirectory: () => admin('getHelpdeskDirectory'),

    /** Webhook targets of the rules' `target` action; the signing secret comes only with createTarget's answer. */
    listTargets: async () => (await admin('listTargets')).data,
    createTarget: (title: string, url: string) => admin('createTarget', { body: { title, url } }),
    updateTarget: (id: number, change: { title?: string; url?: string }) => admin('updateTarget', { params: { id: String(id) }, body: change }),
    deleteTarget: (id: number) => admin('deleteTarget', { params: { id: String(id) } }),
    /** Sends one signed test request now; the answer says in words how the target answered. */
    testTarget: (id: number) => admin('testTarget', { params: { id: String(id) } }),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;

/** A readable sentence for anything thrown by a call. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  return error instanceof Error && error.message ? error.message : 'Something went wrong. Try again.';
}
