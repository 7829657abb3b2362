import type { z } from 'zod';
import type { Agent, CreateTicketBody, FindTicketQuery, Ticket, UpdateTicketBody } from '../../../contract/index.js';
import { recordEvent } from '../events/outbox.js';
import { conflict, invalidField, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import { ticketLastMessageAt } from './conversation-messages.js';
import { runRules, type TicketChange } from './ticket-rules.js';
import type { Actor } from '../rules/types.js';
import { agentByLogin, groupsByIds } from './agents.js';
import { GENERAL_GROUP } from './essentials.js';
import { ensureUser } from './helpdesk-users.js';
import type { TicketTable } from '../storage/schema.js';
import { readPage, type Keyset, type Page, type PageRequest } from './paging.js';
import type { Scope } from './scope.js';
import { fromDocument, nowIso, toDocument } from '../storage/documents.js';
import { inTransaction, nextInSequence } from '../storage/transactions.js';
import { channelFor, kf5StatusFor, liveChatStatusFor, toTicket, type StoredTicket } from './ticket-kf5.js';

export { toTicket, type StoredTicket } from './ticket-kf5.js';

type TicketEvent = Ticket['events'][number];

/** Ticket ids look like LiveChat's: "TKT-1001", numbered per workspace. */
const FIRST_TICKET_NUMBER = 1001;
/** Statuses in which a ticket still needs someone: deleting its agent unassigns it. */
const OPEN_STATUSES = ['open', 'pending'] as const;

/** Who calls through the API: a Zapier account (by its name). Changes it makes without a person behind them are an agent's. */
export interface ApiCaller {
  name: string;
}

/** The subject when none is given: the message's first line, shortened. */
const subjectFrom = (message: string) => {
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  return firstLine.length > 80 ? `${firstLine.slice(0, 77)}...` : firstLine;
};

/** The source URL belongs to chat-window sources only (LiveChat's rule). */
function checkSourceUrl(source: StoredTicket['source']): void {
  if (source.url && source.type !== 'chat-window') throw invalidField('source.url', 'is only allowed when the source type is chat-window');
}

async function storedTicket(db: Db, scope: Scope, id: string): Promise<StoredTicket> {
  const row = await db.selectFrom('tickets').select('document').where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('ticket', id);
  return fromDocument<StoredTicket>(row.document);
}

async function saveTicket(trx: Db, scope: Scope, ticket: StoredTicket): Promise<void> {
  await trx
    .updateTable('tickets')
    .set({
      status: ticket.status,
      requester_mail_key: ticket.requester.mail.toLowerCase(),
      assignee_login: ticket.assignee?.id ?? null,
      document: toDocument(ticket),
      modified_at: ticket.modified,
      last_message_at: ticketLastMessageAt(ticket),
    })
    .where('workspace_id', '=', scope.workspaceId)
    .where('id', '=', ticket.id)
    .execute();
}

const messageEvent = (ticket: StoredTicket, author: TicketEvent['author'], message: string, date: string, isPrivate = false): TicketEvent => ({
  author,
  date,
  is_private: isPrivate,
  message,
  source: { type: ticket.source.type, url: ticket.source.url },
  type: 'message',
});

// ---- who made the change: "the current user" of trigger rules ----

const requesterActor = (ticket: StoredTicket): Actor => ({
  kind: 'enduser',
  userId: ticket.kf5.requester_id,
  name: ticket.requester.name,
  email: ticket.requester.mail,
});
const agentActor = (agent: Agent): Actor => ({
  kind: 'agent',
  userId: agent.user_id,
  name: agent.name,
  email: agent.login,
  groupIds: agent.groups.map((g) => g.id),
});
const apiActor = (caller: ApiCaller | undefined): Actor => ({ kind: 'agent', userId: null, name: caller?.name ?? 'the API', email: null, groupIds: [] });
const SYSTEM: Actor = { kind: 'system', name: 'the connector' };

export async function getTicket(db: Db, scope: Scope, id: string): Promise<Ticket> {
  return toTicket(scope, await storedTicket(db, scope, id));
}

const ticketOrder: Keyset<Pick<TicketTable, 'document' | 'created_at' | 'id'>> = {
  list: 'tickets',
  columns: [
    { column: 'created_at', direction: 'desc' },
    { column: 'id', direction: 'desc' },
  ],
};

/** Stored times are UTC ISO strings; a filter time with any zone is compared as one. */
const utc = (iso: string) => new Date(iso).toISOString();

/** The filters kept inside the ticket's document: its current group and its tags (any case). */
function ticketFilter(query: z.output<typeof FindTicketQuery>): ((ticket: StoredTicket) => boolean) | undefined {
  const tag = query.tag?.toLowerCase();
  const checks = [
    query.groupId !== undefined ? (t: StoredTicket) => t.currentGroup.id === query.groupId : null,
    tag ? (t: StoredTicket) => t.tags.some((own) => own.toLowerCase() === tag) : null,
  ].filter((check) => check !== null);
  return checks.length > 0 ? (t) => checks.every((check) => check(t)) : undefined;
}

/** Tickets, newest first, a page at a time, by any of the filters of FindTicketQuery (all apply). */
export async function listTickets(db: Db, scope: Scope, query: z.output<typeof FindTicketQuery>, page: PageRequest): Promise<Page<Ticket>> {
  let select = db.selectFrom('tickets').select(['document', 'created_at', 'id']).where('workspace_id', '=', scope.workspaceId);
  if (query.id) select = select.where('id', '=', query.id);
  if (query.requesterEmail) select = select.where('requester_mail_key', '=', query.requesterEmail.toLowerCase());
  if (query.status) select = select.where('status', '=', query.status);
  if (query.assignee) select = select.where('assignee_login', '=', query.assignee.toLowerCase());
  if (query.createdSince) select = select.where('created_at', '>=', utc(query.createdSince));
  if (query.updatedSince) select = select.where('modified_at', '>=', utc(query.updatedSince));
  const keep = ticketFilter(query);
  const found = await readPage(select, ticketOrder, page, { toItem: (row) => fromDocument<StoredTicket>(row.document), keep });
  return { data: found.data.map((ticket) => toTicket(scope, ticket)), nextCursor: found.nextCursor };
}

type Kf5Input = NonNullable<z.output<typeof CreateTicketBody>['kf5']>;

/** The KF5 fields a request sets (status aside: it is kept in step with LiveChat's). */
function applyKf5Input(ticket: StoredTicket, input: Kf5Input): void {
  const k = ticket.kf5;
  if (input.type_id !== undefined) k.type_id = input.type_id;
  if (input.priority !== undefined) k.priority = input.priority;
  if (input.score !== undefined) k.score = input.score;
  if (input.recipient !== undefined) k.recipient = input.recipient;
  if (input.source !== undefined) k.source = input.source;
  if (input.ccs !== undefined) k.ccs = [...new Set(input.ccs)];
  if (input.fields !== undefined) {
    const fields = { ...k.fields };
    for (const [key, value] of Object.entries(input.fields)) {
      if (value === null || value === '') delete fields[key];
      else fields[key] = value;
    }
    k.fields = fields;
  }
}

/** LiveChat's status and KF5's, as asked; they must agree when both are given. */
function applyStatus(ticket: StoredTicket, before: StoredTicket, status: Ticket['status'] | undefined, kf5Status: number | undefined): void {
  if (status !== undefined && status !== before.status) {
    ticket.status = status;
    ticket.kf5.status = kf5StatusFor(status, before.kf5.status);
  }
  if (kf5Status === undefined) return;
  const follows = liveChatStatusFor(kf5Status, status ?? before.status);
  if (status !== undefined && follows !== status) {
    throw invalidField('kf5.status', `${kf5Status} does not go with status "${status}" (KF5 ${kf5Status} is LiveChat "${follows}")`);
  }
  ticket.kf5.status = kf5Status;
  ticket.status = follows;
}

/**
 * Creates a ticket whose first event is the requester's message (KF5 status new, LiveChat
 * open), runs the trigger rules on it (the requester is the current user), then saves it and
 * records ticket.created, with what the rules changed, all in one transaction.
 */
export async function createTicket(db: Db, scope: Scope, input: z.output<typeof CreateTicketBody>): Promise<Ticket> {
  return inTransaction(db, async (trx) => {
    const assignee = input.assignee ? await agentByLogin(trx, scope, input.assignee.id) : null;
    const [group = GENERAL_GROUP] = await groupsByIds(trx, scope, [input.groupId ?? GENERAL_GROUP.id]);
    const now = nowIso();
    const requester = { mail: input.requester.mail, name: input.requester.name || input.requester.mail.split('@')[0] || '', ip: null };
    const requesterUser = await ensureUser(trx, scope, {
      email: requester.mail,
      name: requester.name,
      role: 'enduser',
      organization_id: input.requester.organization_id,
      language: input.requester.language,
    });
    const sourceType = input.source?.type ?? 'agent-app-manual';
    const draft: StoredTicket = {
      id: `TKT-${await nextInSequence(trx, scope.workspaceId, 'ticket_number', FIRST_TICKET_NUMBER)}`,
      date: now,
      modified: now,
      status: 'open',
      subject: input.subject || subjectFrom(input.message),
      requester,
      source: { id: newId('src'), type: sourceType, url: input.source?.url ?? null },
      assignee: assignee ? { id: assignee.login, name: assignee.name } : null,
      currentGroup: group,
      groups: [group],
      events: [],
      tags: [...new Set(input.tags ?? [])],
      kf5: {
        status: 0,
        type_id: null,
        priority: null,
        requester_id: requesterUser.id,
        assignee_id: assignee?.user_id ?? null,
        source: channelFor(sourceType),
        recipient: null,
        score: null,
        organization_id: requesterUser.organization_id,
        language: requesterUser.language as StoredTicket['kf5']['language'],
        fields: {},
        ccs: [],
        push_count: 0,
      },
    };
    draft.events.push(messageEvent(draft, { id: requester.mail, name: requester.name, type: 'client' }, input.message, now));
    if (input.kf5) {
      applyKf5Input(draft, input.kf5);
      if (input.kf5.status !== undefined) applyStatus(draft, draft, undefined, input.kf5.status);
    }

    const { ticket } = await runRules(trx, scope, { prev: null, next: draft, event: 'created', actor: requesterActor(draft), comment: { public: true } });
    await trx
      .insertInto('tickets')
      .values({
        workspace_id: scope.workspaceId,
        id: ticket.id,
        status: ticket.status,
        requester_mail_key: requester.mail.toLowerCase(),
        assignee_login: ticket.assignee?.id ?? null,
        document: toDocument(ticket),
        created_at: now,
        modified_at: now,
        last_message_at: ticketLastMessageAt(ticket),
      })
      .execute();
    const result = toTicket(scope, ticket);
    await recordEvent(trx, scope.workspaceId, 'ticket.created', (meta) => ({ ...meta, event: 'ticket.created', id: ticket.id, ticket: result }));
    return result;
  });
}

/**
 * Updates the fields sent. A message becomes a new event, written by the assignee (an agent
 * replying) when the ticket has one, else by the requester; `is_private` makes it an internal
 * note. The author of the message is the current user for the trigger rules; a change
 * without a message is made by an agent through the API (the calling Zapier account).
 */
export async function updateTicket(db: Db, scope: Scope, id: string, input: z.output<typeof UpdateTicketBody>, caller?: ApiCaller): Promise<Ticket> {
  return inTransaction(db, async (trx) => {
    const before = await storedTicket(trx, scope, id);
    const now = nowIso();
    const after: StoredTicket = structuredClone(before);
    if (input.subject !== undefined) after.subject = input.subject;
    applyStatus(after, before, input.status, input.kf5?.status);
    if (input.kf5) applyKf5Input(after, input.kf5);
    if (input.tags !== undefined) after.tags = [...new Set(input.tags)];
    if (input.requester) {
      const { organization_id, language, ...contact } = input.requester;
      after.requester = { ...after.requester, ...definedOnly(contact) };
    }
    // The requester's user: a new address is a new user; organization and language are theirs, copied onto the ticket.
    const requesterUser = await ensureUser(trx, scope, {
      email: after.requester.mail,
      name: after.requester.name,
      role: 'enduser',
      organization_id: input.requester?.organization_id,
      language: input.requester?.language,
    });
    after.kf5.requester_id = requesterUser.id;
    after.kf5.organization_id = requesterUser.organization_id;
    after.kf5.language = requesterUser.language as StoredTicket['kf5']['language'];
    if (input.source) {
      const type = input.source.type ?? after.source.type;
      // Leaving chat-window drops its URL; a URL with another type is refused below.
      after.source = { ...after.source, type, url: input.source.url ?? (type === 'chat-window' ? after.source.url : null) };
      checkSourceUrl(after.source);
      if (input.source.type !== undefined && input.source.type !== before.source.type && input.kf5?.source === undefined) after.kf5.source = channelFor(type);
    }
    let assigneeAgent: Agent | null = null;
    if (input.assignee !== undefined) {
      assigneeAgent = input.assignee ? await agentByLogin(trx, scope, input.assignee.id) : null;
      after.assignee = assigneeAgent ? { id: assigneeAgent.login, name: assigneeAgent.name } : null;
      after.kf5.assignee_id = assigneeAgent?.user_id ?? null;
    }
    if (input.groupId !== undefined) {
      const [group = GENERAL_GROUP] = await groupsByIds(trx, scope, [input.groupId]);
      after.currentGroup = group;
      if (!after.groups.some((g) => g.id === group.id)) after.groups.push(group);
    }
    let actor = apiActor(caller);
    if (input.message) {
      const author: TicketEvent['author'] = after.assignee
        ? { id: after.assignee.id, name: after.assignee.name, type: 'agent' }
        : { id: after.requester.mail, name: after.requester.name, type: 'client' };
      after.events.push(messageEvent(after, author, input.message, now, input.is_private ?? false));
      if (after.assignee) {
        assigneeAgent ??= await agentByLogin(trx, scope, after.assignee.id).catch(() => null);
        if (assigneeAgent) actor = agentActor(assigneeAgent);
      } else {
        actor = requesterActor(after);
      }
    }
    if (JSON.stringify(after) === JSON.stringify(before)) return toTicket(scope, before);
    after.modified = now;
    const comment = input.message ? { public: !(input.is_private ?? false) } : null;
    const { ticket } = await runRules(trx, scope, { prev: before, next: after, event: 'updated', actor, comment });
    await saveTicket(trx, scope, ticket);
    return toTicket(scope, ticket);
  });
}

/**
 * The requester urges the ticket (KF5's 催单): its push count goes up and the trigger rules
 * run with `{ticket} is pushed`, the requester as the current user. A closed ticket cannot be
 * pushed: nothing more happens on it.
 */
export async function pushTicket(db: Db, scope: Scope, id: string): Promise<Ticket> {
  return inTransaction(db, async (trx) => {
    const before = await storedTicket(trx, scope, id);
    if (before.kf5.status === 4) throw conflict(`Ticket ${id} is closed; a closed ticket cannot be pushed. Open a new ticket instead.`);
    const after: StoredTicket = structuredClone(before);
    after.kf5.push_count += 1;
    after.modified = nowIso();
    const { ticket } = await runRules(trx, scope, { prev: before, next: after, event: 'pushed', actor: requesterActor(before), comment: null });
    await saveTicket(trx, scope, ticket);
    return toTicket(scope, ticket);
  });
}

const definedOnly = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** A deleted agent's open and pending tickets go back to the queue (a change by the system: rules run on it). */
export async function unassignOpenTickets(trx: Db, scope: Scope, login: string): Promise<number> {
  const rows = await trx
    .selectFrom('tickets')
    .select('document')
    .where('workspace_id', '=', scope.workspaceId)
    .where('assignee_login', '=', login)
    .where('status', 'in', [...OPEN_STATUSES])
    .execute();
  const now = nowIso();
  for (const row of rows) {
    const before = fromDocument<StoredTicket>(row.document);
    const after: StoredTicket = { ...before, assignee: null, kf5: { ...before.kf5, assignee_id: null }, modified: now };
    const change: TicketChange = { prev: before, next: after, event: 'updated', actor: SYSTEM, comment: null };
    const { ticket } = await runRules(trx, scope, change);
    await saveTicket(trx, scope, ticket);
  }
  return rows.length;
}
