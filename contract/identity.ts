import { z } from 'zod';
import { Id } from './common.js';

/** `GET /v1/me`: who the credentials belong to; the connection label is built from it. */
export const Me = z.object({
  account: z.object({ id: Id.describe('The App ID'), name: z.string().describe('The Zapier account name') }),
  workspace: z.object({ id: Id, name: z.string() }),
  rateLimit: z.object({ limit: z.number().int().positive(), windowSeconds: z.number().int().positive() }),
});
export type Me = z.infer<typeof Me>;
