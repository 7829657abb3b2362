import type { ConsoleKind } from '../../../contract/index.js';

/**
 * What every contact-centre function needs besides the database: whose data (one workspace,
 * never another's), where record links point, and how case numbers look.
 */
export interface Scope {
  workspaceId: string;
  /** PUBLIC_BASE_URL, without a trailing slash. */
  baseUrl: string;
  /** e.g. "HK" for case numbers such as "HK-000128". */
  casePrefix: string;
  /** Trigger rules' emails go out over SMTP (CONNECTOR_SMTP_URL is set); otherwise they are only recorded. */
  sendsEmail?: boolean;
  /** CONNECTOR_DEFAULT_PHONE_REGION: how phone numbers typed without a country code are read (unset: HK). */
  phoneRegion?: string;
}

/** The kinds of record with a console link: contract/routes.ts recordEndpoints. */
export type { ConsoleKind };

/** A record's page in the contact centre's console: PUBLIC_BASE_URL/console/<kind>/<id>. */
export const linkTo = (scope: Scope, kind: ConsoleKind, id: string) => `${scope.baseUrl}/console/${kind}/${encodeURIComponent(id)}`;
