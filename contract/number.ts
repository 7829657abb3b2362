import { z } from 'zod';
import { numberTypes } from './enums.js';
import { Id } from './common.js';

/** Kinds of service number: direct lines, toll-free, mobile (SMS-capable) and alphanumeric sender ids. */
export const NumberType = z.enum(numberTypes);

/** A service number, with the seed's keys (`ServiceID`, `Number`, `type`). */
export const ServiceNumber = z.object({
  id: Id,
  ServiceID: z.string(),
  Number: z.string(),
  type: NumberType,
  label: z.string().describe('What the number is for, e.g. "Hong Kong hotline"'),
  smsCapable: z.boolean(),
});
export type ServiceNumber = z.infer<typeof ServiceNumber>;

export const ListNumbersQuery = z.object({ numberType: NumberType.optional() });
