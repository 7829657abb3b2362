import type { Enquiry, SupportExportConversation, SupportExportMessage } from '../../../contract/index.js';
import { chatMessageRole, isTime, ticketMessageRole, type StoredChat, type StoredTicket } from '../contact-centre/conversation-messages.js';
import { linkTo, type Scope } from '../contact-centre/scope.js';

/**
 * How the contact centre's records read as Ferndesk conversations. Which parts of a chat or a
 * ticket are messages, and who said them, is the contact centre's (conversation-messages.ts);
 * an enquiry's one message is its visitor's first (`inquiry`): the stored enquiry holds nothing
 * else that is a message (attachments have no author or time, `historyJoined` is names).
 */

export type ConversationKind = 'chat' | 'ticket' | 'enquiry';

/** Conversation ids are stable and say what they are: "chat_<id>", "ticket_<id>", "enquiry_<id>". */
export const conversationId = (kind: ConversationKind, recordId: string) => `${kind}_${recordId}`;

const consoleKinds = { chat: 'chats', ticket: 'tickets', enquiry: 'enquiries' } as const;

/** Normalised to `toISOString()` form, which is what the database columns hold and compare. */
const iso = (value: string) => new Date(value).toISOString();

type StoredEnquiry = Pick<Enquiry, 'id' | 'inquiry' | 'createdAT'>;

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
      const role = chatMessageRole(m);
      return role ? [{ id: `${base}_m${i}`, role, content: m.text, createdAt: iso(m.timestamp) }] : [];
    }),
  );
}

export function ticketMessages(ticket: StoredTicket): SupportExportMessage[] {
  const base = conversationId('ticket', ticket.id);
  return oldestFirst(
    ticket.events.flatMap((event, i) => {
      const role = ticketMessageRole(event);
      return role ? [{ id: `${base}_e${i}`, role, content: event.message as string, createdAt: iso(event.date as string) }] : [];
    }),
  );
}

export function enquiryMessages(enquiry: StoredEnquiry): SupportExportMessage[] {
  if (typeof enquiry.inquiry !== 'string' || !isTime(enquiry.createdAT)) return [];
  return [{ id: `${conversationId('enquiry', enquiry.id)}_inquiry`, role: 'user', content: enquiry.inquiry, createdAt: iso(enquiry.createdAT) }];
}

/** The newest message's time, or null when nothing is exportable. */
export const lastMessageAt = (messages: SupportExportMessage[]): string | null => messages.at(-1)?.createdAt ?? null;

const messagesOf = {
  chat: (document: unknown) => chatMessages(document as StoredChat),
  ticket: (document: unknown) => ticketMessages(document as StoredTicket),
  enquiry: (document: unknown) => enquiryMessages(document as StoredEnquiry),
};

/** One stored record as a conversation, or null when it has no message to export. */
export function toConversation(scope: Scope, kind: ConversationKind, recordId: string, document: unknown): SupportExportConversation | null {
  const messages = messagesOf[kind](document);
  const last = lastMessageAt(messages);
  if (!last) return null;
  // Key order is the format's: id, url, lastMessageAt, messages.
  return { id: conversationId(kind, recordId), url: linkTo(scope, consoleKinds[kind], recordId), lastMessageAt: last, messages };
}
