import { Webhook } from 'standardwebhooks';

export interface DeliveryOptions {
  id?: string;
  timestamp?: Date;
  /** Send this body instead of the one that was signed (a forgery). */
  tamperedBody?: string;
  /** Leave out one header, by its Standard Webhooks name. */
  omit?: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature';
}

/** A delivery signed as the connector signs it, in the form Zapier hands it to `perform`. */
export function signedDelivery(secret: string, payload: unknown, options: DeliveryOptions = {}) {
  const { id = 'evt_test_1', timestamp = new Date() } = options;
  const content = JSON.stringify(payload);
  // Zapier hands incoming headers over with an "Http-" prefix, in this spelling.
  const headers: Record<string, string> = {
    'Http-Webhook-Id': id,
    'Http-Webhook-Timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'Http-Webhook-Signature': new Webhook(secret).sign(id, timestamp, content),
  };
  if (options.omit) delete headers[`Http-${options.omit.replace(/\b[a-z]/g, (c) => c.toUpperCase())}`];
  return { headers, content: options.tamperedBody ?? content };
}
