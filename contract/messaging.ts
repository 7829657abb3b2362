import { z } from 'zod';
import { Id, IsoDateTime, MessageText } from './common.js';

export const Staff = z.object({
  id: Id,
  name: z.string(),
  email: z.email(),
  department: z.string(),
  role: z.enum(['admin', 'supervisor', 'staff']),
});
export type Staff = z.infer<typeof Staff>;

export const Room = z.object({
  id: Id,
  name: z.string(),
  memberCount: z.number().int().nonnegative(),
});
export type Room = z.infer<typeof Room>;

export const SendStaffMessageBody = z.object({ staff_id: Id, text: MessageText }).strict();
export const SendRoomMessageBody = z.object({ room_id: Id, text: MessageText }).strict();

/** An instant message as delivered; the seed's keys (`staff_id` or `room_id`, `text`) plus who and when. */
export const StaffMessage = z.object({
  id: Id,
  staff_id: Id,
  staffName: z.string(),
  text: z.string(),
  sentAt: IsoDateTime,
});
export type StaffMessage = z.infer<typeof StaffMessage>;

export const RoomMessage = z.object({
  id: Id,
  room_id: Id,
  roomName: z.string(),
  text: z.string(),
  sentAt: IsoDateTime,
});
export type RoomMessage = z.infer<typeof RoomMessage>;
