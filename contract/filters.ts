import type { eventTypes } from './enums.js';

type EventType = (typeof eventTypes)[number];

/**
 * Filters a subscription may carry, per event: filter key → the payload path it must match.
 * A filter matches when the value there equals it, or (for a list) contains it.
 */
export const eventFilters = {
  'contact.created': { ownerID: 'contact.ownerID' },
  'contact.updated': { ownerID: 'contact.ownerID', changedField: 'changedFields' },
  'contact.merged': { ownerID: 'contact.ownerID' },
  'contact.ownership_transferred': { fromOwnerID: 'fromOwnerID', toOwnerID: 'toOwnerID' },
  'contact.deleted': { ownerID: 'contact.ownerID' },
  'enquiry.created': { channel: 'channel', type: 'type', destinationID: 'destinationID' },
  'enquiry.handled': { channel: 'channel', type: 'type', destinationID: 'destinationID', handledBy: 'handledBy.id' },
  'enquiry.closed': { channel: 'channel', type: 'type', destinationID: 'destinationID' },
  'enquiry.missed': { channel: 'channel', type: 'type', destinationID: 'destinationID' },
  'sms.status': { status: 'status' },
  'tag.created': {},
  'tag.updated': { tagId: 'id', changedField: 'changedFields' },
  'tag.deleted': { tagId: 'id' },
  'ticket.created': { sourceType: 'ticket.source.type', groupId: 'ticket.currentGroup.id', tag: 'ticket.tags' },
  'chat.started': { groupId: 'chat.groups', tag: 'chat.tags' },
  'chat.ended': { groupId: 'chat.groups', tag: 'chat.tags' },
} as const satisfies Record<EventType, Record<string, string>>;

export type EventFilters = Record<string, string>;

const valueAt = (payload: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), payload);

/** Does this payload pass a subscription's filters? Empty filters always pass. */
export function matchesFilters(type: EventType, payload: unknown, filters: EventFilters | null | undefined): boolean {
  const paths: Record<string, string> = eventFilters[type];
  return Object.entries(filters ?? {}).every(([key, wanted]) => {
    const path = paths[key];
    if (!path) return false;
    const actual = valueAt(payload, path);
    if (Array.isArray(actual)) return actual.some((v) => String(v) === wanted);
    return actual !== undefined && actual !== null && String(actual) === wanted;
  });
}
