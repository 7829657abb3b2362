import { z } from 'zod';
import { errorCodes } from './enums.js';

/** An ISO-8601 date-time that always carries its zone ("2026-11-21T09:30:00.000Z" or "+08:00"). */
export const IsoDateTime = z.iso.datetime({ offset: true });

/** A calendar date, as contact birthdays are kept ("1990-04-18"). */
export const IsoDate = z.iso.date();

/** A record's link in the contact centre's web console. */
export const RecordLink = z.url().describe('Link to the record in the contact centre');

/** Ids travel as strings: Zapier needs string ids, and they never change format once shipped. */
export const Id = z.string().min(1).max(128);

/** Something referred to by id, always with a human name beside it. */
export const NamedRef = z.object({ id: Id, name: z.string() });

/** Every list endpoint answers `{ data: [...] }`, newest first. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

/** Texts sent to people (SMS, instant messages): non-empty, bounded. */
export const MessageText = z.string().trim().min(1, 'must not be empty').max(4000);

/** Every error the connector returns has this body. */
export const ApiError = z.object({
  error: z.object({
    code: z.string().describe('Machine-readable error code, e.g. "validation_failed"'),
    message: z.string().describe('A sentence a person can act on'),
    details: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per offending field, by its path in the request'),
    requestId: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

