import { z } from 'zod';
import { Id, IsoDateTime, RecordLink } from './common.js';

const userType = z.enum(['agent', 'visitor', 'supervisor']);

/** A LiveChat-style chat, with the seed's keys (`started_timestamp`, `messages[].author_name`, ...). */
export const Chat = z.object({
  id: Id,
  agents: z.array(z.object({ login: z.email(), name: z.string() })),
  started_timestamp: IsoDateTime,
  ended_timestamp: IsoDateTime.nullable(),
  events: z.array(z.object({ text: z.string(), timestamp: IsoDateTime, type: z.string(), user_type: userType })),
  groups: z.array(z.number().int().nonnegative()).meta({ title: 'Group IDs' }),
  messages: z.array(
    z.object({
      agent_id: z.string().nullable(),
      author_name: z.string(),
      text: z.string(),
      timestamp: IsoDateTime,
      user_type: userType,
    }),
  ),
  tags: z.array(z.string()),
  url: z.url().nullable().describe('The page of the website the chat started on'),
  link: RecordLink,
});
export type Chat = z.infer<typeof Chat>;

export const Visitor = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  language: z.string(),
  page_current: z.string().meta({ title: 'Current Page' }),
});

export const PreChatAnswer = z.object({ id: Id, label: z.string(), answer: z.string() });

export const StartChatBody = z
  .object({
    visitor: z.object({
      name: z.string().trim().min(1).max(200),
      email: z.email().optional(),
      language: z.string().max(16).optional(),
      page_current: z.url().optional(),
    }),
    message: z.string().trim().min(1).max(4000),
    groupId: z.number().int().nonnegative().optional(),
    agentLogin: z.email().optional(),
    pre_chat_survey: z.array(PreChatAnswer).max(20).optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
  })
  .strict();
export const ChatMessageBody = z
  .object({
    text: z.string().trim().min(1).max(4000),
    user_type: z.enum(['agent', 'visitor']),
    agentLogin: z.email().optional(),
  })
  .strict()
  .refine((m) => m.user_type !== 'agent' || m.agentLogin, { message: 'is required for agent messages', path: ['agentLogin'] });
