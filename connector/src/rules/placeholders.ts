import { ticketSample, type Ticket } from '../../../contract/index.js';
import type { Lookup } from './templates.js';

/** What placeholders are filled from: the ticket after the rules, and who and where. */
export interface PlaceholderData {
  ticket: Ticket;
  account: { name: string; url: string };
  currentUser: { id: number | null; name: string; email: string | null };
  assigneeEmail: string | null;
  trigger: { id: number; title: string };
}

const CUSTOM_FIELD = /^ticket\.(field_[1-9][0-9]{0,8})$/;

/** The values of every known placeholder (templates.ts lists them); anything else is unknown (empty). */
export function placeholderLookup(data: PlaceholderData): Lookup {
  const { ticket, account, currentUser, trigger } = data;
  const k = ticket.kf5;
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const latest = ticket.events.at(-1);
  const latestPublic = ticket.events.findLast((e) => !e.is_private);
  const values: Record<string, string> = {
    'ticket.id': ticket.id,
    'ticket.title': ticket.subject,
    'ticket.url': ticket.link,
    'ticket.link': ticket.link,
    'ticket.description': k.description,
    'ticket.status': k.status_name,
    'ticket.status_id': String(k.status),
    'ticket.livechat_status': ticket.status,
    'ticket.type': text(k.type_name),
    'ticket.priority': text(k.priority_name),
    'ticket.source': k.source,
    'ticket.recipient': text(k.recipient),
    'ticket.score': text(k.score),
    'ticket.tags': ticket.tags.join(' '),
    'ticket.created_at': ticket.date,
    'ticket.updated_at': ticket.modified,
    'ticket.group.id': String(ticket.currentGroup.id),
    'ticket.group.name': ticket.currentGroup.name,
    'ticket.assignee.id': text(k.assignee_id),
    'ticket.assignee.name': text(ticket.assignee?.name),
    'ticket.assignee.email': text(data.assigneeEmail),
    'ticket.requester.id': String(k.requester_id),
    'ticket.requester.name': ticket.requester.name,
    'ticket.requester.email': ticket.requester.mail,
    'ticket.requester.language': text(k.language),
    'ticket.organization.id': text(k.organization_id),
    'ticket.latest_comment': text(latest?.message),
    'ticket.latest_public_comment': text(latestPublic?.message),
    'account.name': account.name,
    'account.url': account.url,
    'current_user.id': text(currentUser.id),
    'current_user.name': currentUser.name,
    'current_user.email': text(currentUser.email),
    'trigger.id': String(trigger.id),
    'trigger.title': trigger.title,
  };
  return (name) => {
    if (Object.hasOwn(values, name)) return values[name];
    const field = CUSTOM_FIELD.exec(name);
    return field ? k.fields[field[1]!] : undefined;
  };
}

/** Realistic values, to check at save time that a JSON target body stays JSON once filled in. */
export const sampleLookup: Lookup = placeholderLookup({
  ticket: ticketSample,
  account: { name: 'Acme Contact Centre', url: 'https://connector.example.com' },
  currentUser: { id: 1001, name: 'Ava Wong', email: 'ava.wong@acme.example' },
  assigneeEmail: 'ava.wong@acme.example',
  trigger: { id: 985, title: 'Sample trigger' },
});
