// The real connector in its own process, as `npm run connector` runs it (buildApp, the delivery
// worker), plus the commands the benchmarks need: bulk-load contacts, subscribe sinks, and make
// changes through the contact-centre functions (each in its own transaction, writing its event
// to the outbox exactly as an API call or the console would).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Contact, CreateContactBody } from '../../contract/index.js';
import type { z } from 'zod';
import { buildApp } from '../../connector/src/app.js';
import { createZapierAccount } from '../../connector/src/accounts/zapier-accounts.js';
import { createContact } from '../../connector/src/contact-centre/contacts.js';
import { createTag } from '../../connector/src/contact-centre/tags.js';
import type { Scope } from '../../connector/src/contact-centre/scope.js';
import type { ConnectorDeps } from '../../connector/src/deps.js';
import { createSubscription } from '../../connector/src/delivery/subscriptions.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../connector/src/delivery/worker.js';
import { settingsFromEnv } from '../../connector/src/settings.js';
import { openStorage } from '../../connector/src/storage/db.js';
import { ensureWorkspace } from '../../connector/src/workspace.js';
import { serveCommands } from './lib/rpc.js';
import { benchContact, BULK_ID_PREFIX } from './lib/contacts.js';

type StoredContact = Omit<Contact, 'link'>;

let deps: ConnectorDeps | undefined;
let app: FastifyInstance | undefined;
let worker: DeliveryWorker | undefined;
let scope: Scope;
let dir = '';
let template: StoredContact;
let produced = 0;
let profiler: Session | undefined;

const need = () => {
  if (!deps) throw new Error('start first');
  return deps;
};

/** An event-producing change: Create Contact, the way the API's handler calls it. */
function contactInput(n: number): z.output<typeof CreateContactBody> {
  return {
    first_name: 'Event',
    last_name: `Maker ${n}`,
    email_type: 'work',
    email_address: `event.maker.${n}@produce.bench.example`,
    phone_type: 'mobile',
    phone_number: `+8529${String(n % 10_000_000).padStart(7, '0')}`,
    company: 'Bench Ltd',
    level: 'regular',
  };
}

const commands = {
  /** Opens the database (embedded in a temp dir, or `databaseUrl`), serves the API on 127.0.0.1, adds a Zapier account. */
  async start({ databaseUrl, env }: { databaseUrl?: string; env: Record<string, string> }) {
    dir = mkdtempSync(join(tmpdir(), 'connector-bench-'));
    const settings = settingsFromEnv({
      ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
      CONNECTOR_SQLITE_PATH: join(dir, 'connector.db'),
      CONNECTOR_PUBLIC_BASE_URL: 'https://connector.bench.example',
      CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true',
      CONNECTOR_SMS_SANDBOX_REPORT_DELAY_MS: '0',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    });
    const storage = await openStorage({ sqlitePath: settings.sqlitePath, databaseUrl: settings.databaseUrl, poolSize: settings.dbPoolSize });
    deps = { db: storage.db, storage, settings, log: pino({ level: settings.logLevel }) };
    const workspace = await ensureWorkspace(storage.db, settings.workspaceName);
    scope = { workspaceId: workspace.id, baseUrl: settings.publicBaseUrl, casePrefix: settings.casePrefix };
    const account = await createZapierAccount(storage.db, { workspaceId: scope.workspaceId, baseUrl: settings.publicBaseUrl }, 'Bench Zaps');
    app = await buildApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    // The bulk-loaded contacts are copies of a real one, made by Create Contact itself.
    const made = await createContact(storage.db, scope, {
      first_name: 'Template',
      last_name: 'Contact',
      email_type: 'work',
      email_address: 'template@bench.example',
      phone_type: 'mobile',
      phone_number: '+85290000000',
      company: 'Bench Ltd',
      level: 'regular',
    });
    const row = await storage.db.selectFrom('contacts').select('document').where('id', '=', made.id).executeTakeFirstOrThrow();
    template = JSON.parse(row.document) as StoredContact;
    return {
      port: typeof address === 'object' && address ? address.port : 0,
      appId: account.appId,
      appToken: account.appToken,
      kind: storage.kind,
      dbPoolSize: settings.dbPoolSize,
      deliveryConcurrency: settings.delivery.concurrency,
    };
  },

  /**
   * Bulk-loads copies of the template contact (each with its own name, email and phone and
   * their search keys) until the workspace holds `total` of them, straight through Kysely in
   * big transactions. Contact n is findable as benchContact(n).email.
   */
  async loadContacts({ total }: { total: number }) {
    const { db } = need();
    const started = performance.now();
    const have = Number(
      (
        await db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('id', 'like', `${BULK_ID_PREFIX}%`)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const perTransaction = 20_000;
    // SQLite allows 32,766 bound values per statement: 5 per contact row, 4 per lookup row.
    const perStatement = 1_000;
    const base = Date.parse('2020-01-01T00:00:00Z');
    for (let from = have; from < total; from += perTransaction) {
      const to = Math.min(total, from + perTransaction);
      await db.transaction().execute(async (trx) => {
        for (let start = from; start < to; start += perStatement) {
          const contacts = [];
          const lookups = [];
          for (let n = start; n < Math.min(to, start + perStatement); n++) {
            const c = benchContact(n);
            const at = new Date(base + n * 1000).toISOString();
            const id = `${BULK_ID_PREFIX}${String(n).padStart(8, '0')}`;
            const document: StoredContact = {
              ...template,
              id,
              firstName: c.firstName,
              lastName: c.lastName,
              fullName: c.fullName,
              email: c.email,
              mobilePhone: c.phone,
              createdAt: at,
              updatedAt: at,
            };
            contacts.push({ id, workspace_id: scope.workspaceId, document: JSON.stringify(document), created_at: at, updated_at: at });
            lookups.push(
              { workspace_id: scope.workspaceId, contact_id: id, kind: 'name' as const, value: c.fullName.toLowerCase() },
              { workspace_id: scope.workspaceId, contact_id: id, kind: 'email' as const, value: c.email },
              { workspace_id: scope.workspaceId, contact_id: id, kind: 'phone' as const, value: c.phone },
            );
          }
          await trx.insertInto('contacts').values(contacts).execute();
          for (let i = 0; i < lookups.length; i += perStatement * 3)
            await trx
              .insertInto('contact_lookups')
              .values(lookups.slice(i, i + perStatement * 3))
              .execute();
        }
      });
    }
    const seconds = (performance.now() - started) / 1000;
    return { loaded: Math.max(0, total - have), seconds };
  },

  /** Forgets what a write benchmark added after `since` (contacts and their events), so every size is measured as loaded. */
  async forgetSince({ since }: { since: string }) {
    const { db } = need();
    await db.transaction().execute(async (trx) => {
      const made = trx.selectFrom('contacts').select('id').where('created_at', '>', since).where('id', 'not like', `${BULK_ID_PREFIX}%`);
      await trx.deleteFrom('contact_lookups').where('contact_id', 'in', made).execute();
      await trx.deleteFrom('contacts').where('created_at', '>', since).where('id', 'not like', `${BULK_ID_PREFIX}%`).execute();
      const events = trx.selectFrom('events').select('id').where('occurred_at', '>', since);
      const deliveries = trx.selectFrom('deliveries').select('id').where('event_id', 'in', events);
      await trx.deleteFrom('delivery_attempts').where('delivery_id', 'in', deliveries).execute();
      await trx.deleteFrom('deliveries').where('event_id', 'in', events).execute();
      await trx.deleteFrom('events').where('occurred_at', '>', since).execute();
    });
  },

  /**
   * Ends every subscription (unless `keep`), then subscribes `count` targets to `event`
   * (contact.created by default): `${targetBase}/s0`, `/s1`, ... (or `${targetBase}/${path}` for one).
   */
  async subscribe({
    count,
    targetBase,
    event = 'contact.created',
    path,
    keep = false,
  }: {
    count: number;
    targetBase: string;
    event?: 'contact.created' | 'tag.created';
    path?: string;
    keep?: boolean;
  }) {
    const { db } = need();
    if (!keep) await db.updateTable('subscriptions').set({ status: 'ended', ended_reason: 'unsubscribed' }).where('status', '=', 'active').execute();
    const account = await db.selectFrom('zapier_accounts').select('app_id').where('name', '=', 'Bench Zaps').orderBy('created_at').executeTakeFirstOrThrow();
    for (let k = 0; k < count; k++) {
      await createSubscription(db, { appId: account.app_id, workspaceId: scope.workspaceId }, { event, targetUrl: `${targetBase}/${path ?? `s${k}`}` });
    }
  },

  /**
   * Makes `count` changes (Create Contact, each its own transaction with its event). Paced at
   * `perSecond` when given (each change starts on its schedule, whether or not the one before
   * has finished), else as fast as `concurrency` callers can.
   */
  async produce({
    count,
    perSecond,
    concurrency = 1,
    kind = 'contact',
  }: {
    count: number;
    perSecond?: number;
    concurrency?: number;
    kind?: 'contact' | 'tag';
  }) {
    const { db } = need();
    const started = performance.now();
    const make = () =>
      kind === 'tag' ? createTag(db, scope, { name: `Bench tag ${++produced}`, colorCode: '#1E88E5' }) : createContact(db, scope, contactInput(++produced));
    if (perSecond) {
      const inFlight: Promise<unknown>[] = [];
      for (let i = 0; i < count; i++) {
        const due = started + (i * 1000) / perSecond;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        inFlight.push(make());
      }
      await Promise.all(inFlight);
    } else {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            next++;
            await make();
          }
        }),
      );
    }
    return { seconds: (performance.now() - started) / 1000 };
  },

  /** Starts the delivery worker; `ratePerTarget` overrides CONNECTOR_DELIVERY_RATE_PER_TARGET for it (throughput runs lift the pace). */
  async startWorker({ ratePerTarget }: { ratePerTarget?: number } = {}) {
    const deps = need();
    const delivery = { ...deps.settings.delivery, ...(ratePerTarget ? { ratePerTarget } : {}) };
    worker = createDeliveryWorker({ ...deps, settings: { ...deps.settings, delivery } });
    worker.start();
  },

  async stopWorker() {
    await worker?.stop();
    worker = undefined;
  },

  /** Deliveries by status (to check that every one was delivered). */
  async deliveryCounts() {
    const { db } = need();
    const rows = await db
      .selectFrom('deliveries')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  },

  /** Empties the outbox (events, deliveries, attempts) and the targets' paces, so runs do not inherit each other's rows. */
  async clearOutbox() {
    const { db } = need();
    await db.deleteFrom('delivery_attempts').execute();
    await db.deleteFrom('deliveries').execute();
    await db.deleteFrom('events').execute();
    await db.deleteFrom('target_paces').execute();
  },

  /** CPU time this process has used so far (user + system, microseconds). */
  async cpu() {
    const { user, system } = process.cpuUsage();
    return user + system;
  },

  /** Starts V8's CPU profiler in this process (sampling every `intervalMicros`). */
  async profileStart({ intervalMicros = 250 }: { intervalMicros?: number } = {}) {
    profiler ??= new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: intervalMicros });
    await profiler.post('Profiler.start');
  },

  /** Stops the profiler; writes the .cpuprofile (for Chrome's DevTools) to `path` and returns it. */
  async profileStop({ path }: { path: string }) {
    if (!profiler) throw new Error('profileStart first');
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = undefined;
    writeFileSync(path, JSON.stringify(profile));
    return profile;
  },

  /** The newest contact.created payload as stored (the bytes the worker sends). */
  async samplePayload() {
    const { db } = need();
    const row = await db
      .selectFrom('events')
      .select('payload')
      .where('type', '=', 'contact.created')
      .orderBy('occurred_at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return row.payload;
  },
};

export type ConnectorCommands = typeof commands;

serveCommands(commands, async () => {
  await worker?.stop();
  await app?.close();
  await deps?.storage.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
