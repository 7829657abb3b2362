import type { Migration, MigrationProvider } from 'kysely/migration';
import * as core from './001_core.js';
import * as contactCentre from './002_contact_centre.js';
import * as adminAndRateLimits from './003_admin_and_rate_limits.js';
import * as triggerRules from './004_trigger_rules.js';
import * as conversationExport from './005_export.js';
import * as slidingRateLimits from './006_sliding_rate_limits.js';
import * as subscriptionNotices from './007_subscription_notices.js';
import * as targetPacing from './008_target_pacing.js';

/** Every migration, in order. Names never change once released. */
const migrations: Record<string, Migration> = {
  '001_core': core,
  '002_contact_centre': contactCentre,
  '003_admin_and_rate_limits': adminAndRateLimits,
  '004_trigger_rules': triggerRules,
  '005_export': conversationExport,
  '006_sliding_rate_limits': slidingRateLimits,
  '007_subscription_notices': subscriptionNotices,
  '008_target_pacing': targetPacing,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };
