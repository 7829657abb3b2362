// How records read as Ferndesk conversations (pure), startDate parsing, and the migration's
// backfill of last_message_at (both databases).
import { isPublicTicketMessage } from '../../src/contact-centre/conversation-messages.js';
import { chatMessages, ticketMessages, toConversation } from '../../src/export/conversations.js';
import { parseStartDate } from '../../src/export/start-date.js';
import { backfillLastMessageAt } from '../../src/storage/migrations/005_export.js';
import { ensureWorkspace } from '../../src/workspace.js';
import { forEachDatabase } from '../support/databases.js';
import { seedConversations } from '../support/export-data.js';

const scope = { workspaceId: 'ws', baseUrl: 'https://cc.example.com', casePrefix: 'HK' };
const event = (over: Record<string, unknown>) => ({
  author: { id: 'a@x.example', name: 'A', type: 'agent' },
  date: '2026-01-01T10:00:00.000Z',
  is_private: false,
  message: 'hello',
  source: { type: 'mail', url: null },
  type: 'message',
  ...over,
});

describe('ticket events', () => {
  it.each([
    ['a public message', {}, true],
    ['a KF5 comment that is public', { type: 'comment' }, true],
    ['a private note', { is_private: true }, false],
    ['an event without is_private', { is_private: undefined }, false],
    ['is_private as text', { is_private: 'false' }, false],
    ['marked public: false', { public: false }, false],
    ['visibility private', { visibility: 'private' }, false],
    ['a status change', { type: 'status_changed' }, false],
    ['an empty message', { message: '  ' }, false],
    ['a message without a time', { date: 'soon' }, false],
  ])('%s is exported: %s', (_name, over, exported) => {
    expect(isPublicTicketMessage(event(over) as never)).toBe(exported);
  });

  it('maps client to user and agent to agent, skips other authors, ids by position, oldest first', () => {
    const messages = ticketMessages({
      id: 'TKT-1',
      events: [
        event({ author: { id: 'c', name: 'C', type: 'client' }, date: '2026-01-01T10:00:00Z', message: 'one' }),
        event({ is_private: true, date: '2026-01-01T10:01:00Z', message: 'note' }),
        event({ date: '2026-01-01T10:03:00+00:00', message: 'three' }),
        event({ author: { id: 's', name: 'System', type: 'system' }, date: '2026-01-01T10:04:00Z', message: 'auto' }),
        event({ author: { id: 'c', name: 'C', type: 'client' }, date: '2026-01-01T10:02:00Z', message: 'two' }),
      ] as never,
    });
    expect(messages).toEqual([
      { id: 'ticket_TKT-1_e0', role: 'user', content: 'one', createdAt: '2026-01-01T10:00:00.000Z' },
      { id: 'ticket_TKT-1_e4', role: 'user', content: 'two', createdAt: '2026-01-01T10:02:00.000Z' },
      { id: 'ticket_TKT-1_e2', role: 'agent', content: 'three', createdAt: '2026-01-01T10:03:00.000Z' },
    ]);
  });
});

describe('chats', () => {
  it('maps visitor to user, agent and supervisor to agent', () => {
    const at = '2026-01-01T10:00:00.000Z';
    const roles = chatMessages({
      id: 'cht_1',
      messages: (['visitor', 'agent', 'supervisor'] as const).map((user_type) => ({
        agent_id: null,
        author_name: 'x',
        text: user_type,
        timestamp: at,
        user_type,
      })),
    }).map((m) => [m.content, m.role]);
    expect(roles).toEqual([
      ['visitor', 'user'],
      ['agent', 'agent'],
      ['supervisor', 'agent'],
    ]);
  });

  it('a record with nothing to export is no conversation', () => {
    expect(toConversation(scope, 'chat', 'cht_1', { id: 'cht_1', messages: [] })).toBeNull();
    expect(toConversation(scope, 'ticket', 'TKT-1', { id: 'TKT-1', events: [event({ is_private: true })] })).toBeNull();
    expect(toConversation(scope, 'enquiry', 'enq_1', { id: 'enq_1', inquiry: 'Hi', createdAT: '2026-01-01T10:00:00Z' })).toEqual({
      id: 'enquiry_enq_1',
      url: 'https://cc.example.com/console/enquiries/enq_1',
      lastMessageAt: '2026-01-01T10:00:00.000Z',
      messages: [{ id: 'enquiry_enq_1_inquiry', role: 'user', content: 'Hi', createdAt: '2026-01-01T10:00:00.000Z' }],
    });
  });
});

describe('startDate', () => {
  it.each([
    ['2025-01-01', '2025-01-01T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['2025-01-01T08:00', '2025-01-01T08:00:00.000Z'],
    ['2025-01-01T08:00:00Z', '2025-01-01T08:00:00.000Z'],
    ['2025-01-01t08:00:00z', '2025-01-01T08:00:00.000Z'],
    ['2025-01-01T08:00:00.123456Z', '2025-01-01T08:00:00.123Z'],
    ['2025-01-01T08:00:00+08:00', '2025-01-01T00:00:00.000Z'],
    ['2025-01-01T00:30:00-01:00', '2025-01-01T01:30:00.000Z'],
    [' 2025-01-01 ', '2025-01-01T00:00:00.000Z'],
    ['0001-01-01', '0001-01-01T00:00:00.000Z'],
  ])('reads %j as %s', (given, moment) => {
    expect(parseStartDate(given)).toBe(moment);
  });

  it.each([
    '',
    'yesterday',
    '2025-1-01',
    '2023-02-29',
    '1900-02-29',
    '2025-04-31',
    '0000-01-01',
    '2025-01-01T24:00',
    '2025-01-01T08:60',
    '2025-01-01T08:00:61Z',
    '2025-01-01T08:00+24:00',
    '20250101',
    '2025-01-01 08:00',
    '9999-12-31T23:00:00-05:00',
    '+012025-01-01',
  ])('refuses %j', (given) => {
    expect(parseStartDate(given)).toBeNull();
  });

  it('refuses what is not text', () => {
    expect(parseStartDate(undefined)).toBeNull();
    expect(parseStartDate(['2025-01-01'])).toBeNull();
  });
});

forEachDatabase((database) => {
  it('migration 005 fills last_message_at of existing chats and tickets from their documents', async () => {
    const { db } = await database.open();
    const workspace = await ensureWorkspace(db, 'Backfill');
    await seedConversations(db, { workspaceId: workspace.id, count: 1503, batch: 100 });
    const expected = async () => ({
      chats: await db.selectFrom('chats').select(['id', 'last_message_at']).orderBy('id').execute(),
      tickets: await db.selectFrom('tickets').select(['id', 'last_message_at']).orderBy('id').execute(),
    });
    const before = await expected();
    expect(before.chats.length).toBeGreaterThan(500);
    expect(before.tickets.every((t) => t.last_message_at)).toBe(true);
    await db.updateTable('chats').set({ last_message_at: null }).execute();
    await db.updateTable('tickets').set({ last_message_at: null }).execute();
    await backfillLastMessageAt(db, 'chats');
    await backfillLastMessageAt(db, 'tickets');
    expect(await expected()).toEqual(before);
  }, 60_000);
});
