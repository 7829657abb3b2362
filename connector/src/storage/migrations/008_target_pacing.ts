import type { Kysely } from 'kysely';

/**
 * Per-target pacing of webhook deliveries (delivery/pacing.ts). Each target URL has a row: the
 * next free send slot (epoch milliseconds, a GCRA's theoretical arrival time; fractional, as
 * 30 a second is every 33.3 ms) and how long a 429 asked it to be left alone. A delivery
 * deferred to a slot carries that slot, so it is sent when due without taking another. A
 * target's waiting deliveries are found through the due index and the subscriptions of its URL
 * (indexed here); no index on deliveries is added, as every settled delivery would pay for it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('target_paces')
    .addColumn('target_url', 'text', (c) => c.primaryKey())
    .addColumn('next_slot_ms', 'double precision', (c) => c.notNull())
    .addColumn('paused_until_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('deliveries').addColumn('slot_ms', 'double precision').execute();
  await db.schema.createIndex('subscriptions_target').on('subscriptions').columns(['target_url']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('subscriptions_target').execute();
  await db.schema.alterTable('deliveries').dropColumn('slot_ms').execute();
  await db.schema.dropTable('target_paces').execute();
}
