import { MAX_SUPPORT_EXPORT_URLS, type SupportExportUrl, type SupportExportUrlWithSecret } from '../../../contract/index.js';
import type { AdminScope } from '../accounts/zapier-accounts.js';
import { hashSecret, sameHash } from '../accounts/secrets.js';
import { ApiFailure, notFound } from '../errors.js';
import { newId, randomSecret } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { SupportExportUrlTable } from '../storage/schema.js';
import { lockWorkspace } from '../workspace.js';

/**
 * The secret export URLs. Ferndesk sends no credentials, so the URL is the credential:
 * `<Base URL>/support-endpoint/<secret>.json`. The secret is 32 random bytes behind a prefix
 * (recognisable in leaked-secret scans), shown once; only its sha256 is stored, looked up by
 * that hash and compared in constant time. Rotating replaces the hash (the old URL stops at
 * once); deleting removes the row. No trace of an old secret is kept, so an old URL is
 * answered exactly like one that never existed.
 */

export const EXPORT_PATH_PREFIX = '/support-endpoint/';
export const newExportSecret = () => `ccx_${randomSecret(32)}`;

export const exportUrlFor = (baseUrl: string, secret: string) => `${baseUrl}${EXPORT_PATH_PREFIX}${secret}.json`;
const maskedUrlFor = (baseUrl: string, last4: string) => `${baseUrl}${EXPORT_PATH_PREFIX}ccx_…${last4}.json`;

const toExportUrl = (row: SupportExportUrlTable, baseUrl: string): SupportExportUrl => ({
  id: row.id,
  name: row.name,
  maskedUrl: maskedUrlFor(baseUrl, row.secret_last4),
  createdAt: row.created_at,
  rotatedAt: row.rotated_at,
  lastUsedAt: row.last_used_at,
});

const secretColumns = (secret: string) => ({ secret_hash: hashSecret(secret), secret_last4: secret.slice(-4) });

async function exportUrlRow(db: Db, scope: AdminScope, id: string): Promise<SupportExportUrlTable> {
  const row = await db.selectFrom('support_export_urls').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('export URL', id);
  return row;
}

export async function listExportUrls(db: Db, scope: AdminScope): Promise<SupportExportUrl[]> {
  const rows = await db
    .selectFrom('support_export_urls')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => toExportUrl(row, scope.baseUrl));
}

export async function createExportUrl(db: Db, scope: AdminScope, name: string): Promise<SupportExportUrlWithSecret> {
  return db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, scope.workspaceId);
    const { n } = await trx
      .selectFrom('support_export_urls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', scope.workspaceId)
      .executeTakeFirstOrThrow();
    if (Number(n) >= MAX_SUPPORT_EXPORT_URLS) {
      throw new ApiFailure(
        409,
        'limit_reached',
        `This workspace already has ${MAX_SUPPORT_EXPORT_URLS} export URLs, the most it may have; delete one it no longer needs first.`,
      );
    }
    const secret = newExportSecret();
    const row: SupportExportUrlTable = {
      id: newId('sxu'),
      workspace_id: scope.workspaceId,
      name,
      ...secretColumns(secret),
      created_at: new Date().toISOString(),
      rotated_at: null,
      last_used_at: null,
    };
    await trx.insertInto('support_export_urls').values(row).execute();
    return { ...toExportUrl(row, scope.baseUrl), url: exportUrlFor(scope.baseUrl, secret) };
  });
}

/** A new secret; the old URL stops at once (every export looks its secret up; nothing is cached). */
export async function rotateExportUrl(db: Db, scope: AdminScope, id: string): Promise<SupportExportUrlWithSecret> {
  const row = await exportUrlRow(db, scope, id);
  const secret = newExportSecret();
  const updated: SupportExportUrlTable = { ...row, ...secretColumns(secret), rotated_at: new Date().toISOString() };
  const result = await db
    .updateTable('support_export_urls')
    .set({ secret_hash: updated.secret_hash, secret_last4: updated.secret_last4, rotated_at: updated.rotated_at })
    .where('id', '=', id)
    // Two rotations racing: only the one that saw the current secret wins; the other is told so.
    .where('secret_hash', '=', row.secret_hash)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new ApiFailure(409, 'conflict', 'The export URL was rotated or deleted at the same moment by another request; list the URLs and try again.');
  return { ...toExportUrl(updated, scope.baseUrl), url: exportUrlFor(scope.baseUrl, secret) };
}

export async function deleteExportUrl(db: Db, scope: AdminScope, id: string): Promise<SupportExportUrl> {
  const row = await exportUrlRow(db, scope, id);
  await db.deleteFrom('support_export_urls').where('id', '=', id).execute();
  return toExportUrl(row, scope.baseUrl);
}

/** What a hash of nothing is compared with when no row matched, so a miss does the same work as a hit. */
const NO_MATCH = hashSecret('no export URL has this secret');

/**
 * The export URL a presented secret belongs to, or null. The same steps whatever is presented
 * (hash, one indexed lookup by the hash, one constant-time comparison): a near miss takes no
 * longer or shorter than a wild guess, and an existing URL cannot be told from a missing one.
 */
export async function exportUrlBySecret(db: Db, presented: string): Promise<{ id: string; workspaceId: string } | null> {
  const presentedHash = hashSecret(presented);
  const row = await db
    .selectFrom('support_export_urls')
    .select(['id', 'workspace_id', 'secret_hash'])
    .where('secret_hash', '=', presentedHash)
    .executeTakeFirst();
  const matches = sameHash(presentedHash, row?.secret_hash ?? NO_MATCH);
  return matches && row ? { id: row.id, workspaceId: row.workspace_id } : null;
}

export async function markExportUrlUsed(db: Db, id: string, at = new Date().toISOString()): Promise<void> {
  await db.updateTable('support_export_urls').set({ last_used_at: at }).where('id', '=', id).execute();
}
