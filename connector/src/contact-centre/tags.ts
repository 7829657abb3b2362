import type { z } from 'zod';
import type { CreateTagBody, Tag, UpdateTagBody } from '../../../contract/index.js';
import { recordEvent } from '../events/outbox.js';
import { conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { TagTable } from '../storage/schema.js';
import { readPage, type Keyset, type Page, type PageRequest } from './paging.js';
import type { Scope } from './scope.js';
import { nowIso } from '../storage/documents.js';
import { inTransaction } from '../storage/transactions.js';

const toTag = (row: TagTable): Tag => ({ id: row.id, name: row.name, colorCode: row.color_code, createdAt: row.created_at, updatedAt: row.updated_at });

/** Tag names are compared without regard to case: "VIP" and "vip" are the same tag. */
const nameKey = (name: string) => name.trim().toLowerCase();

/** Newest first; renaming a tag does not move it. */
const tagOrder: Keyset<TagTable> = {
  list: 'tags',
  columns: [
    { column: 'created_at', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
};

export async function listTags(db: Db, scope: Scope, page: PageRequest): Promise<Page<Tag>> {
  return readPage(db.selectFrom('tags').selectAll().where('workspace_id', '=', scope.workspaceId), tagOrder, page, { toItem: toTag });
}

export async function tagRow(db: Db, scope: Scope, id: string): Promise<TagTable> {
  const row = await db.selectFrom('tags').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('tag', id);
  return row;
}

async function assertNameFree(trx: Db, scope: Scope, name: string, exceptId?: string) {
  let query = trx.selectFrom('tags').select(['id', 'name']).where('workspace_id', '=', scope.workspaceId).where('name_key', '=', nameKey(name));
  if (exceptId) query = query.where('id', '!=', exceptId);
  const clash = await query.executeTakeFirst();
  if (clash) throw conflict(`A tag named "${clash.name}" already exists (${clash.id}); choose another name or update that tag.`);
}

export async function createTag(db: Db, scope: Scope, input: z.output<typeof CreateTagBody>): Promise<Tag> {
  return inTransaction(db, async (trx) => {
    await assertNameFree(trx, scope, input.name);
    const now = nowIso();
    const row: TagTable = {
      id: newId('tag'),
      workspace_id: scope.workspaceId,
      name: input.name,
      name_key: nameKey(input.name),
      color_code: input.colorCode,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('tags').values(row).execute();
    const tag = toTag(row);
    await recordEvent(trx, scope.workspaceId, 'tag.created', (meta) => ({
      ...meta,
      event: 'tag.created',
      status: 'created',
      id: tag.id,
      name: tag.name,
      colorCode: tag.colorCode,
    }));
    return tag;
  });
}

/** Renames or recolours a tag; tag.updated lists what changed, and nothing is recorded when nothing did. */
export async function updateTag(db: Db, scope: Scope, id: string, input: z.output<typeof UpdateTagBody>): Promise<Tag> {
  return inTransaction(db, async (trx) => {
    const before = await tagRow(trx, scope, id);
    const changedFields: ('name' | 'colorCode')[] = [];
    if (input.name !== undefined && input.name !== before.name) changedFields.push('name');
    if (input.colorCode !== undefined && input.colorCode.toUpperCase() !== before.color_code.toUpperCase()) changedFields.push('colorCode');
    if (changedFields.length === 0) return toTag(before);
    if (input.name !== undefined) await assertNameFree(trx, scope, input.name, id);

    const after: TagTable = {
      ...before,
      name: input.name ?? before.name,
      name_key: nameKey(input.name ?? before.name),
      color_code: input.colorCode ?? before.color_code,
      updated_at: nowIso(),
    };
    await trx
      .updateTable('tags')
      .set({ name: after.name, name_key: after.name_key, color_code: after.color_code, updated_at: after.updated_at })
      .where('id', '=', id)
      .execute();
    const tag = toTag(after);
    await recordEvent(trx, scope.workspaceId, 'tag.updated', (meta) => ({
      ...meta,
      event: 'tag.updated',
      status: 'updated',
      id: tag.id,
      name: tag.name,
      colorCode: tag.colorCode,
      changedFields,
    }));
    return tag;
  });
}

export async function deleteTag(db: Db, scope: Scope, id: string): Promise<Tag> {
  return inTransaction(db, async (trx) => {
    const tag = toTag(await tagRow(trx, scope, id));
    await trx.deleteFrom('tags').where('id', '=', id).execute();
    await recordEvent(trx, scope.workspaceId, 'tag.deleted', (meta) => ({
      ...meta,
      event: 'tag.deleted',
      status: 'deleted',
      id: tag.id,
      name: tag.name,
      colorCode: tag.colorCode,
    }));
    return tag;
  });
}
