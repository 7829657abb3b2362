import { sql } from 'kysely';
import type { Db } from '../storage/db.js';

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

export type ConsoleKind = 'contacts' | 'enquiries' | 'tickets' | 'chats';

/** A record's page in the contact centre's console: PUBLIC_BASE_URL/console/<kind>/<id>. */
export const linkTo = (scope: Scope, kind: ConsoleKind, id: string) => `${scope.baseUrl}/console/${kind}/${encodeURIComponent(id)}`;

/**
 * Runs `work` in a transaction, or inside the caller's one when `db` already is a transaction
 * (Kysely has no nested transactions), so functions compose: the simulator can run several in one.
 */
export const inTransaction = <T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> =>
  db.isTransaction ? work(db) : db.transaction().execute(work);

/**
 * The next value of a per-workspace sequence (case numbers, ticket numbers). An atomic upsert:
 * concurrent transactions on PostgreSQL wait for each other on the row, and never share a value.
 */
export async function nextInSequence(trx: Db, workspaceId: string, name: string, start = 1): Promise<number> {
  const row = await trx
    .insertInto('counters')
    .values({ workspace_id: workspaceId, name, value: start })
    .onConflict((oc) => oc.columns(['workspace_id', 'name']).doUpdateSet({ value: sql<number>`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** Stored documents are JSON text on both databases. */
export const toDocument = (value: unknown) => JSON.stringify(value);
export const fromDocument = <T>(text: string) => JSON.parse(text) as T;

export const nowIso = () => new Date().toISOString();
