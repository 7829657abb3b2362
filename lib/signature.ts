/** The standardwebhooks library's fixed tolerance: a timestamp may be this far behind or ahead of now. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** A verified delivery carries its `webhook-id`: the event's id, the same on every retry of it. */
export type Verification = { ok: true; payload: unknown; webhookId: string } | { ok: false; reason: string };

interface RawRequest {
  headers?: Record<string, string>;
  content?: string;
}

/**
 * Zapier hands hook headers over as "Http-Webhook-Id"; a direct call has "webhook-id".
 * Both become the lower-case names the Standard Webhooks verifier expects.
 */
const normaliseHeaders = (headers: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase().replace(/^http-/, ''), String(value)]));

/**
 * Verifies a delivery with the Standard Webhooks scheme: the HMAC of `id.timestamp.body`
 * under the subscription's secret, and a timestamp within 5 minutes of now. The library is
 * loaded on first use: only hook deliveries need it, and every other run starts faster.
 */
export async function verifyDelivery(secret: string, raw: RawRequest | undefined): Promise<Verification> {
  const headers = normaliseHeaders(raw?.headers);
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    if (!headers[name]) return { ok: false, reason: `the ${name} header is missing` };
  }
  if (typeof raw?.content !== 'string') return { ok: false, reason: 'the body is missing' };
  const { Webhook } = await import('standardwebhooks');
  try {
    return { ok: true, payload: new Webhook(secret).verify(raw.content, headers), webhookId: headers['webhook-id']! };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: message.replace(/\.$/, '').toLowerCase() };
  }
}
