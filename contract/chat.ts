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
  groups: z.array(z.number().int().nonnegative()),
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
  page_current: z.string(),
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

export const chatSample: Chat = {
  id: 'CHT-3KZ9',
  agents: [{ login: 'ava.wong@acme.example', name: 'Ava Wong' }],
  started_timestamp: '2026-11-20T08:02:17.000Z',
  ended_timestamp: '2026-11-20T08:11:45.000Z',
  events: [{ text: 'Chat started', timestamp: '2026-11-20T08:02:17.000Z', type: 'chat_started', user_type: 'visitor' }],
  groups: [1],
  messages: [
    {
      agent_id: null,
      author_name: 'Mei Chan',
      text: 'Hello, where is my order?',
      timestamp: '2026-11-20T08:02:17.000Z',
      user_type: 'visitor',
    },
    {
      agent_id: 'ava.wong@acme.example',
      author_name: 'Ava Wong',
      text: 'Let me check that for you.',
      timestamp: '2026-11-20T08:03:02.000Z',
      user_type: 'agent',
    },
  ],
  tags: ['delivery'],
  url: 'https://shop.example.com/orders',
  link: 'https://connector.example.com/console/chats/CHT-3KZ9',
};

export const visitorSample: z.infer<typeof Visitor> = {
  id: 'vis_31',
  name: 'Mei Chan',
  email: 'mei.chan@example.com',
  language: 'en',
  page_current: 'https://shop.example.com/orders',
};
export const preChatSurveySample: z.infer<typeof PreChatAnswer>[] = [
  { id: 'q_order', label: 'Order number', answer: 'A-1042' },
];
