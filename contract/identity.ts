import { z } from 'zod';
import { Id } from './common.js';

/** `GET /v1/me`: who the credentials belong to; the connection label is built from it. */
export const Me = z.object({
  account: z.object({ id: Id.describe('The App ID'), name: z.string().describe('The Zapier account name') }),
  workspace: z.object({ id: Id, name: z.string() }),
  rateLimit: z.object({ limit: z.number().int().positive(), windowSeconds: z.number().int().positive() }),
});
export type Me = z.infer<typeof Me>;

export const meSample: Me = {
  account: { id: 'app_2f9c1d7e', name: 'Marketing Zaps' },
  workspace: { id: 'ws_acme', name: 'Acme Contact Centre' },
  rateLimit: { limit: 100, windowSeconds: 60 },
};
