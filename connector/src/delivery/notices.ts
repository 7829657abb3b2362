import type { SubscriptionNotice } from '../../../contract/index.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { SubscriptionNoticeTable } from '../storage/schema.js';
import { announceEmailsQueued } from '../mail/signal.js';

/**
 * A subscription that stopped on its own (disabled after failing too long, or ended by a 410)
 * leaves a notice: the Zap's owner has to act, and nobody would know otherwise but from missing
 * data. Recorded in the transaction that stops the subscription, once per subscription (it
 * stops once); shown on the admin page until dismissed; emailed to CONNECTOR_NOTICE_EMAIL when
 * it is set (mail/mailer.ts sends it, retrying like any queued email).
 */

export type NoticeReason = SubscriptionNoticeTable['reason'];

const what: Record<NoticeReason, (detail: string) => string> = {
  failing: (detail) => `was disabled: ${detail}. Fix the Zap's endpoint, then recover its deliveries (or re-enable the subscription) on the account's page.`,
  gone: () => 'ended: the Zap answered 410 Gone, so the Zap was turned off or deleted. Turn the Zap off and on to subscribe again if it should receive events.',
};

const sentence = (row: Pick<SubscriptionNoticeTable, 'event' | 'target_url' | 'reason' | 'detail'>, accountName: string | null) =>
  `The subscription of ${accountName ? `"${accountName}"` : 'a deleted Zapier account'} to ${row.event} (${row.target_url}) ${what[row.reason](row.detail)}`;

/** Records the notice of a subscription that just stopped. Call in the transaction that stops it. */
export async function recordNotice(
  trx: Db,
  subscriptionId: string,
  reason: NoticeReason,
  detail: string,
  noticeEmail: string | null | undefined,
): Promise<void> {
  const subscription = await trx
    .selectFrom('subscriptions as s')
    .leftJoin('zapier_accounts as a', 'a.app_id', 's.app_id')
    .select(['s.workspace_id', 's.app_id', 's.event', 's.target_url', 'a.name as account_name'])
    .where('s.id', '=', subscriptionId)
    .executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  const notice = { event: subscription.event, target_url: subscription.target_url, reason, detail };
  const message = sentence(notice, subscription.account_name);
  await trx
    .insertInto('subscription_notices')
    .values({
      id: newId('ntc'),
      workspace_id: subscription.workspace_id,
      app_id: subscription.app_id,
      subscription_id: subscriptionId,
      ...notice,
      created_at: now,
      dismissed_at: null,
      recipient_name: 'Contact centre admin',
      recipient_email: noticeEmail ?? null,
      subject: reason === 'failing' ? `Zap subscription disabled: ${subscription.event}` : `Zap subscription ended: ${subscription.event}`,
      body: `${message}\n\nApp ID: ${subscription.app_id}\nSubscription: ${subscriptionId}\n`,
      status: noticeEmail ? 'pending' : 'recorded',
      attempts: 0,
      next_attempt_at: noticeEmail ? now : null,
      locked_until: null,
      locked_by: null,
      last_error: null,
      sent_at: null,
    })
    .onConflict((oc) => oc.column('subscription_id').doNothing()) // one per subscription, however it stops
    .execute();
  if (noticeEmail) announceEmailsQueued();
}

function toNotice(row: SubscriptionNoticeTable & { account_name: string | null }): SubscriptionNotice {
  return {
    id: row.id,
    appId: row.app_id,
    accountName: row.account_name,
    subscriptionId: row.subscription_id,
    event: row.event,
    targetUrl: row.target_url,
    reason: row.reason,
    message: sentence(row, row.account_name),
    createdAt: row.created_at,
    dismissedAt: row.dismissed_at,
    email: { status: row.status, to: row.recipient_email },
  };
}

const noticeQuery = (db: Db) =>
  db
    .selectFrom('subscription_notices as n')
    .leftJoin('zapier_accounts as a', (join) => join.onRef('a.app_id', '=', 'n.app_id').on('a.deleted_at', 'is', null))
    .selectAll('n')
    .select('a.name as account_name');

/** The notices, newest first: open ones (the admin page's banner), or all. */
export async function listNotices(db: Db, { include }: { include: 'open' | 'all' }): Promise<SubscriptionNotice[]> {
  const rows = await noticeQuery(db)
    .$if(include === 'open', (q) => q.where('n.dismissed_at', 'is', null))
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(200)
    .execute();
  return rows.map(toNotice);
}

/** Dismisses a notice (again is fine: it keeps its first dismissal). */
export async function dismissNotice(db: Db, id: string): Promise<SubscriptionNotice> {
  await db.updateTable('subscription_notices').set({ dismissed_at: new Date().toISOString() }).where('id', '=', id).where('dismissed_at', 'is', null).execute();
  const row = await noticeQuery(db).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('notice', id);
  return toNotice(row);
}
