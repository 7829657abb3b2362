import type { Chat, SupportExportMessage, Ticket } from '../../../contract/index.js';

/**
 * Which parts of a chat or a ticket are its conversation's messages, and who said them: what
 * `last_message_at` is kept from (chats.ts, tickets.ts) and what the conversation export sends
 * (export/conversations.ts). Pure functions over the stored documents.
 *
 * - chats: every message (visitor → user; agent and supervisor → agent). Chat events
 *   ("joined", "ended") are not messages.
 * - tickets: message events only, and only public ones. An event counts only when it says
 *   `is_private: false` and does not say `public: false` (fail closed: a note whose flags are
 *   missing or unknown stays inside). Client → user, agent → agent; other authors are skipped.
 */

export type StoredChat = Pick<Chat, 'id' | 'messages'>;
export type StoredTicket = Pick<Ticket, 'id'> & { events: ReadonlyArray<Partial<Ticket['events'][number]> & Record<string, unknown>> };
type Role = SupportExportMessage['role'];

export const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

const chatRoles: Record<string, Role> = { visitor: 'user', agent: 'agent', supervisor: 'agent' };
const ticketRoles: Record<string, Role> = { client: 'user', agent: 'agent' };
const ticketMessageTypes = new Set(['message', 'comment']);

/** The role of a chat message in its conversation, or null when it is not a message (no time, no text, an event). */
export function chatMessageRole(message: StoredChat['messages'][number]): Role | null {
  const role = chatRoles[message.user_type];
  return role && isTime(message.timestamp) && typeof message.text === 'string' ? role : null;
}

/** Is this ticket event a message everyone in the conversation saw? Anything short of an explicit "public" is private. */
export function isPublicTicketMessage(event: StoredTicket['events'][number]): boolean {
  return (
    ticketMessageTypes.has(String(event.type)) &&
    event.is_private === false &&
    event.public !== false &&
    event.visibility !== 'private' &&
    typeof event.message === 'string' &&
    event.message.trim() !== '' &&
    isTime(event.date)
  );
}

/** The role of a ticket event in its conversation, or null when it is not a public message by a client or an agent. */
export function ticketMessageRole(event: StoredTicket['events'][number]): Role | null {
  const role = ticketRoles[String(event.author?.type)];
  return role && isPublicTicketMessage(event) ? role : null;
}

/** The newest of these times, in toISOString form (what the columns hold and compare), or null. */
const newest = (times: string[]) =>
  times.length === 0
    ? null
    : times
        .map((t) => new Date(t).toISOString())
        .sort()
        .at(-1)!;

/** The value of chats.last_message_at for this chat document. */
export const chatLastMessageAt = (chat: StoredChat) => newest(chat.messages.filter((m) => chatMessageRole(m) !== null).map((m) => m.timestamp));

/** The value of tickets.last_message_at: the newest PUBLIC message (a private note does not make a ticket "recent"). */
export const ticketLastMessageAt = (ticket: StoredTicket) => newest(ticket.events.filter((e) => ticketMessageRole(e) !== null).map((e) => e.date as string));
