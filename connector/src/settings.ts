import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { guessableTokenProblem } from './accounts/token-strength.js';
import { isPhoneRegion } from './contact-centre/phones.js';
import { deliverySettingsFromEnv, type DeliverySettings } from './delivery/settings.js';

export const smsProviders = ['sandbox'] as const;
export type SmsProviderName = (typeof smsProviders)[number];

/** Everything the connector reads from its environment, read once at start. */
export interface Settings {
  port: number;
  host: string;
  /** What the admin API reports as the Base URL, and the base of every record link. */
  publicBaseUrl: string;
  /** postgres://... when set: PostgreSQL. Otherwise the embedded database at `sqlitePath`. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  dbPoolSize: number;
  /** Unset: the connector generates one at first start and keeps only its hash (see accounts/admin-token.ts). */
  adminToken: string | undefined;
  workspaceName: string;
  /** Prefix of enquiry case numbers, e.g. "HK" gives "HK-000128". */
  casePrefix: string;
  /** ISO 3166 region of phone numbers typed without a country code, e.g. "HK": "9123 4567" is +85291234567. */
  phoneRegion: string;
  rateLimit: { max: number; windowSeconds: number };
  /** Failed authentications allowed per client address, and per credential, in any minute (accounts/auth-throttle.ts). */
  authFailureLimit: number;
  /** When set, GET /metrics requires it as a Bearer token. */
  metricsToken: string | undefined;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For to believe for the client address (throttling counts by it). */
  trustProxy: boolean | string;
  sms: { provider: SmsProviderName; sandboxReportDelayMs: number };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  delivery: DeliverySettings;
  /** Where trigger rules' emails go; null: they are recorded only (listed by the admin API). */
  smtp: { url: string; from: string } | null;
}

const wholeNumber = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

/** A secret an operator chooses: long, and not a pattern (accounts/token-strength.ts). */
const chosenToken = z.string().superRefine((token, context) => {
  const problem = guessableTokenProblem(token);
  if (problem) context.addIssue({ code: 'custom', message: `${problem}: use a long random value, such as the output of "openssl rand -base64 32"` });
});

/** "true", "false", or the proxies' addresses and CIDR ranges separated by commas, as Fastify's trustProxy takes them. */
const trustProxy = z
  .string()
  .regex(/^(true|false|[0-9A-Fa-f.:/, ]+)$/, "must be true, false, or the proxies' addresses such as 10.0.0.1,192.168.0.0/16")
  .transform((value) => (value === 'true' ? true : value === 'false' ? false : value));

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://connector.example.com' })
  .transform((url) => url.replace(/\/+$/, ''));

/** The variables and their defaults. Names without the CONNECTOR_ prefix are the conventional ones. */
const SettingsEnv = z.object({
  PORT: wholeNumber(0, 65535).default(8080),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL such as postgres://user:password@host:5432/connector')
    .optional(),
  ADMIN_TOKEN: chosenToken.optional(),
  CONNECTOR_HOST: z.string().min(1).default('0.0.0.0'),
  CONNECTOR_PUBLIC_BASE_URL: httpUrl.optional(),
  CONNECTOR_SQLITE_PATH: z.string().min(1).default('./data/connector.db'),
  CONNECTOR_DB_POOL_SIZE: wholeNumber(1, 200).default(10),
  CONNECTOR_WORKSPACE_NAME: z.string().trim().min(1).max(100).default('Contact Centre'),
  CONNECTOR_CASE_PREFIX: z
    .string()
    .regex(/^[A-Z0-9]{1,8}$/, 'must be 1 to 8 capital letters or digits, such as HK')
    .default('HK'),
  CONNECTOR_DEFAULT_PHONE_REGION: z
    .string()
    .transform((region) => region.toUpperCase())
    .refine((region) => isPhoneRegion(region), 'must be a two-letter country code with phone numbers, such as HK or SG')
    .default('HK'),
  CONNECTOR_RATE_LIMIT_MAX: wholeNumber(1, 1_000_000).default(100),
  CONNECTOR_RATE_LIMIT_WINDOW_SECONDS: wholeNumber(1, 86_400).default(60),
  CONNECTOR_AUTH_FAILURE_LIMIT: wholeNumber(1, 1_000_000).default(30),
  CONNECTOR_METRICS_TOKEN: chosenToken.optional(),
  CONNECTOR_TRUST_PROXY: trustProxy.default(false),
  CONNECTOR_SMS_PROVIDER: z.enum(smsProviders, { error: `must be one of: ${smsProviders.join(', ')}` }).default('sandbox'),
  CONNECTOR_SMS_SANDBOX_REPORT_DELAY_MS: wholeNumber(0, 3_600_000).default(1000),
  CONNECTOR_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an SMTP URL such as smtp://user:password@mail.example.com:587 or smtps://...' }).optional(),
  CONNECTOR_SMTP_FROM: z.string().trim().min(3).max(300).default('Contact Centre <no-reply@contact-centre.invalid>'),
  CONNECTOR_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export type SettingsVariable = keyof typeof SettingsEnv.shape;

const SECRET_VARIABLES = new Set<SettingsVariable>(['ADMIN_TOKEN', 'DATABASE_URL', 'CONNECTOR_SMTP_URL', 'CONNECTOR_METRICS_TOKEN']);

export class SettingsError extends Error {
  constructor(problems: string[]) {
    super(`Invalid connector settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SettingsError';
  }
}

/**
 * Reads and checks the settings. An empty variable counts as unset (a blank line in an env
 * file keeps the default); a bad one throws a SettingsError naming the variable and its value.
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): Settings {
  const present = Object.fromEntries(
    Object.keys(SettingsEnv.shape)
      .map((name) => [name, env[name]?.trim()])
      .filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<Record<SettingsVariable, string>>;

  const parsed = SettingsEnv.safeParse(present);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]) as SettingsVariable;
      // Never echo a secret back into logs.
      const shown = SECRET_VARIABLES.has(name) ? '(hidden)' : `"${present[name]}"`;
      problems.push(`${name} ${issue.message} (got ${shown})`);
    }
  }
  let delivery: DeliverySettings | undefined;
  try {
    delivery = deliverySettingsFromEnv(env);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (!parsed.success || !delivery) throw new SettingsError(problems);

  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.CONNECTOR_HOST,
    publicBaseUrl: e.CONNECTOR_PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    sqlitePath: e.CONNECTOR_SQLITE_PATH === ':memory:' || isAbsolute(e.CONNECTOR_SQLITE_PATH) ? e.CONNECTOR_SQLITE_PATH : resolve(cwd, e.CONNECTOR_SQLITE_PATH),
    dbPoolSize: e.CONNECTOR_DB_POOL_SIZE,
    adminToken: e.ADMIN_TOKEN,
    workspaceName: e.CONNECTOR_WORKSPACE_NAME,
    casePrefix: e.CONNECTOR_CASE_PREFIX,
    phoneRegion: e.CONNECTOR_DEFAULT_PHONE_REGION,
    rateLimit: { max: e.CONNECTOR_RATE_LIMIT_MAX, windowSeconds: e.CONNECTOR_RATE_LIMIT_WINDOW_SECONDS },
    authFailureLimit: e.CONNECTOR_AUTH_FAILURE_LIMIT,
    metricsToken: e.CONNECTOR_METRICS_TOKEN,
    trustProxy: e.CONNECTOR_TRUST_PROXY,
    sms: { provider: e.CONNECTOR_SMS_PROVIDER, sandboxReportDelayMs: e.CONNECTOR_SMS_SANDBOX_REPORT_DELAY_MS },
    logLevel: e.CONNECTOR_LOG_LEVEL,
    delivery,
    smtp: e.CONNECTOR_SMTP_URL ? { url: e.CONNECTOR_SMTP_URL, from: e.CONNECTOR_SMTP_FROM } : null,
  };
}
