import type { z } from 'zod';
import type { Room, RoomMessage, SendRoomMessageBody, SendStaffMessageBody, Staff, StaffMessage } from '../../../contract/index.js';
import { notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { RoomTable, StaffTable } from '../storage/schema.js';
import { readPage, type Keyset, type Page, type PageRequest } from './paging.js';
import type { Scope } from './scope.js';
import { nowIso } from '../storage/documents.js';

export const staffName = (row: Pick<StaffTable, 'first_name' | 'last_name'>) => `${row.first_name} ${row.last_name}`.trim();

export const toStaff = (row: StaffTable): Staff => ({
  id: row.id,
  name: staffName(row),
  email: row.email,
  department: row.department,
  role: row.role,
});

const staffOrder: Keyset<StaffTable> = {
  list: 'staff',
  columns: [
    { column: 'first_name', direction: 'asc' },
    { column: 'last_name', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
};

/** Staff members by name. */
export async function listStaff(db: Db, scope: Scope, page: PageRequest): Promise<Page<Staff>> {
  return readPage(db.selectFrom('staff').selectAll().where('workspace_id', '=', scope.workspaceId), staffOrder, page, { toItem: toStaff });
}

/** One staff member of the workspace, or 404 naming the id. */
export async function staffMember(db: Db, scope: Scope, id: string): Promise<StaffTable> {
  const row = await db.selectFrom('staff').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('staff member', id);
  return row;
}

/** Who owns new contacts when nobody says: the workspace's first staff member. */
export async function defaultOwner(db: Db, scope: Scope): Promise<StaffTable> {
  const row = await db
    .selectFrom('staff')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  // seedWorkspaceEssentials creates one with the workspace, so this only fails on a broken database.
  if (!row) throw new Error(`workspace ${scope.workspaceId} has no staff member`);
  return row;
}

const roomOrder: Keyset<RoomTable> = {
  list: 'rooms',
  columns: [
    { column: 'name', direction: 'asc' },
    { column: 'id', direction: 'asc' },
  ],
};

/** Group rooms by name. */
export async function listRooms(db: Db, scope: Scope, page: PageRequest): Promise<Page<Room>> {
  const rooms = db.selectFrom('rooms').selectAll().where('workspace_id', '=', scope.workspaceId);
  return readPage(rooms, roomOrder, page, { toItem: (row: RoomTable) => ({ id: row.id, name: row.name, memberCount: row.member_count }) });
}

export async function messageStaff(db: Db, scope: Scope, input: z.output<typeof SendStaffMessageBody>, appId: string | null = null): Promise<StaffMessage> {
  const staff = await staffMember(db, scope, input.staff_id);
  const message = { id: newId('im'), sentAt: nowIso() };
  await db
    .insertInto('instant_messages')
    .values({
      id: message.id,
      workspace_id: scope.workspaceId,
      app_id: appId,
      recipient_kind: 'staff',
      recipient_id: staff.id,
      text: input.text,
      sent_at: message.sentAt,
    })
    .execute();
  return { id: message.id, staff_id: staff.id, staffName: staffName(staff), text: input.text, sentAt: message.sentAt };
}

export async function messageRoom(db: Db, scope: Scope, input: z.output<typeof SendRoomMessageBody>, appId: string | null = null): Promise<RoomMessage> {
  const room = await db.selectFrom('rooms').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', input.room_id).executeTakeFirst();
  if (!room) throw notFound('room', input.room_id);
  const message = { id: newId('im'), sentAt: nowIso() };
  await db
    .insertInto('instant_messages')
    .values({
      id: message.id,
      workspace_id: scope.workspaceId,
      app_id: appId,
      recipient_kind: 'room',
      recipient_id: room.id,
      text: input.text,
      sent_at: message.sentAt,
    })
    .execute();
  return { id: message.id, room_id: room.id, roomName: room.name, text: input.text, sentAt: message.sentAt };
}
