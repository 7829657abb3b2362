import { z } from 'zod';
import { smsStatuses } from './enums.js';
import { Id, IsoDateTime, MessageText } from './common.js';
import { NumberType } from './number.js';

/**
 * A phone number as typed ("+852 9123 4567", "(852) 9123-4567"): digits with spaces and
 * punctuation. The connector reads it (in its default region when it has no country code),
 * refuses what cannot be a number there, and keeps and answers it in E.164 ("+85291234567").
 */
export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{3,32}$/, 'must be a phone number such as +85291234567');

export const SendSmsBody = z
  .object({
    numberType: NumberType,
    senderNumber: z.string().trim().min(1, 'must not be empty').max(32),
    recipientNumber: PhoneNumber,
    text: MessageText.max(1600),
  })
  .strict();
export type SendSmsBody = z.infer<typeof SendSmsBody>;

export const SmsStatus = z.enum(smsStatuses);

/** The SMS as sent: the seed's response keys (`responseCode`, `exception`) and its transaction. */
export const SmsMessage = z.object({
  id: Id,
  transactionId: Id,
  numberType: NumberType,
  senderNumber: z.string(),
  recipientNumber: z.string(),
  recipientCountry: z.string().describe('ISO 3166 code of the recipient number, e.g. "HK"'),
  text: z.string(),
  status: SmsStatus,
  responseCode: z.string().describe('"0" when the provider accepted the message'),
  exception: z.string().nullable().describe('Why the provider refused or failed it'),
  provider: z.string().describe('"sandbox" when no real SMS provider is configured'),
  createdAt: IsoDateTime,
});
export type SmsMessage = z.infer<typeof SmsMessage>;

/** A delivery report from the provider (what "SMS Status Received" carries). */
export const SmsStatusReport = z.object({
  transactionId: Id,
  recipientNumber: z.string(),
  recipientCountry: z.string(),
  responseCode: z.string(),
  status: SmsStatus,
  exception: z.string().nullable(),
  reportedAt: IsoDateTime,
});
export type SmsStatusReport = z.infer<typeof SmsStatusReport>;
