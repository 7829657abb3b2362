import type { Kysely } from 'kysely';

/**
 * Helpdesk trigger rules (KF5): numbered users for agents and requesters, the triggers, their
 * webhook targets, round-robin positions, and the notification outbox. Existing agents and
 * tickets get their user ids and KF5 fields here, so every stored document has them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('helpdesk_users')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'integer')
    .addColumn('language', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('helpdesk_users_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('helpdesk_users_email').on('helpdesk_users').columns(['workspace_id', 'email_key']).unique().execute();

  await db.schema
    .createTable('triggers')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('triggers_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema.createIndex('triggers_active').on('triggers').columns(['workspace_id', 'active', 'sort']).execute();

  await db.schema
    .createTable('trigger_targets')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addPrimaryKeyConstraint('trigger_targets_pk', ['workspace_id', 'id'])
    .execute();

  await db.schema
    .createTable('trigger_rotations')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('last_user_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('trigger_rotations_pk', ['workspace_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('trigger_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    .addColumn('trigger_id', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('recipient_user_id', 'integer')
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
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('trigger_notifications_due').on('trigger_notifications').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('trigger_notifications_recent').on('trigger_notifications').columns(['workspace_id', 'created_at']).execute();

  await backfill(db);
}

const FIRST_USER_ID = 1001;
const liveChatToKf5: Record<string, number> = { open: 1, pending: 2, solved: 3, spam: 4 };
const channels: Record<string, string> = { mail: 'email', lc2: 'chat', 'chat-window': 'chat', facebook: 'weibo', 'agent-app-manual': 'api' };

/** User ids for every agent and requester, `user_id` on agents, `kf5` on tickets. */
async function backfill(db: Kysely<any>): Promise<void> {
  const workspaces: { id: string }[] = await db.selectFrom('workspaces').select('id').execute();
  for (const { id: workspaceId } of workspaces) {
    const users = new Map<string, number>();
    let nextId = FIRST_USER_ID;
    const now = new Date().toISOString();
    const userFor = async (email: string, name: string, role: 'agent' | 'enduser') => {
      const key = email.trim().toLowerCase();
      const known = users.get(key);
      if (known !== undefined) return known;
      const id = nextId++;
      users.set(key, id);
      await db
        .insertInto('helpdesk_users')
        .values({ workspace_id: workspaceId, id, email_key: key, email, name, role, organization_id: null, language: null, created_at: now })
        .execute();
      return id;
    };

    const agents: { login: string; document: string }[] = await db
      .selectFrom('agents')
      .select(['login', 'document'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('login')
      .execute();
    for (const agent of agents) {
      const document = JSON.parse(agent.document);
      document.user_id = await userFor(agent.login, document.name ?? agent.login, 'agent');
      await db
        .updateTable('agents')
        .set({ document: JSON.stringify(document) })
        .where('workspace_id', '=', workspaceId)
        .where('login', '=', agent.login)
        .execute();
    }

    const tickets: { id: string; document: string }[] = await db
      .selectFrom('tickets')
      .select(['id', 'document'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    for (const ticket of tickets) {
      const document = JSON.parse(ticket.document);
      if (document.kf5) continue;
      const requester = document.requester ?? {};
      document.kf5 = {
        status: liveChatToKf5[document.status] ?? 1,
        type_id: null,
        priority: null,
        requester_id: await userFor(requester.mail ?? `unknown-${ticket.id}@invalid`, requester.name ?? '', 'enduser'),
        assignee_id: document.assignee ? (users.get(String(document.assignee.id).toLowerCase()) ?? null) : null,
        source: channels[document.source?.type] ?? 'api',
        recipient: null,
        score: null,
        organization_id: null,
        language: null,
        fields: {},
        ccs: [],
        push_count: 0,
      };
      await db
        .updateTable('tickets')
        .set({ document: JSON.stringify(document) })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', ticket.id)
        .execute();
    }

    if (nextId > FIRST_USER_ID) {
      await db
        .insertInto('counters')
        .values({ workspace_id: workspaceId, name: 'helpdesk_user_id', value: nextId - 1 })
        .execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['trigger_notifications', 'trigger_rotations', 'trigger_targets', 'triggers', 'helpdesk_users']) {
    await db.schema.dropTable(table).execute();
  }
}
