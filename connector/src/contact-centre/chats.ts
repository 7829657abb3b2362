import type { z } from 'zod';
import type { Chat, ChatMessageBody, EventType, PreChatAnswer, StartChatBody, Visitor } from '../../../contract/index.js';
import { recordEvent } from '../events/outbox.js';
import { conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import { chatLastMessageAt } from './conversation-messages.js';
import { agentByLogin, groupsByIds } from './agents.js';
import { GENERAL_GROUP } from './essentials.js';
import { linkTo, type Scope } from './scope.js';
import { fromDocument, nowIso, toDocument } from '../storage/documents.js';
import { inTransaction } from '../storage/transactions.js';

/** A chat as stored: the contract's Chat without its link, beside its visitor and pre-chat survey. */
type StoredChat = Omit<Chat, 'link'>;
type ChatVisitor = z.infer<typeof Visitor>;
type SurveyAnswer = z.infer<typeof PreChatAnswer>;
interface ChatRecord {
  chat: StoredChat;
  visitor: ChatVisitor;
  survey: SurveyAnswer[];
  ended: boolean;
}

const toChat = (scope: Scope, stored: StoredChat): Chat => ({ ...stored, link: linkTo(scope, 'chats', stored.id) });

async function chatRecord(db: Db, scope: Scope, id: string): Promise<ChatRecord> {
  const row = await db.selectFrom('chats').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('chat', id);
  return {
    chat: fromDocument<StoredChat>(row.document),
    visitor: fromDocument<ChatVisitor>(row.visitor),
    survey: fromDocument<SurveyAnswer[]>(row.pre_chat_survey),
    ended: row.status === 'ended',
  };
}

/** chat.started / chat.ended: the seed's WebhookChatResponse (chat, visitor, pre_chat_survey). */
async function recordChatEvent(trx: Db, scope: Scope, type: Extract<EventType, `chat.${string}`>, record: ChatRecord): Promise<void> {
  const chat = toChat(scope, record.chat);
  await recordEvent(trx, scope.workspaceId, type, (meta) => ({
    ...meta,
    event: type,
    id: chat.id,
    event_unique_id: meta.eventId,
    chat,
    visitor: record.visitor,
    pre_chat_survey: record.survey,
  }));
}

export async function getChat(db: Db, scope: Scope, id: string): Promise<Chat> {
  return toChat(scope, (await chatRecord(db, scope, id)).chat);
}

/** A visitor starts a chat with a first message (optionally routed to a group or an agent); chat.started. */
export async function startChat(db: Db, scope: Scope, input: z.output<typeof StartChatBody>): Promise<Chat> {
  return inTransaction(db, async (trx) => {
    const agent = input.agentLogin ? await agentByLogin(trx, scope, input.agentLogin) : null;
    const [group = GENERAL_GROUP] = await groupsByIds(trx, scope, [input.groupId ?? GENERAL_GROUP.id]);
    const now = nowIso();
    const visitor: ChatVisitor = {
      id: newId('vis'),
      name: input.visitor.name,
      email: input.visitor.email ?? '',
      language: input.visitor.language ?? 'en',
      page_current: input.visitor.page_current ?? '',
    };
    const chat: StoredChat = {
      id: newId('cht'),
      agents: agent ? [{ login: agent.login, name: agent.name }] : [],
      started_timestamp: now,
      ended_timestamp: null,
      events: [{ text: 'Chat started', timestamp: now, type: 'chat_started', user_type: 'visitor' }],
      groups: [group.id],
      messages: [{ agent_id: null, author_name: visitor.name, text: input.message, timestamp: now, user_type: 'visitor' }],
      tags: [...new Set(input.tags ?? [])],
      url: input.visitor.page_current ?? null,
    };
    const record: ChatRecord = { chat, visitor, survey: input.pre_chat_survey ?? [], ended: false };
    await trx
      .insertInto('chats')
      .values({
        id: chat.id,
        workspace_id: scope.workspaceId,
        status: 'active',
        document: toDocument(chat),
        visitor: toDocument(visitor),
        pre_chat_survey: toDocument(record.survey),
        created_at: now,
        last_message_at: chatLastMessageAt(chat),
      })
      .execute();
    await recordChatEvent(trx, scope, 'chat.started', record);
    return toChat(scope, chat);
  });
}

const assertActive = (record: ChatRecord, doing: string) => {
  if (record.ended) throw conflict(`Chat ${record.chat.id} ended at ${record.chat.ended_timestamp}; ${doing} is not possible any more.`);
};

/** Adds a visitor's or an agent's message; an agent who was not in the chat joins it. */
export async function postChatMessage(db: Db, scope: Scope, id: string, input: z.output<typeof ChatMessageBody>): Promise<Chat> {
  return inTransaction(db, async (trx) => {
    const record = await chatRecord(trx, scope, id);
    assertActive(record, 'adding a message');
    const chat = structuredClone(record.chat);
    const now = nowIso();
    if (input.user_type === 'agent') {
      const agent = await agentByLogin(trx, scope, input.agentLogin ?? '');
      if (!chat.agents.some((a) => a.login === agent.login)) {
        chat.agents.push({ login: agent.login, name: agent.name });
        chat.events.push({ text: `${agent.name} joined the chat`, timestamp: now, type: 'agent_joined', user_type: 'agent' });
      }
      chat.messages.push({ agent_id: agent.login, author_name: agent.name, text: input.text, timestamp: now, user_type: 'agent' });
    } else {
      chat.messages.push({ agent_id: null, author_name: record.visitor.name, text: input.text, timestamp: now, user_type: 'visitor' });
    }
    await trx
      .updateTable('chats')
      .set({ document: toDocument(chat), last_message_at: chatLastMessageAt(chat) })
      .where('id', '=', id)
      .execute();
    return toChat(scope, chat);
  });
}

/** Ends an active chat; chat.ended carries the whole conversation. */
export async function endChat(db: Db, scope: Scope, id: string): Promise<Chat> {
  return inTransaction(db, async (trx) => {
    const record = await chatRecord(trx, scope, id);
    assertActive(record, 'ending it again');
    const now = nowIso();
    const chat: StoredChat = {
      ...record.chat,
      ended_timestamp: now,
      events: [
        ...record.chat.events,
        { text: 'Chat ended', timestamp: now, type: 'chat_ended', user_type: record.chat.agents.length > 0 ? 'agent' : 'visitor' },
      ],
    };
    await trx
      .updateTable('chats')
      .set({ status: 'ended', document: toDocument(chat) })
      .where('id', '=', id)
      .execute();
    await recordChatEvent(trx, scope, 'chat.ended', { ...record, chat, ended: true });
    return toChat(scope, chat);
  });
}
