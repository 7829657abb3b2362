import type { Kysely } from 'kysely';

/**
 * The conversation export (Ferndesk's support endpoint):
 * - `support_export_urls`: the secret export URLs, stored as sha256 hashes only;
 * - `last_message_at` on chats and tickets (the newest exportable message: for tickets the
 *   newest PUBLIC one), filled here for existing rows and kept by chats.ts / tickets.ts, so the
 *   export reads "conversations whose last message is on or after startDate" from an index in
 *   keyset order. Enquiries have one message, at their creation: `created_at` serves.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('support_export_urls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('secret_last4', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rotated_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('support_export_urls_workspace').on('support_export_urls').columns(['workspace_id', 'created_at']).execute();

  for (const table of ['chats', 'tickets'] as const) {
    await db.schema.alterTable(table).addColumn('last_message_at', 'text').execute();
    await backfillLastMessageAt(db, table);
    await db.schema.createIndex(`${table}_last_message`).on(table).columns(['workspace_id', 'last_message_at', 'id']).execute();
  }
  await db.schema.createIndex('enquiries_created').on('enquiries').columns(['workspace_id', 'created_at', 'id']).execute();
}

// ---- frozen: what export/conversations.ts counted as a message when this migration was written ----
// Copied, not imported, so that changing what the live export counts never changes what this
// migration does for a new install. Both read the stored JSON documents of migration 002.

const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const newest = (times: string[]): string | null =>
  times.length === 0
    ? null
    : times
        .map((t) => new Date(t).toISOString())
        .sort()
        .at(-1)!;

/** Chats: every message by a visitor, an agent or a supervisor, with a time and a text. */
function chatLastMessageAt(chat: { messages?: Array<Record<string, unknown>> }): string | null {
  const messages = (chat.messages ?? []).filter(
    (m) => ['visitor', 'agent', 'supervisor'].includes(String(m.user_type)) && isTime(m.timestamp) && typeof m.text === 'string',
  );
  return newest(messages.map((m) => m.timestamp as string));
}

/** Tickets: public messages and comments by a client or an agent (anything short of an explicit "public" is private). */
function ticketLastMessageAt(ticket: { events?: Array<Record<string, any>> }): string | null {
  const messages = (ticket.events ?? []).filter(
    (e) =>
      ['client', 'agent'].includes(String(e.author?.type)) &&
      ['message', 'comment'].includes(String(e.type)) &&
      e.is_private === false &&
      e.public !== false &&
      e.visibility !== 'private' &&
      typeof e.message === 'string' &&
      e.message.trim() !== '' &&
      isTime(e.date),
  );
  return newest(messages.map((e) => e.date as string));
}

/** Fills last_message_at from each document, 500 rows at a time in (workspace_id, id) order. */
export async function backfillLastMessageAt(db: Kysely<any>, table: 'chats' | 'tickets'): Promise<void> {
  const derive: (document: any) => string | null = table === 'chats' ? chatLastMessageAt : ticketLastMessageAt;
  let after: { workspace_id: string; id: string } | null = null;
  for (;;) {
    let query = db.selectFrom(table).select(['workspace_id', 'id', 'document']).orderBy('workspace_id').orderBy('id').limit(500);
    if (after) {
      const { workspace_id, id } = after;
      query = query.where((eb) => eb.or([eb('workspace_id', '>', workspace_id), eb.and([eb('workspace_id', '=', workspace_id), eb('id', '>', id)])]));
    }
    const rows: { workspace_id: string; id: string; document: string }[] = await query.execute();
    for (const row of rows) {
      await db
        .updateTable(table)
        .set({ last_message_at: derive(JSON.parse(row.document)) })
        .where('workspace_id', '=', row.workspace_id)
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < 500) return;
    after = rows.at(-1)!;
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enquiries_created').execute();
  for (const table of ['chats', 'tickets'] as const) {
    await db.schema.dropIndex(`${table}_last_message`).execute();
    await db.schema.alterTable(table).dropColumn('last_message_at').execute();
  }
  await db.schema.dropTable('support_export_urls').execute();
}
