import { deleteZapierAccount } from '../../src/accounts/zapier-accounts.js';
import { forEachDatabase } from '../support/databases.js';
import {
  depsFor,
  eventually,
  memoryLog,
  record,
  seedAccount,
  startWorker,
  subscribe,
  subscriptionRow,
  testDeliverySettings,
} from '../support/delivery-fixtures.js';
import { startSink, type Responder } from '../support/sink.js';

/**
 * "A record of every attempt", when many attempts of one subscription are in flight at the
 * moment it is disabled (failing too long), ends (410 Gone) or loses its account: each attempt
 * the receiver saw is in the log, and recording never fails. On PostgreSQL these used to
 * deadlock (an attempt held its delivery's row and waited for the subscription's, which the
 * disabling transaction held while it waited for that delivery), and the aborted attempt was
 * missing from the log. Three rounds each, so that the race is met.
 */
const ROUNDS = 3;
const EVENTS = 40;

forEachDatabase((database) => {
  type Storage = Awaited<ReturnType<typeof database.open>>;
  type Owner = Awaited<ReturnType<typeof seedAccount>>;
  const scenario = async (
    respond: Responder,
    settings: Parameters<typeof testDeliverySettings>[0],
    during?: (owner: Owner, storage: Storage) => Promise<void>,
  ) => {
    const storage = await database.open();
    const receiver = await startSink(respond);
    database.afterThisTest(() => receiver.close());
    const owner = await seedAccount(storage);
    const subscription = await subscribe(storage, owner, { event: 'tag.created', targetUrl: receiver.url });
    for (let i = 0; i < EVENTS; i++) await record(storage, owner, 'tag.created');
    const deps = depsFor(storage, testDeliverySettings({ concurrency: 16, ...settings }));
    const log = memoryLog();
    deps.log = log;
    const worker = startWorker(database, deps);
    if (during) {
      await receiver.waitFor(8);
      await during(owner, storage);
    }
    await eventually(async () => (await subscriptionRow(storage, subscription.id)).status !== 'active', 15_000, 'the subscription stopping');
    await eventually(
      async () => (await storage.db.selectFrom('deliveries').select('id').where('status', '=', 'pending').execute()).length === 0,
      15_000,
      'nothing left pending',
    );
    await worker.stop();

    const attempts = await storage.db.selectFrom('delivery_attempts').select('id').execute();
    const errors = log.lines.filter((line) => line.level === 'error').map((line) => `${line.message}: ${(line.details as { err?: Error }).err?.message}`);
    expect({ errors, attemptsRecorded: attempts.length }).toEqual({ errors: [], attemptsRecorded: receiver.received.length });
  };

  it('disabled while attempts are in flight: every attempt recorded', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await scenario(() => ({ status: 502, delayMs: 20 }), { retryScheduleMs: [0, 10, 10, 10, 10, 10, 10], disableAfterFailingMs: 30 });
    }
  }, 60_000);

  it('ended by 410 Gone with attempts in flight: every attempt recorded', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await scenario(() => ({ status: 410, delayMs: 20 }), {});
    }
  }, 60_000);

  it('its account deleted with attempts in flight: every attempt recorded, nothing left to send', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await scenario(
        () => ({ status: 502, delayMs: 50 }),
        { retryScheduleMs: [0, 10, 10, 10, 10, 10, 10] },
        async (owner, storage) => {
          await deleteZapierAccount(storage.db, { workspaceId: owner.workspaceId, baseUrl: 'https://connector.test' }, owner.appId);
        },
      );
    }
  }, 60_000);
});
