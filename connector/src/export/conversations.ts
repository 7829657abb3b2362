import type { Chat, Enquiry, SupportExportConversation, SupportExportMessage, Ticket } from '../../../contract/index.js';
import { linkTo, type Scope } from '../contact-centre/scope.js';

/**
 * How the contact centre's records read as Ferndesk conversations. Pure functions over the
 * stored documents, shared by the export, the migration that fills `last_message_at`, and the
 * writers that keep it (chats.ts, tickets.ts).
 *
 * What leaves, and what never does:
 * - chats: every message (visitor → user; agent and supervisor → agent). Chat events
 *   ("joined", "ended") are not messages.
 * - tickets: message events only, and only public ones. An event is exported only when it says
 *   `is_private: false` and does not say `public: false` (fail closed: a note whose flags are
 *   missing or unknown stays inside). Client → user, agent → agent; other authors are skipped.
 * - enquiries: the visitor's first message (`inquiry`). The stored enquiry holds nothing else
 *   that is a message: attachments have no author or time, `historyJoined` is names.
 */

export type ConversationKind = 'chat' | 'ticket' | 'enquiry';

/** Conversation ids are stable and say what they are: "chat_<id>", "ticket_<id>", "enquiry_<id>". */
export const conversationId = (kind: ConversationKind, recordId: string) => `${kind}_${recordId}`;

const consoleKinds = { chat: 'chats', ticket: 'tickets', enquiry: 'enquiries' } as const;

/** Normalised to `toISOString()` form, which is what the database columns hold and compare. */
const iso = (value: string) => new Date(value).toISOString();
const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

type StoredChat = Pick<Chat, 'id' | 'messages'>;
type StoredTicket = Pick<Ticket, 'id'> & { events: ReadonlyArray<Partial<Ticket['events'][number]> & Record<string, unknown>> };
type StoredEnquiry = Pick<Enquiry, 'id' | 'inquiry' | 'createdAT'>;

const chatRoles: Record<string, SupportExportMessage['role']> = { visitor: 'user', agent: 'agent', supervisor: 'agent' };
const ticketRoles: Record<string, SupportExportMessage['role']> = { client: 'user', agent: 'agent' };
const ticketMessageTypes = new Set(['message', 'comment']);

/** Oldest first; ties keep their stored order (messages are appended as they happen). */
const oldestFirst = (messages: SupportExportMessage[]) =>
  messages
    .map((m, i) => [m, i] as const)
    .sort(([a, i], [b, j]) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || i - j)
    .map(([m]) => m);

/** Message ids are the record's conversation id and the message's position in the stored list, so they never change. */
export function chatMessages(chat: StoredChat): SupportExportMessage[] {
  const base = conversationId('chat', chat.id);
  return oldestFirst(
    chat.messages.flatMap((m, i) => {
      const role = chatRoles[m.user_type];
      return role && isTime(m.timestamp) && typeof m.text === 'string' ? [{ id: `${base}_m${i}`, role, content: m.text, createdAt: iso(m.timestamp) }] : [];
    }),
  );
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

export function ticketMessages(ticket: StoredTicket): SupportExportMessage[] {
  const base = conversationId('ticket', ticket.id);
  return oldestFirst(
    ticket.events.flatMap((event, i) => {
      const role = ticketRoles[String(event.author?.type)];
      return role && isPublicTicketMessage(event) ? [{ id: `${base}_e${i}`, role, content: event.message as string, createdAt: iso(event.date as string) }] : [];
    }),
  );
}

export function enquiryMessages(enquiry: StoredEnquiry): SupportExportMessage[] {
  if (typeof enquiry.inquiry !== 'string' || !isTime(enquiry.createdAT)) return [];
  return [{ id: `${conversationId('enquiry', enquiry.id)}_inquiry`, role: 'user', content: enquiry.inquiry, createdAt: iso(enquiry.createdAT) }];
}

/** The newest message's time, or null when nothing is exportable. */
export const lastMessageAt = (messages: SupportExportMessage[]): string | null => messages.at(-1)?.createdAt ?? null;

/** The value of chats.last_message_at for this chat document. */
export const chatLastMessageAt = (chat: StoredChat) => lastMessageAt(chatMessages(chat));
/** The value of tickets.last_message_at: the newest PUBLIC message (a private note does not make a ticket "recent"). */
export const ticketLastMessageAt = (ticket: StoredTicket) => lastMessageAt(ticketMessages(ticket));

const messagesOf = {
  chat: (document: unknown) => chatMessages(document as StoredChat),
  ticket: (document: unknown) => ticketMessages(document as StoredTicket),
  enquiry: (document: unknown) => enquiryMessages(document as StoredEnquiry),
};

/** One stored record as a conversation, or null when it has no message to export. */
export function toConversation(
  scope: Scope,
  kind: ConversationKind,
  recordId: string,
  document: unknown,
): SupportExportConversation | null {
  const messages = messagesOf[kind](document);
  const last = lastMessageAt(messages);
  if (!last) return null;
  // Key order is the format's: id, url, lastMessageAt, messages.
  return { id: conversationId(kind, recordId), url: linkTo(scope, consoleKinds[kind], recordId), lastMessageAt: last, messages };
}
