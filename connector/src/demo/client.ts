import { routes, type BodyOf, type EndpointName, type QueryOf, type ResponseOf } from '../../../contract/index.js';

export interface ClientCredentials {
  baseUrl: string;
  appId: string;
  appToken: string;
}

export interface CallParts<N extends EndpointName> {
  params?: Record<string, string>;
  query?: QueryOf<N>;
  body?: BodyOf<N>;
}

/** A call the connector refused: its status and error body, readable in a log line. */
export class ConnectorCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorCallError';
  }
}

const MAX_THROTTLED_RETRIES = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls the connector's public API by endpoint name, as the Zapier app does: the contract's
 * route table gives method and path; App ID and App Token go in the headers. A 429 waits out
 * its Retry-After and tries again (a few times).
 */
export class ConnectorClient {
  constructor(private readonly credentials: ClientCredentials) {}

  async call<N extends EndpointName>(name: N, parts: CallParts<N> = {}): Promise<ResponseOf<N>> {
    const route = routes[name];
    const path = route.path.replace(/:([A-Za-z]+)/g, (_, key: string) => encodeURIComponent(parts.params?.[key] ?? ''));
    const query = new URLSearchParams(
      Object.entries(parts.query ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)]),
    );
    const url = `${this.credentials.baseUrl}${path}${query.size > 0 ? `?${query}` : ''}`;

    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, {
        method: route.method,
        headers: {
          'x-app-id': this.credentials.appId,
          authorization: `Bearer ${this.credentials.appToken}`,
          ...(parts.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: parts.body === undefined ? undefined : JSON.stringify(parts.body),
      });
      const payload = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
      if (response.status === 429 && attempt < MAX_THROTTLED_RETRIES) {
        await sleep(Number(response.headers.get('retry-after') ?? '1') * 1000);
        continue;
      }
      if (!response.ok) {
        throw new ConnectorCallError(
          response.status,
          payload?.error?.code ?? 'unknown',
          payload?.error?.message ?? `HTTP ${response.status} from ${route.method} ${path}`,
        );
      }
      return payload as ResponseOf<N>;
    }
  }
}
