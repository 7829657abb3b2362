import type { Kysely } from 'kysely';

/**
 * Rate limits become sliding windows (accounts/rate-limit.ts): per bucket, the calls admitted in
 * each slot of the last window, as a JSON object (slot number → count), and whether the latest
 * call was admitted. The fixed-window counters they replace only ever held the current minute:
 * nothing to carry over.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.primaryKey())
    .addColumn('slot_counts', 'text', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('admitted', 'boolean', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_age').on('rate_limits').columns(['last_at']).execute();
  await db.schema.dropTable('rate_limit_windows').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pk', ['bucket', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limit_windows_age').on('rate_limit_windows').columns(['window_start']).execute();
  await db.schema.dropTable('rate_limits').execute();
}
