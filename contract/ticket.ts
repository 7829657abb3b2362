import { z } from 'zod';
import { ticketStatuses, ticketSourceTypes } from './enums.js';
import { Id, IsoDateTime, RecordLink } from './common.js';

export const TicketStatus = z.enum(ticketStatuses);

export const TicketSourceType = z.enum(ticketSourceTypes);

export const Group = z.object({ id: z.number().int().nonnegative(), name: z.string() });
export type Group = z.infer<typeof Group>;

export const TicketEvent = z.object({
  author: z.object({ id: Id, name: z.string(), type: z.enum(['agent', 'client']) }),
  date: IsoDateTime,
  is_private: z.boolean(),
  message: z.string(),
  source: z.object({ type: TicketSourceType, url: z.url().nullable() }),
  type: z.string().describe('What the event is, e.g. "message" or "status_changed"'),
});

/** A LiveChat-style ticket (the seed's TicketResponse), plus `modified` and `link`. */
export const Ticket = z.object({
  id: Id,
  date: IsoDateTime,
  modified: IsoDateTime,
  status: TicketStatus,
  subject: z.string(),
  requester: z.object({ mail: z.email(), name: z.string(), ip: z.string().nullable() }),
  source: z.object({ id: Id, type: TicketSourceType, url: z.url().nullable() }),
  assignee: z.object({ id: Id, name: z.string() }).nullable(),
  currentGroup: Group,
  groups: z.array(Group),
  events: z.array(TicketEvent),
  tags: z.array(z.string()),
  link: RecordLink,
});
export type Ticket = z.infer<typeof Ticket>;

const sourceUrlRule = <T extends { type?: string; url?: string }>(t: T) => !t.url || t.type === 'chat-window';

/** The seed's "create ticket" parameters: `message` and the requester's email are required. */
export const CreateTicketBody = z
  .object({
    message: z.string().trim().min(1, 'must not be empty').max(20000),
    requester: z.object({ mail: z.email('must be an email address'), name: z.string().trim().max(200).optional() }),
    subject: z.string().trim().max(300).optional(),
    assignee: z.object({ id: Id }).optional(),
    source: z.object({ type: TicketSourceType.default('agent-app-manual'), url: z.url().optional() }).optional(),
    groupId: z.number().int().nonnegative().optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  })
  .strict()
  .refine((t) => !t.source || sourceUrlRule(t.source), {
    message: 'is only allowed when the source type is chat-window',
    path: ['source', 'url'],
  });

/** The seed's "update ticket" parameters, plus the status a person would want to set. */
export const UpdateTicketBody = z
  .object({
    message: z.string().trim().min(1).max(20000).optional(),
    requester: z.object({ mail: z.email('must be an email address').optional(), name: z.string().trim().max(200).optional() }).optional(),
    subject: z.string().trim().max(300).optional(),
    assignee: z.object({ id: Id }).nullable().optional(),
    source: z.object({ type: TicketSourceType.optional(), url: z.url().optional() }).optional(),
    status: TicketStatus.optional(),
    groupId: z.number().int().nonnegative().optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  })
  .strict()
  .refine((t) => Object.keys(t).length > 0, { message: 'give at least one field to change' });

export const FindTicketQuery = z
  .object({ id: Id, requesterEmail: z.string().trim().min(1).max(254), status: TicketStatus })
  .partial();
