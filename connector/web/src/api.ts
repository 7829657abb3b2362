// Types come from the contract with type-only imports: nothing of zod reaches the bundle.
import type { ZapierAccount, ZapierAccountWithToken } from '../../../contract/admin.js';
import type { Chat } from '../../../contract/chat.js';
import type { ApiError } from '../../../contract/common.js';
import type { Contact } from '../../../contract/contact.js';
import type { AdminSubscription, DeliveryDetail, DeliveryPage, DeliverySummary } from '../../../contract/deliveries.js';
import type { Enquiry } from '../../../contract/enquiry.js';
import type { SupportEndpointCheck, SupportExportUrl, SupportExportUrlWithSecret } from '../../../contract/support-export.js';
import type { Ticket } from '../../../contract/ticket.js';
import type { Trigger } from '../../../contract/trigger-rules.js';

export type { AdminSubscription, DeliveryDetail, DeliveryPage, DeliverySummary, SupportEndpointCheck, SupportExportUrl, SupportExportUrlWithSecret, Trigger, ZapierAccount, ZapierAccountWithToken };
export type DeliveryStatus = DeliverySummary['status'];
/** A record behind a record link (/console/<kind>/<id>), as the public API answers it. */
export type ConsoleRecord = Contact | Enquiry | Ticket | Chat;

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

const enc = encodeURIComponent;

export interface DeliveryQuery {
  appId?: string;
  status?: DeliveryStatus;
  limit?: number;
  before?: string;
}

/** The admin API (README "Admin API"), one function per endpoint. */
export function adminApi(token: string) {
  const get = <T>(path: string) => call<T>(token, 'GET', path);
  const send = <T>(method: string, path: string, body?: unknown) => call<T>(token, method, path, body);
  return {
    listAccounts: async () => (await get<{ data: ZapierAccount[] }>('/admin/api/zapier-accounts')).data,
    addAccount: (name: string) => send<ZapierAccountWithToken>('POST', '/admin/api/zapier-accounts', { name }),
    renameAccount: (appId: string, name: string) => send<ZapierAccount>('PATCH', `/admin/api/zapier-accounts/${enc(appId)}`, { name }),
    regenerateToken: (appId: string) => send<ZapierAccountWithToken>('POST', `/admin/api/zapier-accounts/${enc(appId)}/regenerate-token`),
    deleteAccount: (appId: string) => send<ZapierAccount>('DELETE', `/admin/api/zapier-accounts/${enc(appId)}`),

    listSubscriptions: async (appId: string) => (await get<{ data: AdminSubscription[] }>(`/admin/api/zapier-accounts/${enc(appId)}/subscriptions`)).data,
    enableSubscription: (id: string) => send<AdminSubscription>('POST', `/admin/api/subscriptions/${enc(id)}/enable`),

    listDeliveries: (query: DeliveryQuery) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
      return get<DeliveryPage>(`/admin/api/deliveries?${params}`);
    },
    getDelivery: (id: string) => get<DeliveryDetail>(`/admin/api/deliveries/${enc(id)}`),
    retryDelivery: (id: string, reactivate: boolean) => send<DeliverySummary>('POST', `/admin/api/deliveries/${enc(id)}/retry${reactivate ? '?reactivate=true' : ''}`),

    listExportUrls: async () => (await get<{ data: SupportExportUrl[] }>('/admin/api/support-export/urls')).data,
    createExportUrl: (name: string) => send<SupportExportUrlWithSecret>('POST', '/admin/api/support-export/urls', { name }),
    rotateExportUrl: (id: string) => send<SupportExportUrlWithSecret>('POST', `/admin/api/support-export/urls/${enc(id)}/rotate`),
    deleteExportUrl: (id: string) => send<SupportExportUrl>('DELETE', `/admin/api/support-export/urls/${enc(id)}`),
    checkSupportEndpoint: (url: string) => send<SupportEndpointCheck>('POST', '/admin/api/support-export/check', { url }),

    getRecord: (kind: string, id: string) => get<ConsoleRecord>(`/admin/api/records/${enc(kind)}/${enc(id)}`),

    /** The KF5 Triggers API: every trigger in run order (sort descending, then id). */
    listTriggers: async () => (await get<{ triggers: Trigger[] }>('/apiv2/triggers.json')).triggers,
    setTriggerStatus: async (id: number, status: boolean) => (await send<{ trigger: Trigger }>('PUT', `/apiv2/triggers/${id}.json`, { trigger: { status } })).trigger,
  };
}

export type AdminApi = ReturnType<typeof adminApi>;

/** A readable sentence for anything thrown by a call. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  return error instanceof Error && error.message ? error.message : 'Something went wrong. Try again.';
}
