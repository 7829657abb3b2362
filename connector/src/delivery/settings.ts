import { z } from 'zod';

/** How webhooks are delivered. Every duration is in milliseconds inside the program. */
export interface DeliverySettings {
  /** Allow targets on loopback / private / link-local addresses (local development only). */
  allowPrivateTargets: boolean;
  /** One attempt gives up after this long without a complete response. */
  timeoutMs: number;
  /** Delay before each attempt: [0] is the first try, then one entry per retry. */
  retryScheduleMs: number[];
  /** A subscription failing without a single success for this long is disabled. */
  disableAfterFailingMs: number;
  /** Deliveries in flight at once, per connector process. */
  concurrency: number;
  /** Deliveries per second to one target URL at most, across processes (pacing.ts); Zapier takes 30. */
  ratePerTarget: number;
  /** How often to look for due retries when nothing woke the worker. */
  pollMs: number;
  /** Events (with their finished deliveries) older than this are pruned. */
  eventRetentionDays: number;
  /** Where a notice of a disabled or ended (410) subscription is emailed; null: shown on the admin page only. */
  noticeEmail?: string | null;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** Svix's schedule: 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.6 hours in all). */
export const defaultRetryScheduleSeconds = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveNumber = z.coerce.number({ error: 'must be a number' }).positive('must be greater than 0');
const positiveInteger = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be greater than 0');

const retrySchedule = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(
    z
      .array(
        z
          .string()
          .min(1, 'must not contain empty entries')
          .pipe(z.coerce.number<string>({ error: 'must list numbers of seconds' }).min(0, 'must not contain negative delays')),
      )
      .min(1, 'must list at least one delay (the first attempt, usually 0)'),
  );

const DeliveryEnv = z.object({
  CONNECTOR_ALLOW_PRIVATE_TARGETS: flag.default(false),
  CONNECTOR_DELIVERY_TIMEOUT_SECONDS: positiveNumber.default(15),
  CONNECTOR_RETRY_SCHEDULE: retrySchedule.default(defaultRetryScheduleSeconds),
  CONNECTOR_DISABLE_AFTER_FAILING_HOURS: positiveNumber.default(120),
  CONNECTOR_DELIVERY_CONCURRENCY: positiveInteger.max(1000, 'must be at most 1000').default(32),
  CONNECTOR_DELIVERY_RATE_PER_TARGET: positiveNumber.max(1_000_000, 'must be at most 1000000').default(30),
  CONNECTOR_DELIVERY_POLL_MS: positiveInteger.default(200),
  CONNECTOR_EVENT_RETENTION_DAYS: positiveNumber.default(30),
  CONNECTOR_NOTICE_EMAIL: z.email('must be an email address such as ops@example.com').optional(),
});

/**
 * Reads the CONNECTOR_* delivery variables. An empty variable counts as unset, so a blank line
 * in an env file keeps the default. A bad value throws an error that names the variable.
 */
export function deliverySettingsFromEnv(env: NodeJS.ProcessEnv): DeliverySettings {
  const present = Object.fromEntries(
    Object.keys(DeliveryEnv.shape)
      .map((name) => [name, env[name]?.trim()])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = DeliveryEnv.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message} (got "${present[String(issue.path[0])]}")`);
    throw new Error(`Invalid delivery settings: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.CONNECTOR_NOTICE_EMAIL && !env.CONNECTOR_SMTP_URL?.trim()) {
    throw new Error(
      'Invalid delivery settings: CONNECTOR_NOTICE_EMAIL needs CONNECTOR_SMTP_URL to send through (without either, notices are shown on the admin page only)',
    );
  }
  return {
    allowPrivateTargets: e.CONNECTOR_ALLOW_PRIVATE_TARGETS,
    timeoutMs: e.CONNECTOR_DELIVERY_TIMEOUT_SECONDS * SECOND,
    retryScheduleMs: e.CONNECTOR_RETRY_SCHEDULE.map((seconds) => seconds * SECOND),
    disableAfterFailingMs: e.CONNECTOR_DISABLE_AFTER_FAILING_HOURS * HOUR,
    concurrency: e.CONNECTOR_DELIVERY_CONCURRENCY,
    ratePerTarget: e.CONNECTOR_DELIVERY_RATE_PER_TARGET,
    pollMs: e.CONNECTOR_DELIVERY_POLL_MS,
    eventRetentionDays: e.CONNECTOR_EVENT_RETENTION_DAYS,
    noticeEmail: e.CONNECTOR_NOTICE_EMAIL ?? null,
  };
}
