import { MAX_ZAPIER_ACCOUNTS, type ZapierAccount, type ZapierAccountWithToken } from '../../../contract/index.js';
import { endAccountSubscriptions } from '../delivery/store.js';
import { ApiFailure, conflict, notFound } from '../errors.js';
import type { AccountContext } from '../http/request-context.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { ZapierAccountTable } from '../storage/schema.js';
import { lockWorkspace } from '../workspace.js';
import { hashSecret, newAppToken, sameHash } from './secrets.js';

/** Who the admin API acts for: one workspace, and the Base URL the accounts report. */
export interface AdminScope {
  workspaceId: string;
  baseUrl: string;
}

const toAccount = (row: ZapierAccountTable, baseUrl: string): ZapierAccount => ({
  appId: row.app_id,
  name: row.name,
  baseUrl,
  createdAt: row.created_at,
  tokenRegeneratedAt: row.token_regenerated_at,
});

async function liveAccountRow(db: Db, scope: AdminScope, appId: string): Promise<ZapierAccountTable> {
  const row = await db
    .selectFrom('zapier_accounts')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .where('app_id', '=', appId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('Zapier account', appId, 'App ID');
  return row;
}

export async function listZapierAccounts(db: Db, scope: AdminScope): Promise<ZapierAccount[]> {
  const rows = await db
    .selectFrom('zapier_accounts')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('app_id', 'desc')
    .execute();
  return rows.map((row) => toAccount(row, scope.baseUrl));
}

/** Adds an account: a new App ID and App Token. The token is returned this once and only its hash is kept. */
export async function createZapierAccount(db: Db, scope: AdminScope, name: string): Promise<ZapierAccountWithToken> {
  return db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, scope.workspaceId);
    const { live } = await trx
      .selectFrom('zapier_accounts')
      .select((eb) => eb.fn.countAll<number>().as('live'))
      .where('workspace_id', '=', scope.workspaceId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(live) >= MAX_ZAPIER_ACCOUNTS) {
      throw new ApiFailure(
        409,
        'limit_reached',
        `This workspace already has ${MAX_ZAPIER_ACCOUNTS} Zapier accounts, the most it may have; delete one first, then add the new one.`,
      );
    }
    const appToken = newAppToken();
    const row: ZapierAccountTable = {
      app_id: newId('app'),
      workspace_id: scope.workspaceId,
      name,
      token_hash: hashSecret(appToken),
      previous_token_hash: null,
      created_at: new Date().toISOString(),
      token_regenerated_at: null,
      deleted_at: null,
    };
    await trx.insertInto('zapier_accounts').values(row).execute();
    return { ...toAccount(row, scope.baseUrl), appToken };
  });
}

export async function renameZapierAccount(db: Db, scope: AdminScope, appId: string, name: string): Promise<ZapierAccount> {
  const row = await liveAccountRow(db, scope, appId);
  await db.updateTable('zapier_accounts').set({ name }).where('app_id', '=', appId).execute();
  return toAccount({ ...row, name }, scope.baseUrl);
}

/**
 * A new App Token; the old one stops at once (authentication reads the hash on every call,
 * nothing is cached). Its hash is kept only to answer "revoked" rather than "unknown".
 * In the same transaction every live subscription of the account ends and its pending
 * deliveries are cancelled: they were all made with an older token, which may have leaked, so
 * its REST hooks must stop with it. A Zap subscribes again (with the new token) when its owner
 * reconnects and turns it off and on.
 */
export async function regenerateAppToken(db: Db, scope: AdminScope, appId: string): Promise<ZapierAccountWithToken> {
  return db.transaction().execute(async (trx) => {
    const row = await liveAccountRow(trx, scope, appId);
    const appToken = newAppToken();
    const updated: ZapierAccountTable = {
      ...row,
      token_hash: hashSecret(appToken),
      previous_token_hash: row.token_hash,
      token_regenerated_at: new Date().toISOString(),
    };
    // The account's row first, then its subscriptions, then their deliveries: the order deletion takes them in.
    const changed = await trx
      .updateTable('zapier_accounts')
      .set({ token_hash: updated.token_hash, previous_token_hash: updated.previous_token_hash, token_regenerated_at: updated.token_regenerated_at })
      .where('app_id', '=', appId)
      // Two regenerations racing: only the one that saw the current hash wins.
      .where('token_hash', '=', row.token_hash)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) {
      throw conflict(
        `The App Token of Zapier account ${appId} was changed by another request at the same moment; regenerate it again to get a token that works.`,
      );
    }
    await endAccountSubscriptions(trx, appId, 'token_regenerated', 'App Token regenerated');
    return { ...toAccount(updated, scope.baseUrl), appToken };
  });
}

/**
 * Deletes an account: its App ID stops working, its subscriptions end and their pending
 * deliveries are cancelled, all in one transaction. The row stays as a tombstone so the App ID
 * answers "revoked" (Zapier then asks the user to reconnect) instead of "unknown".
 */
export async function deleteZapierAccount(db: Db, scope: AdminScope, appId: string): Promise<ZapierAccount> {
  return db.transaction().execute(async (trx) => {
    const row = await liveAccountRow(trx, scope, appId);
    const now = new Date().toISOString();
    await trx.updateTable('zapier_accounts').set({ deleted_at: now }).where('app_id', '=', appId).execute();
    await endAccountSubscriptions(trx, appId, 'account_deleted', 'the Zapier account was deleted');
    return toAccount(row, scope.baseUrl);
  });
}

export type CredentialCheck = { ok: true; account: AccountContext } | { ok: false; code: 'unauthenticated' | 'credentials_revoked'; message: string };

const unknownCredentials: CredentialCheck = {
  ok: false,
  code: 'unauthenticated',
  message: 'This App ID and App Token do not match a Zapier account of the contact centre.',
};

/**
 * Checks an App ID and App Token against the database, on every call: a regenerated or
 * deleted account stops working at once. Hashes are compared in constant time.
 */
export async function verifyAppCredentials(db: Db, appId: string, appToken: string): Promise<CredentialCheck> {
  const row = await db
    .selectFrom('zapier_accounts')
    .innerJoin('workspaces', 'workspaces.id', 'zapier_accounts.workspace_id')
    .select([
      'zapier_accounts.app_id',
      'zapier_accounts.workspace_id',
      'zapier_accounts.name',
      'zapier_accounts.token_hash',
      'zapier_accounts.previous_token_hash',
      'zapier_accounts.deleted_at',
      'workspaces.name as workspace_name',
    ])
    .where('zapier_accounts.app_id', '=', appId)
    .executeTakeFirst();
  const presented = hashSecret(appToken);
  if (!row) return unknownCredentials;
  const current = sameHash(presented, row.token_hash);
  const previous = sameHash(presented, row.previous_token_hash);
  // What became of an account is told only to a caller holding one of its tokens: to anyone
  // else a deleted or regenerated App ID looks like one that never existed.
  if (row.deleted_at && (current || previous)) {
    return {
      ok: false,
      code: 'credentials_revoked',
      message: 'This Zapier account was deleted in the contact centre; its App ID and App Token no longer work.',
    };
  }
  if (row.deleted_at) return unknownCredentials;
  if (current) {
    return {
      ok: true,
      account: { appId: row.app_id, workspaceId: row.workspace_id, name: row.name, workspaceName: row.workspace_name, tokenHash: row.token_hash },
    };
  }
  if (previous) {
    return { ok: false, code: 'credentials_revoked', message: 'This App Token was regenerated in the contact centre and no longer works; use the new one.' };
  }
  return unknownCredentials;
}
