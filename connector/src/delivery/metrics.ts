import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface DeliveryMetrics {
  attempts: Counter<'outcome'>;
  attemptSeconds: Histogram<'status_class'>;
  /** From the event being recorded to its successful delivery. */
  deliveryLagSeconds: Histogram;
  pending: Gauge;
  /** Subscriptions that stopped on their own, each with a notice for the admin. */
  notices: Counter<'reason'>;
  /** The worker sets where the pending count comes from; the gauge asks at scrape time. */
  countPending: (() => Promise<number>) | null;
}

const byRegistry = new WeakMap<Registry, DeliveryMetrics>();

/** The delivery metrics in `registry`, created on first use (registering twice would throw). */
export function deliveryMetrics(registry: Registry): DeliveryMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const metrics: DeliveryMetrics = {
    attempts: new Counter({
      name: 'connector_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered, retry (will be tried again), failed (gave up), gone (410 ended the subscription)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    attemptSeconds: new Histogram({
      name: 'connector_webhook_attempt_duration_seconds',
      help: 'Duration of one webhook attempt, by response class (2xx, 3xx, 4xx, 5xx, error)',
      labelNames: ['status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    deliveryLagSeconds: new Histogram({
      name: 'connector_webhook_delivery_lag_seconds',
      help: 'Time from an event being recorded to its successful delivery, retries included',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 60, 600, 3600, 36000],
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'connector_webhook_pending_deliveries',
      help: 'Deliveries waiting for their first attempt or a retry',
      registers: [registry],
      async collect() {
        if (metrics.countPending) this.set(await metrics.countPending());
      },
    }),
    notices: new Counter({
      name: 'connector_subscription_notices_total',
      help: 'Subscriptions that stopped on their own, each leaving a notice on the admin page: failing (disabled after failing too long), gone (ended by a 410)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    countPending: null,
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

export function statusClass(statusCode: number | null): string {
  return statusCode === null ? 'error' : `${Math.floor(statusCode / 100)}xx`;
}
