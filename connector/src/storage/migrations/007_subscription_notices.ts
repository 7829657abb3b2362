import type { Kysely } from 'kysely';

/**
 * Notices of subscriptions that stopped on their own (disabled after failing for too long, or
 * ended by a 410 from the Zap): one row per subscription that stopped, shown on the admin page
 * until dismissed, and emailed to CONNECTOR_NOTICE_EMAIL when it is set. The email columns are
 * those of trigger_notifications, so one mailer sends both (mail/mailer.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscription_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull().unique())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('target_url', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'text')
    // the email: as in trigger_notifications
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_email', 'text')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('subscription_notices_open').on('subscription_notices').columns(['workspace_id', 'dismissed_at', 'created_at']).execute();
  await db.schema.createIndex('subscription_notices_due').on('subscription_notices').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subscription_notices').execute();
}
