import type { z } from 'zod';
import type { CreateTicketBody, FindTicketQuery, Ticket, UpdateTicketBody } from '../../../contract/index.js';
import { recordEvent } from '../events/outbox.js';
import { invalidField, notFound } from '../http/errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import { ticketLastMessageAt } from '../export/conversations.js';
import { agentByLogin, groupsByIds } from './agents.js';
import { GENERAL_GROUP } from './essentials.js';
import { fromDocument, inTransaction, linkTo, nextInSequence, nowIso, toDocument, type Scope } from './scope.js';

/** A ticket as stored: the contract's Ticket without its link. */
type StoredTicket = Omit<Ticket, 'link'>;
type TicketEvent = Ticket['events'][number];

/** Ticket ids look like LiveChat's: "TKT-1001", numbered per workspace. */
const FIRST_TICKET_NUMBER = 1001;
/** Statuses in which a ticket still needs someone: deleting its agent unassigns it. */
const OPEN_STATUSES = ['open', 'pending'] as const;

const toTicket = (scope: Scope, stored: StoredTicket): Ticket => ({ ...stored, link: linkTo(scope, 'tickets', stored.id) });

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

const messageEvent = (ticket: StoredTicket, author: TicketEvent['author'], message: string, date: string): TicketEvent => ({
  author,
  date,
  is_private: false,
  message,
  source: { type: ticket.source.type, url: ticket.source.url },
  type: 'message',
});

export async function getTicket(db: Db, scope: Scope, id: string): Promise<Ticket> {
  return toTicket(scope, await storedTicket(db, scope, id));
}

/** Tickets, newest first (at most 100), optionally by id, requester email (any case) and status. */
export async function listTickets(db: Db, scope: Scope, query: z.output<typeof FindTicketQuery>): Promise<Ticket[]> {
  let select = db.selectFrom('tickets').select('document').where('workspace_id', '=', scope.workspaceId);
  if (query.id) select = select.where('id', '=', query.id);
  if (query.requesterEmail) select = select.where('requester_mail_key', '=', query.requesterEmail.toLowerCase());
  if (query.status) select = select.where('status', '=', query.status);
  const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(100).execute();
  return rows.map((row) => toTicket(scope, fromDocument<StoredTicket>(row.document)));
}

/** Creates an open ticket whose first event is the requester's message; ticket.created. */
export async function createTicket(db: Db, scope: Scope, input: z.output<typeof CreateTicketBody>): Promise<Ticket> {
  return inTransaction(db, async (trx) => {
    const assignee = input.assignee ? await agentByLogin(trx, scope, input.assignee.id) : null;
    const [group = GENERAL_GROUP] = await groupsByIds(trx, scope, [input.groupId ?? GENERAL_GROUP.id]);
    const now = nowIso();
    const requester = { mail: input.requester.mail, name: input.requester.name || input.requester.mail.split('@')[0] || '', ip: null };
    const ticket: StoredTicket = {
      id: `TKT-${await nextInSequence(trx, scope.workspaceId, 'ticket_number', FIRST_TICKET_NUMBER)}`,
      date: now,
      modified: now,
      status: 'open',
      subject: input.subject || subjectFrom(input.message),
      requester,
      source: { id: newId('src'), type: input.source?.type ?? 'agent-app-manual', url: input.source?.url ?? null },
      assignee: assignee ? { id: assignee.login, name: assignee.name } : null,
      currentGroup: group,
      groups: [group],
      events: [],
      tags: [...new Set(input.tags ?? [])],
    };
    ticket.events.push(messageEvent(ticket, { id: requester.mail, name: requester.name, type: 'client' }, input.message, now));

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
 * replying) when the ticket has one, else by the requester.
 */
export async function updateTicket(db: Db, scope: Scope, id: string, input: z.output<typeof UpdateTicketBody>): Promise<Ticket> {
  return inTransaction(db, async (trx) => {
    const before = await storedTicket(trx, scope, id);
    const now = nowIso();
    const after: StoredTicket = structuredClone(before);
    if (input.subject !== undefined) after.subject = input.subject;
    if (input.status !== undefined) after.status = input.status;
    if (input.tags !== undefined) after.tags = [...new Set(input.tags)];
    if (input.requester) after.requester = { ...after.requester, ...definedOnly(input.requester) };
    if (input.source) {
      const type = input.source.type ?? after.source.type;
      // Leaving chat-window drops its URL; a URL with another type is refused below.
      after.source = { ...after.source, type, url: input.source.url ?? (type === 'chat-window' ? after.source.url : null) };
      checkSourceUrl(after.source);
    }
    if (input.assignee !== undefined) {
      const agent = input.assignee ? await agentByLogin(trx, scope, input.assignee.id) : null;
      after.assignee = agent ? { id: agent.login, name: agent.name } : null;
    }
    if (input.groupId !== undefined) {
      const [group = GENERAL_GROUP] = await groupsByIds(trx, scope, [input.groupId]);
      after.currentGroup = group;
      if (!after.groups.some((g) => g.id === group.id)) after.groups.push(group);
    }
    if (input.message) {
      const author: TicketEvent['author'] = after.assignee
        ? { id: after.assignee.id, name: after.assignee.name, type: 'agent' }
        : { id: after.requester.mail, name: after.requester.name, type: 'client' };
      after.events.push(messageEvent(after, author, input.message, now));
    }
    if (JSON.stringify(after) === JSON.stringify(before)) return toTicket(scope, before);
    after.modified = now;
    await saveTicket(trx, scope, after);
    return toTicket(scope, after);
  });
}

const definedOnly = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** A deleted agent's open and pending tickets go back to the queue. */
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
    const ticket = fromDocument<StoredTicket>(row.document);
    await saveTicket(trx, scope, { ...ticket, assignee: null, modified: now });
  }
  return rows.length;
}
