import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AdminSubscription, CreatedSubscription, EventType, SubscribeBody, Subscription } from '../../../contract/index.js';
import { ApiFailure } from '../errors.js';
import type { AccountContext } from '../http/request-context.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { SubscriptionTable } from '../storage/schema.js';
import { endSubscription } from './store.js';

type SubscriptionRow = Selectable<SubscriptionTable>;

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64, one per subscription. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    event: row.event as EventType,
    targetUrl: row.target_url,
    filters: JSON.parse(row.filters) as Record<string, string>,
    status: row.status,
    createdAt: row.created_at,
  };
}

export function toAdminSubscription(row: SubscriptionRow): AdminSubscription {
  return {
    ...toSubscription(row),
    appId: row.app_id,
    endedReason: row.ended_reason as AdminSubscription['endedReason'],
    failingSince: row.failing_since,
  };
}

export interface Owner {
  appId: string;
  workspaceId: string;
  /**
   * The App Token hash the caller was authenticated with (a /v1 request's account). Given, the
   * subscription is made only while that token is still the account's: one made with a token
   * regenerated meanwhile would outlive it (regeneration ends only the subscriptions it sees).
   */
  tokenHash?: string;
}

/** A new active subscription. Each call makes its own: two Zaps on one trigger get two. */
export async function createSubscription(db: Db, owner: Owner, body: SubscribeBody): Promise<CreatedSubscription> {
  const row: SubscriptionRow = {
    id: newId('sub'),
    workspace_id: owner.workspaceId,
    app_id: owner.appId,
    event: body.event,
    target_url: body.targetUrl,
    filters: JSON.stringify(body.filters ?? {}),
    secret: newSigningSecret(),
    status: 'active',
    ended_reason: null,
    created_at: new Date().toISOString(),
    failing_since: null,
  };
  await db.transaction().execute(async (trx) => {
    if (owner.tokenHash !== undefined) await holdCurrentCredentials(trx, { appId: owner.appId, tokenHash: owner.tokenHash });
    await trx.insertInto('subscriptions').values(row).execute();
  });
  return { ...toSubscription(row), secret: row.secret };
}

/** The account's live subscriptions (active or disabled), newest first. */
export async function listLiveSubscriptions(db: Db, appId: string): Promise<Subscription[]> {
  const rows = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('app_id', '=', appId)
    .where('status', '!=', 'ended')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toSubscription);
}

/** Every subscription the account ever had, for the admin page, newest first. */
export async function listAllSubscriptions(db: Db, appId: string): Promise<AdminSubscription[]> {
  const rows = await db.selectFrom('subscriptions').selectAll().where('app_id', '=', appId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toAdminSubscription);
}

/**
 * Ends one of the account's subscriptions and cancels its pending deliveries, together.
 * Returns null when the account has no subscription with that id (another account's
 * subscription is "not found" too). Ending an ended subscription changes nothing.
 */
export async function unsubscribe(db: Db, appId: string, id: string): Promise<Subscription | null> {
  return db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('subscriptions').select('id').where('id', '=', id).where('app_id', '=', appId).executeTakeFirst();
    if (!found) return null;
    await endSubscription(trx, id, 'unsubscribed', 'the Zap unsubscribed');
    const row = await trx.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toSubscription(row);
  });
}

/** Recent payloads of one event type in the workspace, newest first, as delivered. */
export async function recentPayloads(db: Db, workspaceId: string, event: EventType, limit: number): Promise<unknown[]> {
  const rows = await db
    .selectFrom('events')
    .select('payload')
    .where('workspace_id', '=', workspaceId)
    .where('type', '=', event)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => JSON.parse(row.payload) as unknown);
}

/**
 * Inside a transaction: holds the account's row until it commits and refuses (401
 * credentials_revoked) unless the App Token the caller was authenticated with is still the
 * account's. A request authenticated just before a regeneration or deletion and writing after
 * it would otherwise leave something made with the old token behind (a live subscription).
 * An UPDATE changing nothing takes the row lock on both databases: on PostgreSQL it waits for
 * a regeneration in progress and then sees its new hash.
 */
async function holdCurrentCredentials(trx: Db, account: Pick<AccountContext, 'appId' | 'tokenHash'>): Promise<void> {
  const held = await trx
    .updateTable('zapier_accounts')
    .set((eb) => ({ token_hash: eb.ref('token_hash') }))
    .where('app_id', '=', account.appId)
    .where('token_hash', '=', account.tokenHash)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(held.numUpdatedRows) === 0) {
    throw new ApiFailure(
      401,
      'credentials_revoked',
      'This App Token was regenerated (or its Zapier account deleted) in the contact centre while this request was under way and no longer works; use the new one.',
    );
  }
}
