import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createZapierAccount, regenerateAppToken, type AdminScope } from '../accounts/zapier-accounts.js';
import { secretMatches } from '../accounts/secrets.js';
import type { Db } from '../storage/db.js';

export const DEMO_ACCOUNT_NAME = 'Demo Zapier account';

export interface DemoCredentials {
  appId: string;
  appToken: string;
  /** kept: the saved token still works; created: a new account; regenerated: the saved token no longer matched. */
  how: 'kept' | 'created' | 'regenerated';
  /** Where the token is kept between starts; undefined for an in-memory database (nothing outlives the process). */
  file: string | undefined;
}

/** The demo account's App Token is kept beside the embedded database (./data by default), readable by its owner only. */
export const demoCredentialsFile = (sqlitePath: string) => (sqlitePath === ':memory:' ? undefined : join(dirname(sqlitePath), 'demo-credentials.json'));

function readSaved(file: string | undefined): { appId: string; appToken: string } | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { appId?: unknown; appToken?: unknown };
    return typeof saved.appId === 'string' && typeof saved.appToken === 'string' ? { appId: saved.appId, appToken: saved.appToken } : undefined;
  } catch {
    return undefined; // unreadable: treated as absent, and overwritten below
  }
}

function save(file: string, credentials: { appId: string; appToken: string }): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // `mode` only applies when the file is created
}

/**
 * The demo account's credentials, the same at every start: only the token's hash is in the
 * database, so the token itself is kept in `file` and reused while its hash still matches.
 * Otherwise (first start, the token was regenerated on the admin page, the account deleted)
 * the account's token is regenerated, or the account created, and the file rewritten.
 */
export async function demoAccountCredentials(db: Db, scope: AdminScope, file: string | undefined): Promise<DemoCredentials> {
  const saved = readSaved(file);
  const accounts = await db
    .selectFrom('zapier_accounts')
    .select(['app_id', 'token_hash'])
    .where('workspace_id', '=', scope.workspaceId)
    .where('name', '=', DEMO_ACCOUNT_NAME)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  const current = saved && accounts.find((row) => row.app_id === saved.appId && secretMatches(saved.appToken, row.token_hash));
  if (saved && current) return { ...saved, how: 'kept', file };

  const existing = accounts[0];
  const account = existing ? await regenerateAppToken(db, scope, existing.app_id) : await createZapierAccount(db, scope, DEMO_ACCOUNT_NAME);
  const credentials = { appId: account.appId, appToken: account.appToken };
  if (file) save(file, credentials);
  return { ...credentials, how: existing ? 'regenerated' : 'created', file };
}
