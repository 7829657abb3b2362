import { z } from 'zod';
import type { Endpoint } from './api.js';
import { adminRoutes } from './routes.js';
import { Id, IsoDateTime } from './common.js';

/**
 * The conversation export in Ferndesk's "custom support endpoint" format
 * (`GET <url>?startDate=2025-01-01` → `{"conversations": [...]}`), and the admin side of it:
 * the secret export URLs (Ferndesk sends no credentials, so the URL itself is the secret) and
 * the "test" check Ferndesk recommends before saving an endpoint.
 */

export const supportExportRoles = ['user', 'agent'] as const;
/** Who wrote a message: the customer (`user`) or someone of the contact centre (`agent`). */
export const SupportExportRole = z.enum(supportExportRoles, { error: 'must be user or agent' });

export const SupportExportMessage = z.object({
  id: z.string().min(1).describe('Stable across exports, prefixed by the kind of conversation, e.g. "chat_cht_01jd..._m0"'),
  role: SupportExportRole,
  content: z.string(),
  createdAt: IsoDateTime,
});
export type SupportExportMessage = z.infer<typeof SupportExportMessage>;

export const SupportExportConversation = z.object({
  id: z.string().min(1).describe('"chat_<chat id>", "ticket_<ticket id>" or "enquiry_<enquiry id>"; stable across exports'),
  url: z.url().describe('The record in the contact centre console'),
  lastMessageAt: IsoDateTime.describe('createdAt of the newest message below'),
  messages: z.array(SupportExportMessage).min(1).describe('Oldest first; private notes are never exported'),
});
export type SupportExportConversation = z.infer<typeof SupportExportConversation>;

/** What this connector's export answers. */
export const SupportExport = z.object({ conversations: z.array(SupportExportConversation) });
export type SupportExport = z.infer<typeof SupportExport>;

/**
 * The query of the export. Documented here; the connector checks it itself after the secret,
 * so that a wrong secret is a 404 whatever the query says.
 */
export const SupportExportQuery = z.object({
  startDate: z
    .string()
    .optional()
    .describe(
      'Conversations whose last message is on or after this moment: a date (2025-01-01, midnight UTC) or an ISO 8601 date-time (2025-01-01T08:00:00+08:00; without a zone, UTC). ' +
        'Absent: every conversation. Repeated (a pasted URL with one, plus the one Ferndesk appends): each must be valid, and the latest wins',
    ),
});

export const SupportExportPath = z.object({
  secret: z.string().describe('The secret of an export URL (created in the admin API); a wrong one answers 404'),
});

/** The sentence a bad or missing startDate gets (400). */
export const START_DATE_FORMAT_MESSAGE = 'startDate must be a date like 2025-01-01 (YYYY-MM-DD) or an ISO 8601 date-time like 2025-01-01T08:00:00Z';

// ---- what Ferndesk accepts: the "test" check validates third-party endpoints with this ----

const isoExample = 'an ISO 8601 date-time such as 2023-10-27T14:30:00Z';
const AcceptedDateTime = z.iso.datetime({ offset: true, local: true, error: `must be ${isoExample}` });
const AcceptedText = z.string({ error: 'must be a string' });

/**
 * Ferndesk's format as its documentation states it, a little wider than what this connector
 * sends: `url` may be absent (only id, lastMessageAt and messages are required), and the role
 * `support_agent` of Ferndesk's own example is accepted (the check warns about it).
 */
export const AcceptedSupportExport = z.object(
  {
    conversations: z.array(
      z.object(
        {
          id: AcceptedText.min(1, 'must not be empty'),
          url: z.url({ error: 'must be a URL such as https://support.example.com/conversations/12345' }).optional(),
          lastMessageAt: AcceptedDateTime,
          messages: z.array(
            z.object(
              {
                id: AcceptedText.min(1, 'must not be empty'),
                role: z.enum(['user', 'agent', 'support_agent'], { error: 'must be user or agent' }),
                content: AcceptedText,
                createdAt: AcceptedDateTime,
              },
              { error: 'must be an object with id, role, content and createdAt' },
            ),
            { error: 'must be a list of messages' },
          ),
        },
        { error: 'must be an object with id, url, lastMessageAt and messages' },
      ),
      { error: 'must be a list of conversations' },
    ),
  },
  { error: 'must be a JSON object with a "conversations" list' },
);
export type AcceptedSupportExport = z.infer<typeof AcceptedSupportExport>;

// ---- admin: export URLs ----

const UrlName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

/** At most this many export URLs per workspace. */
export const MAX_SUPPORT_EXPORT_URLS = 20;

export const SupportExportUrl = z.object({
  id: Id,
  name: UrlName.describe('What the URL is for, e.g. "Ferndesk"'),
  maskedUrl: z.string().describe('The URL with most of its secret hidden: enough to tell URLs apart, useless to call'),
  createdAt: IsoDateTime,
  rotatedAt: IsoDateTime.nullable().describe('When the secret was last replaced'),
  lastUsedAt: IsoDateTime.nullable().describe('When the export was last fetched with this URL'),
});
export type SupportExportUrl = z.infer<typeof SupportExportUrl>;

/** Creating a URL or rotating its secret is the only time the full URL is shown. */
export const SupportExportUrlWithSecret = SupportExportUrl.extend({
  url: z.url().describe('Paste this into Ferndesk\'s "Source URL" field; Ferndesk adds ?startDate=. Shown only now'),
});
export type SupportExportUrlWithSecret = z.infer<typeof SupportExportUrlWithSecret>;

export const CreateSupportExportUrlBody = z.object({ name: UrlName }).strict();

// ---- admin: the "test" check ----

export const CheckSupportEndpointBody = z
  .object({
    url: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(4000)
      .describe('Any support-endpoint URL; the check fetches it as given, and as Ferndesk builds it (with ?startDate= or &startDate= 30 days back appended)'),
  })
  .strict();

export const supportEndpointVerdicts = [
  'ok',
  'invalid_url',
  'refused',
  'unreachable',
  'timeout',
  'http_error',
  'authentication_required',
  'incomplete_response',
  'too_large',
  'not_json',
  'invalid_format',
] as const;

/** One fetch of the check: what the endpoint answered to one URL. */
export const SupportEndpointFetch = z.object({
  ok: z.boolean().describe('True when Ferndesk can read this answer (there may still be warnings)'),
  verdict: z.enum(supportEndpointVerdicts),
  message: z.string().describe('What was found, in a sentence a person can act on'),
  problems: z.array(z.object({ path: z.string().nullable(), message: z.string() })).describe('Each format violation, by its JSON path'),
  warnings: z.array(z.string()),
  url: z.string().describe('The URL fetched'),
  httpStatus: z.number().int().nullable(),
  durationMs: z.number().int().nonnegative(),
  summary: z
    .object({
      conversations: z.number().int().nonnegative(),
      messages: z.number().int().nonnegative(),
      newestLastMessageAt: z.string().nullable(),
    })
    .nullable(),
});
export type SupportEndpointFetch = z.infer<typeof SupportEndpointFetch>;

/**
 * The check fetches the URL twice: exactly as given (Ferndesk may fetch it so, and a person
 * tries it so), and as Ferndesk builds it, with `?startDate=` or `&startDate=` appended. The
 * top-level fields are the first failing fetch's (as given first), or the Ferndesk-built one's
 * when both work; `ok` only when both work; `message` speaks of both when they differ.
 */
export const SupportEndpointCheck = SupportEndpointFetch.extend({
  ok: z.boolean().describe('True when Ferndesk can read the endpoint both as given and as it builds the URL (there may still be warnings)'),
  message: z.string().describe('What was found, in a sentence a person can act on; it names the fetch that failed when only one did'),
  warnings: z.array(z.string()).describe('The warnings of both fetches, each once'),
  url: z.string().describe('The URL of the fetch the verdict is from'),
  fetches: z
    .object({
      asGiven: SupportEndpointFetch.describe('The URL exactly as given'),
      asFerndesk: SupportEndpointFetch.describe('The URL as Ferndesk builds it: ?startDate= (or &startDate= when it has a query) 30 days back appended'),
    })
    .describe('Both fetches, each with its own verdict and sentence'),
});
export type SupportEndpointCheck = z.infer<typeof SupportEndpointCheck>;

const byId = z.object({ id: Id });
const listOfUrls = z.object({ data: z.array(SupportExportUrl) });

/** The admin routes of the export (ADMIN_TOKEN), served under /admin/api. */
export const supportExportAdminApi = {
  createSupportExportUrl: { ...adminRoutes.createSupportExportUrl, body: CreateSupportExportUrlBody, response: SupportExportUrlWithSecret },
  listSupportExportUrls: { ...adminRoutes.listSupportExportUrls, response: listOfUrls },
  rotateSupportExportUrl: { ...adminRoutes.rotateSupportExportUrl, params: byId, response: SupportExportUrlWithSecret },
  deleteSupportExportUrl: { ...adminRoutes.deleteSupportExportUrl, params: byId, response: SupportExportUrl },
  checkSupportEndpoint: { ...adminRoutes.checkSupportEndpoint, body: CheckSupportEndpointBody, response: SupportEndpointCheck },
} as const satisfies Record<string, Endpoint>;
