import { z } from 'zod';
import { kf5Channels, kf5Languages, kf5PriorityNames, kf5StatusNames, kf5TypeNames, ticketStatuses, ticketSourceTypes } from './enums.js';
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

/** A custom field's key: `field_` and its number, as KF5 names them (field_757). */
export const CustomFieldKey = z.string().regex(/^field_[1-9][0-9]{0,8}$/, 'must be field_ and a number, such as field_757');

const HelpdeskId = z.number().int().positive();

/**
 * The KF5 helpdesk fields of a ticket: what KF5 trigger rules read and set. The same ticket as
 * the LiveChat keys around it: `status` here is KF5's number (LiveChat's `status` is derived
 * from it: 0 and 1 are open, 2 pending, 3 and 4 solved, 4 is spam once marked spam), `group_id`
 * is `currentGroup.id` (null for the General group, KF5's empty group), `assignee_id` is the
 * assignee's user id, `tags` are the ticket's tags.
 */
export const Kf5TicketFields = z.object({
  status: z.number().int().min(0).max(4).describe('KF5 status: 0 new, 1 open, 2 pending, 3 solved, 4 closed'),
  status_name: z.enum(kf5StatusNames),
  type_id: z.number().int().min(0).max(3).nullable().describe('0 question, 1 incident, 2 problem, 3 task; null when not set'),
  type_name: z.enum(kf5TypeNames).nullable(),
  priority: z.number().int().min(0).max(3).nullable().describe('0 low, 1 normal, 2 high, 3 urgent; null when not set'),
  priority_name: z.enum(kf5PriorityNames).nullable(),
  group_id: HelpdeskId.nullable().describe('The current group; null for the General group'),
  requester_id: HelpdeskId.describe("The requester's user id"),
  assignee_id: HelpdeskId.nullable().describe("The assignee's user id"),
  source: z.enum(kf5Channels).describe('Where the ticket came from, as KF5 names it'),
  recipient: z.string().nullable().describe('The support address the request was sent to'),
  score: z.number().int().min(1).max(5).nullable().describe('Satisfaction, 1 (unsatisfied) to 5 (very satisfied)'),
  description: z.string().describe('The first message of the ticket'),
  organization_id: HelpdeskId.nullable().describe("The requester's organization"),
  language: z.enum(kf5Languages).nullable().describe("The requester's language"),
  fields: z.record(z.string(), z.string()).meta({ title: 'Custom Fields', description: 'Custom field values by key, e.g. {"field_757": "99"}' }),
  ccs: z.array(HelpdeskId).describe('User ids copied on the ticket'),
  push_count: z.number().int().min(0).describe('How often the requester urged the ticket (KF5 催单)'),
});
export type Kf5TicketFields = z.infer<typeof Kf5TicketFields>;

/** KF5 fields a request may set on a ticket. */
const Kf5TicketInput = z
  .object({
    status: z.number().int().min(0).max(4),
    type_id: z.number().int().min(0).max(3).nullable(),
    priority: z.number().int().min(0).max(3).nullable(),
    source: z.enum(kf5Channels),
    recipient: z.email('must be an email address').nullable(),
    score: z.number().int().min(1).max(5).nullable(),
    fields: z.record(CustomFieldKey, z.string().trim().max(1000).nullable()).describe('Custom field values; null clears one'),
    ccs: z.array(HelpdeskId).max(50).describe('User ids copied on the ticket (replaces the list)'),
  })
  .partial()
  .strict();

/** The requester's organization and language, kept with the requester and copied onto their tickets. */
const requesterProfile = {
  organization_id: HelpdeskId.nullable().optional(),
  language: z.enum(kf5Languages).nullable().optional(),
};

/** A LiveChat-style ticket (the seed's TicketResponse), plus `modified`, `link` and its KF5 fields. */
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
  kf5: Kf5TicketFields,
});
export type Ticket = z.infer<typeof Ticket>;

const sourceUrlRule = <T extends { type?: string; url?: string }>(t: T) => !t.url || t.type === 'chat-window';

/** The seed's "create ticket" parameters: `message` and the requester's email are required. */
export const CreateTicketBody = z
  .object({
    message: z.string().trim().min(1, 'must not be empty').max(20000),
    requester: z.object({ mail: z.email('must be an email address'), name: z.string().trim().max(200).optional(), ...requesterProfile }),
    subject: z.string().trim().max(300).optional(),
    assignee: z.object({ id: Id }).optional(),
    source: z.object({ type: TicketSourceType.default('agent-app-manual'), url: z.url().optional() }).optional(),
    groupId: z.number().int().nonnegative().optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
    kf5: Kf5TicketInput.optional(),
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
    is_private: z.boolean().optional().describe('The message is an internal note (a private comment)'),
    requester: z.object({ mail: z.email('must be an email address').optional(), name: z.string().trim().max(200).optional(), ...requesterProfile }).optional(),
    subject: z.string().trim().max(300).optional(),
    assignee: z.object({ id: Id }).nullable().optional(),
    source: z.object({ type: TicketSourceType.optional(), url: z.url().optional() }).optional(),
    status: TicketStatus.optional(),
    groupId: z.number().int().nonnegative().optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
    kf5: Kf5TicketInput.optional(),
  })
  .strict()
  .refine((t) => Object.keys(t).length > 0, { message: 'give at least one field to change' })
  .refine((t) => t.is_private === undefined || t.message !== undefined, { message: 'applies only together with a message', path: ['is_private'] });

/** Filters of List Tickets (each optional; together they all apply). */
export const FindTicketQuery = z
  .object({
    id: Id,
    requesterEmail: z.string().trim().min(1).max(254),
    status: TicketStatus,
    assignee: z.string().trim().min(1).max(254).describe("The assignee's login (email), any case"),
    groupId: z.coerce.number().int().nonnegative().describe('The current group'),
    tag: z.string().trim().min(1).max(64).describe('Tickets carrying this tag (any case)'),
    createdSince: IsoDateTime.describe('Tickets created at or after this time'),
    updatedSince: IsoDateTime.describe('Tickets changed at or after this time'),
  })
  .partial();
