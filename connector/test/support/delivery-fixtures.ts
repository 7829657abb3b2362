import { eventSamples, type EventPayload, type EventType, type SubscribeBody } from '../../../contract/index.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import type { DeliveryDeps, DeliveryLog } from '../../src/delivery/deps.js';
import type { DeliverySettings } from '../../src/delivery/settings.js';
import { createSubscription, type Owner } from '../../src/delivery/subscriptions.js';
import { recordEvent } from '../../src/events/outbox.js';
import { newId } from '../../src/ids.js';
import type { Storage } from '../../src/storage/db.js';
import type { TestDatabase } from './databases.js';
import { Registry } from 'prom-client';

/** Fast settings for tests: loopback targets allowed, retries after tens of milliseconds, no pacing to speak of (pacing.test.ts sets its own). */
export const testDeliverySettings = (overrides: Partial<DeliverySettings> = {}): DeliverySettings => ({
  allowPrivateTargets: true,
  timeoutMs: 2000,
  retryScheduleMs: [0, 30, 60, 90],
  disableAfterFailingMs: 3_600_000,
  concurrency: 8,
  ratePerTarget: 1_000_000,
  pollMs: 20,
  eventRetentionDays: 30,
  ...overrides,
});

/** Collects log lines so tests can assert on them (and keep the output quiet). */
export function memoryLog(): DeliveryLog & { lines: Array<{ level: string; details: object; message?: string }> } {
  const lines: Array<{ level: string; details: object; message?: string }> = [];
  const at = (level: string) => (details: object, message?: string) => void lines.push({ level, details, message });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export function depsFor(storage: Storage, settings: DeliverySettings): DeliveryDeps {
  return { db: storage.db, storage, settings: { delivery: settings }, log: memoryLog(), metricsRegistry: new Registry() };
}

/** A workspace with one Zapier account in it, inserted directly, with the token hash a /v1 request of it would carry. */
export async function seedAccount(storage: Storage, name = 'Test'): Promise<Required<Owner>> {
  const now = new Date().toISOString();
  const workspaceId = newId('ws');
  const appId = newId('app');
  const tokenHash = newId('hash');
  await storage.db
    .insertInto('workspaces')
    .values({ id: workspaceId, name: `${name} workspace`, created_at: now })
    .execute();
  await storage.db
    .insertInto('zapier_accounts')
    .values({
      app_id: appId,
      workspace_id: workspaceId,
      name,
      token_hash: tokenHash,
      previous_token_hash: null,
      created_at: now,
      token_regenerated_at: null,
      deleted_at: null,
    })
    .execute();
  return { appId, workspaceId, tokenHash };
}

export async function subscribe(storage: Storage, owner: Owner, body: SubscribeBody) {
  return createSubscription(storage.db, owner, body);
}

/** Records one event of `type` built from the contract's sample, as the domain code would. */
export async function record<T extends EventType>(storage: Storage, owner: Owner, type: T, changes: Partial<EventPayload<T>> = {}) {
  return storage.db
    .transaction()
    .execute((trx) => recordEvent(trx, owner.workspaceId, type, (meta) => ({ ...eventSamples[type], ...changes, ...meta }) as EventPayload<T>));
}

/** A started worker that the test database stops after the test (before closing the storage). */
export function startWorker(database: TestDatabase, deps: DeliveryDeps, workerId?: string): DeliveryWorker {
  const worker = createDeliveryWorker(deps, { workerId });
  worker.start();
  database.afterThisTest(() => worker.stop());
  return worker;
}

/** Polls `check` until it returns something truthy. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const deliveryRows = (storage: Storage) => storage.db.selectFrom('deliveries').selectAll().orderBy('created_at').execute();
export const attemptRows = (storage: Storage, deliveryId: string) =>
  storage.db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').orderBy('started_at').execute();
export const subscriptionRow = (storage: Storage, id: string) =>
  storage.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
