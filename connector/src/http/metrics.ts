import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { ApiFailure } from '../errors.js';

/**
 * The one Prometheus registry of the process. The delivery worker registers its gauges here
 * too (use `metricsRegistry.getSingleMetric(name) ?? new Gauge({..., registers: [metricsRegistry]})`
 * so that building a second app in the same process, as tests do, does not register twice).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const httpRequests = new Counter({
  name: 'connector_http_requests_total',
  help: 'HTTP requests answered, by route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

const httpDuration = new Histogram({
  name: 'connector_http_request_duration_seconds',
  help: 'Time to answer HTTP requests, by route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/**
 * Counts and times every answered request; the route is the pattern ("/v1/contacts/:id"), never
 * the raw URL. GET /metrics serves them, to a request `isAuthorized` lets through when given
 * (CONNECTOR_METRICS_TOKEN: app.ts checks the Bearer token).
 */
export function instrumentRequests(app: FastifyInstance, { isAuthorized }: { isAuthorized?: (request: FastifyRequest) => boolean } = {}): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      // Unmatched URLs share one label, so random paths cannot blow up the series count.
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    httpRequests.inc(labels);
    httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (isAuthorized && !isAuthorized(request)) {
      throw new ApiFailure(
        401,
        'unauthenticated',
        'Send the metrics token (CONNECTOR_METRICS_TOKEN) as a Bearer token (Authorization: Bearer <token>).',
        undefined,
        {
          'www-authenticate': 'Bearer realm="metrics"',
        },
      );
    }
    reply.type(metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
}
