import { z } from 'zod';
import { Id, IsoDateTime, MessageText } from './common.js';
import { NumberType } from './number.js';

export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an international number such as +85291234567');

export const SendSmsBody = z
  .object({
    numberType: NumberType,
    senderNumber: z.string().trim().min(1, 'must not be empty').max(32),
    recipientNumber: PhoneNumber,
    text: MessageText.max(1600),
  })
  .strict();
export type SendSmsBody = z.infer<typeof SendSmsBody>;

export const smsStatuses = ['queued', 'sent', 'delivered', 'failed', 'undelivered'] as const;
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

export const smsSample: SmsMessage = {
  id: 'sms_9TnA42',
  transactionId: 'sms_9TnA42',
  numberType: 'mobile',
  senderNumber: '+85264501234',
  recipientNumber: '+85291234567',
  recipientCountry: 'HK',
  text: 'Your order #A-1042 is out for delivery today.',
  status: 'queued',
  responseCode: '0',
  exception: null,
  provider: 'sandbox',
  createdAt: '2026-11-20T10:02:11.000Z',
};
