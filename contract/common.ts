import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging.js';

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

/** The query of every paged list endpoint (see paging.ts): where to go on, and how many. */
export const PageQuery = z.object({
  cursor: z.string().min(1).max(1000).optional().describe('The nextCursor of the previous page, unchanged; leave it out for the first page'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`Records per page, 1 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when not given`),
});

/** A paged list endpoint answers one page of `data` and where the next one starts. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass it as `cursor` to get the next page; null on the last page'),
  });

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
