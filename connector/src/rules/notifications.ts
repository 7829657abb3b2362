import type { z } from 'zod';
import type { NotificationListQuery, RuleNotification } from '../../../contract/index.js';
import { newId } from '../ids.js';
import { announceEmailsQueued } from '../mail/signal.js';
import type { Db } from '../storage/db.js';
import type { TriggerNotificationTable } from '../storage/schema.js';
import type { RuleScope } from './store.js';

/**
 * The notification outbox of trigger rules: every email (email_user, email_group) and
 * internal message (message_user) a fired rule asks for is a row, written in the transaction
 * of the ticket change. Emails are sent by the mailer (mail/mailer.ts) when the connector
 * has SMTP (CONNECTOR_SMTP_URL); without it they are recorded only, like internal messages,
 * and the admin API lists them all.
 */

export interface QueuedNotification {
  ticketId: string;
  triggerId: number;
  kind: 'email' | 'message';
  action: string;
  recipient: { userId: number | null; name: string; email: string | null };
  subject: string | null;
  body: string;
  /** Set when the notification cannot go anywhere (e.g. "(assignee)" on an unassigned ticket). */
  undeliverable?: string;
}

/** Call with the transaction of the ticket change. `sendsEmail`: SMTP is configured. */
export async function queueNotifications(trx: Db, scope: RuleScope, items: QueuedNotification[], sendsEmail: boolean): Promise<void> {
  if (items.length === 0) return;
  const now = new Date().toISOString();
  const rows: TriggerNotificationTable[] = items.map((item) => {
    const status: TriggerNotificationTable['status'] = item.undeliverable ? 'failed' : item.kind === 'email' && sendsEmail ? 'pending' : 'recorded';
    return {
      id: newId('ntf'),
      workspace_id: scope.workspaceId,
      ticket_id: item.ticketId,
      trigger_id: item.triggerId,
      kind: item.kind,
      action: item.action,
      recipient_user_id: item.recipient.userId,
      recipient_name: item.recipient.name,
      recipient_email: item.recipient.email,
      subject: item.subject,
      body: item.body,
      status,
      attempts: 0,
      next_attempt_at: status === 'pending' ? now : null,
      locked_until: null,
      locked_by: null,
      last_error: item.undeliverable ?? (item.kind === 'email' && !sendsEmail ? 'not sent: the connector has no SMTP server (CONNECTOR_SMTP_URL)' : null),
      created_at: now,
      sent_at: null,
    };
  });
  await trx.insertInto('trigger_notifications').values(rows).execute();
  if (rows.some((row) => row.status === 'pending')) announceEmailsQueued();
}

const toNotification = (row: TriggerNotificationTable): RuleNotification => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  ticketId: row.ticket_id,
  triggerId: Number(row.trigger_id),
  action: row.action,
  recipient: { userId: row.recipient_user_id === null ? null : Number(row.recipient_user_id), name: row.recipient_name, email: row.recipient_email },
  subject: row.subject,
  body: row.body,
  attempts: Number(row.attempts),
  lastError: row.last_error,
  createdAt: row.created_at,
  sentAt: row.sent_at,
});

/** Newest first (ids sort by creation time). */
export async function listNotifications(db: Db, scope: RuleScope, query: z.output<typeof NotificationListQuery>): Promise<RuleNotification[]> {
  const rows = await db
    .selectFrom('trigger_notifications')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .$if(query.ticketId !== undefined, (q) => q.where('ticket_id', '=', query.ticketId!))
    .$if(query.kind !== undefined, (q) => q.where('kind', '=', query.kind!))
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!))
    .orderBy('id', 'desc')
    .limit(query.limit)
    .execute();
  return rows.map(toNotification);
}
