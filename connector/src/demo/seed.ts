import { createAgent } from '../contact-centre/agents.js';
import { createContact } from '../contact-centre/contacts.js';
import { closeEnquiry, handleEnquiry, openEnquiry } from '../contact-centre/enquiries.js';
import { createTag } from '../contact-centre/tags.js';
import { createTicket } from '../contact-centre/tickets.js';
import { endChat, postChatMessage, startChat } from '../contact-centre/chats.js';
import type { Scope } from '../contact-centre/scope.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { StaffTable } from '../storage/schema.js';

/** The demo's people, rooms, numbers and groups: things the public API reads but does not create. */
const demoStaff: Omit<StaffTable, 'id' | 'workspace_id' | 'created_at'>[] = [
  { first_name: 'Ava', last_name: 'Wong', email: 'ava.wong@acme.example', department: 'Support', role: 'supervisor' },
  { first_name: 'Ben', last_name: 'Lee', email: 'ben.lee@acme.example', department: 'Support', role: 'staff' },
  { first_name: 'Chloe', last_name: 'Ng', email: 'chloe.ng@acme.example', department: 'Sales', role: 'staff' },
  { first_name: 'Daniel', last_name: 'Lau', email: 'daniel.lau@acme.example', department: 'Billing', role: 'staff' },
];
const demoRooms = [
  { name: 'Escalations', member_count: 6 },
  { name: 'Sales Floor', member_count: 4 },
  { name: 'Night Shift', member_count: 3 },
];
/** One number of every type, so every Number Type in the Send SMS action has something to show. */
const demoNumbers = [
  { type: 'did', number: '+85230011234', label: 'Hong Kong hotline', sms_capable: 0 },
  { type: 'toll_free', number: '+80090012345', label: 'Toll-free support line', sms_capable: 0 },
  { type: 'mobile', number: '+85264501234', label: 'Hong Kong SMS line', sms_capable: 1 },
  { type: 'mobile', number: '+6581234567', label: 'Singapore SMS line', sms_capable: 1 },
  { type: 'sender_id', number: 'ACME', label: 'Acme alphanumeric sender id', sms_capable: 1 },
];
const demoGroups = [
  { id: 1, name: 'Customer Care' },
  { id: 2, name: 'Sales' },
  { id: 3, name: 'Billing' },
];

/** True when the workspace has no service numbers: only the demo creates them, so nothing was seeded yet. */
export async function workspaceIsEmpty(db: Db, scope: Scope): Promise<boolean> {
  const row = await db.selectFrom('service_numbers').select('id').where('workspace_id', '=', scope.workspaceId).limit(1).executeTakeFirst();
  return !row;
}

/** Staff, rooms, numbers and groups: written directly (the API only reads them). */
export async function seedDirectory(db: Db, scope: Scope): Promise<{ staffIds: string[]; roomIds: string[]; numberIds: string[] }> {
  const now = new Date().toISOString();
  const workspace_id = scope.workspaceId;
  const staff = demoStaff.map((s) => ({ ...s, id: newId('stf'), workspace_id, created_at: now }));
  const rooms = demoRooms.map((r) => ({ ...r, id: newId('room'), workspace_id, created_at: now }));
  const numbers = demoNumbers.map((n) => ({ ...n, id: newId('num'), service_id: `svc_${workspace_id}`, workspace_id, created_at: now }));
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('staff').values(staff).execute();
    await trx.insertInto('rooms').values(rooms).execute();
    await trx.insertInto('service_numbers').values(numbers).execute();
    await trx
      .insertInto('agent_groups')
      .values(demoGroups.map((g) => ({ ...g, workspace_id, created_at: now })))
      .execute();
  });
  return { staffIds: staff.map((s) => s.id), roomIds: rooms.map((r) => r.id), numberIds: numbers.map((n) => n.id) };
}

/**
 * A demo workspace: the directory above plus tags, agents, contacts, enquiries in each state,
 * tickets and a finished chat, made through the same functions the API uses, so their events
 * exist too (Zapier's "recent payloads" for performList have something to show at once).
 */
export async function seedDemoWorkspace(db: Db, scope: Scope): Promise<void> {
  const { staffIds, numberIds } = await seedDirectory(db, scope);
  const [ava = '', ben = ''] = staffIds;

  const vip = await createTag(db, scope, { name: 'VIP', colorCode: '#E53935' });
  const care = await createTag(db, scope, { name: 'Customer Care', colorCode: '#1E88E5' });
  await createTag(db, scope, { name: 'Billing', colorCode: '#43A047' });

  await createAgent(db, scope, {
    login: 'ava.wong@acme.example',
    name: 'Ava Wong',
    job_title: 'Team Lead',
    permission: 'administrator',
    login_status: 'accepting chats',
    max_chats_count: 8,
    groups: [1],
  });
  await createAgent(db, scope, {
    login: 'ben.lee@acme.example',
    name: 'Ben Lee',
    job_title: 'Support Agent',
    permission: 'normal',
    login_status: 'accepting chats',
    max_chats_count: 6,
    groups: [1, 3],
  });
  await createAgent(db, scope, {
    login: 'chloe.ng@acme.example',
    name: 'Chloe Ng',
    job_title: 'Sales Agent',
    permission: 'normal',
    login_status: 'not accepting chats',
    max_chats_count: 4,
    groups: [2],
  });

  await createContact(db, scope, {
    first_name: 'Mei',
    last_name: 'Chan',
    level: 'gold',
    type: 'customer',
    phone_type: 'mobile',
    phone_number: '+85291234567',
    email_type: 'work',
    email_address: 'mei.chan@example.com',
    company: 'Harbour Foods Ltd',
    job_title: 'Buyer',
    team: 'Procurement',
    city: 'Wan Chai',
    country: 'HK',
    social_messaging_type: 'whatsApp',
    social_messaging_name_id: '+85291234567',
  });
  await createContact(db, scope, {
    first_name: 'Tom',
    last_name: 'Ho',
    level: 'regular',
    type: 'prospect',
    email_type: 'personal',
    email_address: 'tom.ho@example.net',
  });
  await createContact(db, scope, {
    first_name: 'Priya',
    last_name: 'Singh',
    level: 'vip',
    type: 'partner',
    phone_type: 'work',
    phone_number: '+6598765432',
    company: 'Lion City Logistics',
  });

  const waiting = { channel: 'web', type: 'chat', destinationType: 'tag', destinationID: care.id } as const;
  await openEnquiry(db, scope, { ...waiting, inquiry: 'Do you deliver to Lantau Island?', visitor: { name: 'Kelvin Yip', email: 'kelvin.yip@example.com' } });
  const handled = await openEnquiry(db, scope, {
    channel: 'whatsapp',
    type: 'message',
    destinationType: 'number',
    destinationID: numberIds[2] ?? '',
    inquiry: 'My order #A-1042 has not arrived yet.',
    visitor: { name: 'Mei Chan', phone: '+85291234567' },
  });
  await handleEnquiry(db, scope, handled.id, { staffId: ava });
  const closed = await openEnquiry(db, scope, {
    channel: 'phone',
    type: 'call',
    destinationType: 'staff',
    destinationID: ben,
    inquiry: 'Billing question about invoice 2231',
    visitor: { name: 'Priya Singh' },
  });
  await handleEnquiry(db, scope, closed.id, { staffId: ben });
  await closeEnquiry(db, scope, closed.id, { closedByType: 'staff' });
  await openEnquiry(db, scope, {
    channel: 'facebook',
    type: 'message',
    destinationType: 'tag',
    destinationID: vip.id,
    inquiry: 'Is the VIP lounge open on Sunday?',
    visitor: { name: 'Grace Lam' },
  });

  await createTicket(db, scope, {
    message: 'My order #A-1042 has not arrived yet.',
    requester: { mail: 'mei.chan@example.com', name: 'Mei Chan' },
    subject: 'Order #A-1042 has not arrived',
    assignee: { id: 'ava.wong@acme.example' },
    source: { type: 'chat-window', url: 'https://shop.example.com/orders' },
    groupId: 1,
    tags: ['delivery'],
  });
  await createTicket(db, scope, {
    message: 'Please send me a copy of invoice 2231.',
    requester: { mail: 'priya.singh@example.org', name: 'Priya Singh' },
    groupId: 3,
    source: { type: 'mail' },
  });

  const chat = await startChat(db, scope, {
    visitor: { name: 'Mei Chan', email: 'mei.chan@example.com', language: 'en', page_current: 'https://shop.example.com/orders' },
    message: 'Hello, where is my order?',
    groupId: 1,
    pre_chat_survey: [{ id: 'q_order', label: 'Order number', answer: 'A-1042' }],
    tags: ['delivery'],
  });
  await postChatMessage(db, scope, chat.id, { text: 'Let me check that for you.', user_type: 'agent', agentLogin: 'ava.wong@acme.example' });
  await endChat(db, scope, chat.id);
}
