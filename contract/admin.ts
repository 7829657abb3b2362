import { z } from 'zod';
import type { Endpoint } from './api.js';
import { Id, IsoDateTime, listOf } from './common.js';
import { adminRoutes } from './routes.js';

/** The CINNOX admin flow: a Zapier account is a named App ID / App Token pair (at most MAX_ZAPIER_ACCOUNTS). */
const AccountName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

export const ZapierAccount = z.object({
  appId: Id,
  name: AccountName,
  baseUrl: z.url(),
  createdAt: IsoDateTime,
  tokenRegeneratedAt: IsoDateTime.nullable(),
});
export type ZapierAccount = z.infer<typeof ZapierAccount>;

/** Adding an account or regenerating its token is the only time the App Token is shown. */
export const ZapierAccountWithToken = ZapierAccount.extend({ appToken: z.string().min(43) });
export type ZapierAccountWithToken = z.infer<typeof ZapierAccountWithToken>;

export const CreateZapierAccountBody = z.object({ name: AccountName }).strict();
export const RenameZapierAccountBody = z.object({ name: AccountName }).strict();

const byAppId = z.object({ appId: Id });

/** The CINNOX admin flow: add, list, rename, regenerate the token of, and delete Zapier accounts. */
export const zapierAccountAdminApi = {
  listZapierAccounts: { ...adminRoutes.listZapierAccounts, response: listOf(ZapierAccount) },
  createZapierAccount: { ...adminRoutes.createZapierAccount, body: CreateZapierAccountBody, response: ZapierAccountWithToken },
  renameZapierAccount: { ...adminRoutes.renameZapierAccount, params: byAppId, body: RenameZapierAccountBody, response: ZapierAccount },
  regenerateZapierAccountToken: { ...adminRoutes.regenerateZapierAccountToken, params: byAppId, response: ZapierAccountWithToken },
  deleteZapierAccount: { ...adminRoutes.deleteZapierAccount, params: byAppId, response: ZapierAccount },
} as const satisfies Record<string, Endpoint>;
