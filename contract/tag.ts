import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';

export const ColorCode = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'must be a colour such as #1E88E5');

export const Tag = z.object({
  id: Id,
  name: z.string(),
  colorCode: ColorCode,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Tag = z.infer<typeof Tag>;

export const CreateTagBody = z.object({ name: z.string().trim().min(1, 'must not be empty').max(64), colorCode: ColorCode }).strict();
export const UpdateTagBody = CreateTagBody.partial().refine((t) => Object.keys(t).length > 0, {
  message: 'give name or colorCode',
});
