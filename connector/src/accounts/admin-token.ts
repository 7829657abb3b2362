import type { Db } from '../storage/db.js';
import type { AuthThrottle } from './auth-throttle.js';
import { hashSecret, newAdminToken, secretMatches } from './secrets.js';

const SECRET_NAME = 'admin_token';

export interface AdminTokenSource {
  /** sha256 of the token the admin API accepts. */
  hash: string;
  /** Where it came from: the ADMIN_TOKEN variable, or generated and stored by this connector. */
  origin: 'environment' | 'generated' | 'stored';
  /** The token itself, only when it was generated just now and must be shown once. */
  generatedToken?: string;
}

/**
 * Which admin token the admin API accepts. ADMIN_TOKEN wins when set. Otherwise the connector
 * generates one at first start, stores only its hash (so restarts keep working without the
 * token ever sitting in a file), and hands it back once for main.ts to print.
 * `rotate` forces a new one (the `admin-token` command, for an operator who lost it).
 */
export async function resolveAdminToken(db: Db, fromEnvironment: string | undefined, rotate = false): Promise<AdminTokenSource> {
  if (fromEnvironment) return { hash: hashSecret(fromEnvironment), origin: 'environment' };
  if (!rotate) {
    const stored = await db.selectFrom('instance_secrets').select('value_hash').where('name', '=', SECRET_NAME).executeTakeFirst();
    if (stored) return { hash: stored.value_hash, origin: 'stored' };
  }
  const token = newAdminToken();
  const row = { name: SECRET_NAME, value_hash: hashSecret(token), created_at: new Date().toISOString() };
  const insert = db.insertInto('instance_secrets').values(row);
  if (rotate) {
    await insert.onConflict((oc) => oc.column('name').doUpdateSet({ value_hash: row.value_hash, created_at: row.created_at })).execute();
    return { hash: row.value_hash, origin: 'generated', generatedToken: token };
  }
  // Two processes starting together on one PostgreSQL: the first to store wins, the other keeps it.
  const [result] = await insert.onConflict((oc) => oc.column('name').doNothing()).execute();
  if (Number(result?.numInsertedOrUpdatedRows ?? 0) === 1) return { hash: row.value_hash, origin: 'generated', generatedToken: token };
  return resolveAdminToken(db, undefined, false);
}

/** Whether a presented token is the admin token now. */
export type AdminTokenCheck = (presented: string) => Promise<boolean>;

/**
 * ADMIN_TOKEN, when set, is fixed for the life of the process. A stored token is read afresh on
 * every check: the `admin-token` command rotates it in the database, and every running connector
 * process must refuse the old one and accept the new one at once, without a restart.
 */
export function adminTokenCheck(db: Db, fromEnvironment: string | undefined): AdminTokenCheck {
  if (fromEnvironment) {
    const hash = hashSecret(fromEnvironment);
    return async (presented) => secretMatches(presented, hash);
  }
  return async (presented) => {
    const stored = await db.selectFrom('instance_secrets').select('value_hash').where('name', '=', SECRET_NAME).executeTakeFirst();
    return stored !== undefined && secretMatches(presented, stored.value_hash);
  };
}

/** What an admin-token guard (the admin API's, KF5's) needs: the check of the token now, and the failure throttle. */
export interface AdminGuard {
  isAdminToken: AdminTokenCheck;
  throttle: AuthThrottle;
}

/** Failures with any admin token count against one credential: there is one admin token. */
export const ADMIN_CREDENTIAL = 'admin';
