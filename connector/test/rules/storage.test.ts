// Trigger rules against the storage, on both databases: the rules' effects and notifications
// commit with the ticket change or not at all; emails go out over SMTP (nodemailer) with
// retries; migration 004 gives existing agents and tickets their user ids and KF5 fields.
import pino from 'pino';
import { createAgent } from '../../src/contact-centre/agents.js';
import type { Scope } from '../../src/contact-centre/scope.js';
import { createTicket, getTicket, updateTicket } from '../../src/contact-centre/tickets.js';
import * as migration004 from '../../src/storage/migrations/004_trigger_rules.js';
import { createMailer } from '../../src/mail/mailer.js';
import { createRule } from '../../src/rules/store.js';
import { createTarget } from '../../src/rules/targets.js';
import type { Storage } from '../../src/storage/db.js';
import { FIRST_WORKSPACE_ID, ensureWorkspace } from '../../src/workspace.js';
import { forEachDatabase } from '../support/databases.js';
import { startSmtpSink } from '../support/smtp-sink.js';
import { CreateTriggerBody } from '../../../contract/index.js';

const silent = pino({ level: 'silent' });

async function workspace(storage: Storage, sendsEmail = false): Promise<Scope> {
  await ensureWorkspace(storage.db, 'Acme');
  const scope: Scope = { workspaceId: FIRST_WORKSPACE_ID, baseUrl: 'https://connector.test', casePrefix: 'HK', sendsEmail };
  await storage.db.insertInto('agent_groups').values({ workspace_id: scope.workspaceId, id: 1, name: 'Care', created_at: new Date().toISOString() }).execute();
  await createAgent(storage.db, scope, {
    login: 'ava@acme.example',
    name: 'Ava',
    groups: [1],
    login_status: 'accepting chats',
    job_title: 'Agent',
    permission: 'normal',
    max_chats_count: 6,
  });
  return scope;
}

const trigger = (storage: Storage, scope: Scope, body: unknown) => createRule(storage.db, scope, CreateTriggerBody.parse(body));
const count = async (storage: Storage, table: 'trigger_notifications' | 'events' | 'deliveries' | 'tickets') =>
  Number(
    (
      await storage.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

forEachDatabase((database) => {
  it('commits the rules’ changes, emails, webhook messages and round-robin position with the ticket change, or none of them', async () => {
    const storage = await database.open();
    const scope = await workspace(storage);
    const target = await createTarget(storage.db, scope, { title: 'Room', url: 'https://93.184.215.14/hook' }, { allowPrivateTargets: false });
    await trigger(storage, scope, {
      title: 'everything',
      conditions: { all: [{ source: 'status', operator: 'is', value: '0' }] },
      actions: [
        { source: 'priority', value: '3' },
        { source: 'inturn_assign', value: '1' },
        { source: 'email_user', value: '(requester)', body: 'Hello {{ticket.requester.name}}' },
        { source: 'target', value: String(target.id), body: '{"id": "{{ticket.id}}"}' },
      ],
    });
    const ticket = await createTicket(storage.db, scope, { message: 'First', requester: { mail: 'one@example.com', name: 'One' } });
    expect(ticket.kf5).toMatchObject({ priority: 3, assignee_id: expect.any(Number) });
    const counts = {
      notifications: await count(storage, 'trigger_notifications'),
      events: await count(storage, 'events'),
      deliveries: await count(storage, 'deliveries'),
    };
    expect(counts).toEqual({ notifications: 1, events: 2, deliveries: 1 }); // ticket.created (no Zap subscribed) and the target message

    const failure = storage.db.transaction().execute(async (trx) => {
      await updateTicket(trx, scope, ticket.id, { kf5: { priority: 0 }, message: 'again' }); // the rule fires again: email, webhook message, next agent
      await createTicket(trx, scope, { message: 'Second', requester: { mail: 'two@example.com' } });
      throw new Error('something after the change failed');
    });
    await expect(failure).rejects.toThrow('something after the change failed');
    expect({
      notifications: await count(storage, 'trigger_notifications'),
      events: await count(storage, 'events'),
      deliveries: await count(storage, 'deliveries'),
    }).toEqual(counts);
    expect(await count(storage, 'tickets')).toBe(1);
    expect((await getTicket(storage.db, scope, ticket.id)).kf5.priority).toBe(3);
    const rotation = await storage.db.selectFrom('trigger_rotations').selectAll().executeTakeFirstOrThrow();
    expect(Number(rotation.last_user_id)).toBe(ticket.kf5.assignee_id);
  });

  it('sends queued emails over SMTP, retries a refusal for now, gives up on a refusal for good', async () => {
    const storage = await database.open();
    const smtp = await startSmtpSink((address) =>
      address.startsWith('later') ? '451 Try again later' : address.startsWith('never') ? '550 No such user' : '250 OK',
    );
    database.afterThisTest(() => smtp.close());
    const scope = await workspace(storage, true);
    await trigger(storage, scope, {
      title: 'ack',
      conditions: { all: [{ source: '{ticket}', operator: 'is', value: 'created' }] },
      actions: [{ source: 'email_user', value: '(requester)', subject: '[{{account.name}}] {{ticket.title}}', body: 'We have your request: {{ticket.url}}' }],
    });
    const ticket = await createTicket(storage.db, scope, { message: 'Parcel lost', requester: { mail: 'mei@example.com', name: 'Mei Chan' } });
    await createTicket(storage.db, scope, { message: 'Later', requester: { mail: 'later@example.com' } });
    await createTicket(storage.db, scope, { message: 'Never', requester: { mail: 'never@example.com' } });
    expect((await storage.db.selectFrom('trigger_notifications').select('status').execute()).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);

    const mailer = createMailer(
      { db: storage.db, storage, settings: { smtp: { url: smtp.url, from: 'Acme Care <care@acme.example>' } }, log: silent },
      { retrySeconds: [60] },
    );
    database.afterThisTest(() => mailer.stop());
    expect(await mailer.sendDue()).toBe(3);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]).toMatchObject({ from: 'care@acme.example', to: ['mei@example.com'] });
    expect(smtp.received[0]!.data).toMatch(/Subject: \[Acme\] Parcel lost/);
    expect(smtp.received[0]!.data).toContain(`We have your request: https://connector.test/console/tickets/${ticket.id}`);

    const rows = await storage.db.selectFrom('trigger_notifications').selectAll().orderBy('recipient_email').execute();
    expect(rows.map((r) => [r.recipient_email, r.status, Number(r.attempts)])).toEqual([
      ['later@example.com', 'pending', 1],
      ['mei@example.com', 'sent', 1],
      ['never@example.com', 'failed', 1],
    ]);
    expect(Date.parse(rows[0]!.next_attempt_at!)).toBeGreaterThan(Date.now() + 50_000);
    expect(await mailer.sendDue()).toBe(0); // not due yet
    await storage.db
      .updateTable('trigger_notifications')
      .set({ next_attempt_at: new Date(0).toISOString() })
      .where('status', '=', 'pending')
      .execute();
    expect(await mailer.sendDue()).toBe(1);
    const later = await storage.db.selectFrom('trigger_notifications').selectAll().where('recipient_email', '=', 'later@example.com').executeTakeFirstOrThrow();
    expect([later.status, Number(later.attempts), later.last_error]).toEqual(['failed', 2, expect.stringContaining('451')]); // the schedule is used up
  });

  it('migration 004 gives existing agents and tickets their user ids and KF5 fields', async () => {
    const storage = await database.open();
    const { db } = storage;
    await ensureWorkspace(db, 'Acme');
    const now = new Date().toISOString();
    const oldAgent = { id: 'ava@acme.example', login: 'ava@acme.example', name: 'Ava', groups: [{ id: 0, name: 'General' }] };
    const oldTicket = (id: string, status: string, mail: string, assignee: object | null, sourceType: string) => ({
      id,
      status,
      requester: { mail, name: mail.split('@')[0], ip: null },
      source: { id: 'src_1', type: sourceType, url: null },
      assignee,
      currentGroup: { id: 0, name: 'General' },
      groups: [{ id: 0, name: 'General' }],
      events: [],
      tags: [],
    });
    await db
      .insertInto('agents')
      .values({ workspace_id: FIRST_WORKSPACE_ID, login: 'ava@acme.example', password_hash: null, document: JSON.stringify(oldAgent), created_at: now })
      .execute();
    const tickets = [
      oldTicket('TKT-0901', 'solved', 'Mei@Example.com', { id: 'ava@acme.example', name: 'Ava' }, 'mail'),
      oldTicket('TKT-0902', 'spam', 'mei@example.com', null, 'lc2'),
    ];
    for (const t of tickets) {
      await db
        .insertInto('tickets')
        .values({
          workspace_id: FIRST_WORKSPACE_ID,
          id: t.id,
          status: t.status,
          requester_mail_key: 'mei@example.com',
          assignee_login: null,
          document: JSON.stringify(t),
          created_at: now,
          modified_at: now,
          last_message_at: null,
        })
        .execute();
    }
    await migration004.down(db);
    await migration004.up(db);

    const agent = JSON.parse((await db.selectFrom('agents').select('document').executeTakeFirstOrThrow()).document);
    expect(agent.user_id).toBe(1001);
    const docs = (await db.selectFrom('tickets').select('document').orderBy('id').execute()).map((r) => JSON.parse(r.document));
    expect(docs.map((d) => [d.kf5.status, d.kf5.requester_id, d.kf5.assignee_id, d.kf5.source])).toEqual([
      [3, 1002, 1001, 'email'],
      [4, 1002, null, 'chat'], // one user per address, whatever its case
    ]);
    const scope: Scope = { workspaceId: FIRST_WORKSPACE_ID, baseUrl: 'https://connector.test', casePrefix: 'HK' };
    // new users continue after the ones the migration numbered
    const next = await createTicket(db, scope, { message: 'Hi', requester: { mail: 'new@example.com' } });
    expect(next.kf5.requester_id).toBe(1003);
  });
});
