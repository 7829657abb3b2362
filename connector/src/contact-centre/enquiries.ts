import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CloseEnquiryBody, Enquiry, EventType, HandleEnquiryBody, OpenEnquiryBody } from '../../../contract/index.js';
import { recordEvent } from '../events/outbox.js';
import { conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import { normalisePhone } from './contacts.js';
import { staffMember, staffName } from './messaging.js';
import { linkTo, type Scope } from './scope.js';
import { fromDocument, nowIso, toDocument } from '../storage/documents.js';
import { inTransaction, nextInSequence } from '../storage/transactions.js';

/** An enquiry as stored: the contract's Enquiry without its deep link (it depends on PUBLIC_BASE_URL). */
type StoredEnquiry = Omit<Enquiry, 'inquiryDeepLink'>;
type EnquiryEventType = Extract<EventType, `enquiry.${string}`>;
type OpenInput = z.output<typeof OpenEnquiryBody>;

const channelDetails: Record<Enquiry['channel'], string> = {
  web: 'Website widget',
  phone: 'Voice call',
  sms: 'SMS',
  whatsapp: 'WhatsApp Business',
  facebook: 'Facebook Messenger',
  line: 'LINE Official Account',
  wechat: 'WeChat Official Account',
  email: 'Email',
};

const toEnquiry = (scope: Scope, stored: StoredEnquiry): Enquiry => ({ ...stored, inquiryDeepLink: linkTo(scope, 'enquiries', stored.id) });

/** "HK-000128": the workspace's prefix and its next case number. */
const caseNumber = (scope: Scope, n: number) => `${scope.casePrefix}-${String(n).padStart(6, '0')}`;

const splitName = (name: string) => {
  const [first = '', ...rest] = name.trim().split(/\s+/);
  return { first, last: rest.join(' ') };
};

interface Destination {
  name: string;
  endPoint: string;
  svcID: string;
  tag: string | null;
  huntedStaff: string[];
}

/** Where the enquiry was routed; the id must be a number, tag or staff member of this workspace. */
async function resolveDestination(trx: Db, scope: Scope, type: OpenInput['destinationType'], id: string): Promise<Destination> {
  const workspaceService = `svc_${scope.workspaceId}`;
  if (type === 'number') {
    const row = await trx.selectFrom('service_numbers').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('service number', id);
    return { name: row.label, endPoint: row.number, svcID: row.service_id, tag: null, huntedStaff: [] };
  }
  if (type === 'tag') {
    const row = await trx.selectFrom('tags').selectAll().where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('tag', id);
    return { name: row.name, endPoint: row.name, svcID: workspaceService, tag: row.name, huntedStaff: [] };
  }
  const staff = await staffMember(trx, scope, id);
  return { name: staffName(staff), endPoint: staff.email, svcID: workspaceService, tag: null, huntedStaff: [staff.id] };
}

/** The contact the visitor already is, by email or phone (its id is the enquiry's `cid`), or ''. */
async function knownContactId(trx: Db, scope: Scope, visitor: OpenInput['visitor']): Promise<string> {
  const keys = [
    ...(visitor.email ? [{ kind: 'email' as const, value: visitor.email.trim().toLowerCase() }] : []),
    ...(visitor.phone ? [{ kind: 'phone' as const, value: normalisePhone(visitor.phone, scope.phoneRegion) }] : []),
  ];
  for (const key of keys) {
    const row = await trx
      .selectFrom('contact_lookups')
      .select('contact_id')
      .where('workspace_id', '=', scope.workspaceId)
      .where('kind', '=', key.kind)
      .where('value', '=', key.value)
      .executeTakeFirst();
    if (row) return row.contact_id;
  }
  return '';
}

async function storedEnquiry(db: Db, scope: Scope, id: string): Promise<StoredEnquiry> {
  const row = await db.selectFrom('enquiries').select('document').where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('enquiry', id);
  return fromDocument<StoredEnquiry>(row.document);
}

async function saveEnquiry(trx: Db, enquiry: StoredEnquiry): Promise<void> {
  await trx
    .updateTable('enquiries')
    .set({ status: enquiry.status, document: toDocument(enquiry), updated_at: enquiry.updatedAt })
    .where('id', '=', enquiry.id)
    .execute();
}

/** Records one of the four enquiry events: the seed's keys, from the enquiry as it now is. */
async function recordEnquiryEvent(trx: Db, scope: Scope, type: EnquiryEventType, enquiry: StoredEnquiry, date: string): Promise<void> {
  const link = linkTo(scope, 'enquiries', enquiry.id);
  await recordEvent(trx, scope.workspaceId, type, (meta) => ({
    ...meta,
    event: type,
    id: enquiry.id,
    status: enquiry.status,
    enquiryID: enquiry.id,
    displayCaseNumber: enquiry.displayCaseNumber,
    type: enquiry.omniType,
    channel: enquiry.channel,
    date,
    destination: enquiry.destinationName,
    destinationID: enquiry.destinationID,
    destinationTypes: enquiry.destinationType,
    visitorName: enquiry.visitorName,
    handledBy: enquiry.handledTarget ? { id: enquiry.handledTarget, name: enquiry.handledPartyName ?? '' } : null,
    link,
  }));
}

export async function getEnquiry(db: Db, scope: Scope, id: string): Promise<Enquiry> {
  return toEnquiry(scope, await storedEnquiry(db, scope, id));
}

/** Find Enquiry: by display case number, regardless of case ("hk-000128" finds "HK-000128"). */
export async function findEnquiries(db: Db, scope: Scope, displayCaseNumber: string): Promise<Enquiry[]> {
  const rows = await db
    .selectFrom('enquiries')
    .select('document')
    .where('workspace_id', '=', scope.workspaceId)
    .where('display_case_number', '=', displayCaseNumber.trim().toUpperCase())
    .execute();
  return rows.map((row) => toEnquiry(scope, fromDocument<StoredEnquiry>(row.document)));
}

/** A new enquiry reaches the contact centre: status new, the next case number; enquiry.created. */
export async function openEnquiry(db: Db, scope: Scope, input: OpenInput): Promise<Enquiry> {
  return inTransaction(db, async (trx) => {
    const destination = await resolveDestination(trx, scope, input.destinationType, input.destinationID);
    const id = newId('enq');
    const now = nowIso();
    const sequence = await nextInSequence(trx, scope.workspaceId, 'enquiry_case_number');
    const visitorName = input.visitor.name;
    const { first, last } = splitName(visitorName);
    const enquiry: StoredEnquiry = {
      id,
      _id: id,
      uniqueKey: randomUUID(),
      createdAT: now,
      svcID: destination.svcID,
      inquiry: input.inquiry,
      tag: destination.tag,
      visitor: { id: newId('vis'), name: visitorName, email: input.visitor.email ?? null, phone: input.visitor.phone ?? null },
      roomID: `room_${id}`,
      initChannel: input.channel,
      omniType: input.type,
      ip: null,
      language: input.language ?? null,
      location: null,
      locationDetail: { country: null, city: null },
      platform: null,
      status: 'new',
      closedByType: null,
      displayCaseNumber: caseNumber(scope, sequence),
      channel: input.channel,
      destinationID: input.destinationID,
      destinationName: destination.name,
      destinationType: input.destinationType,
      destinationEndPoint: destination.endPoint,
      handledType: null,
      handledTarget: null,
      handledPartyName: null,
      huntedStaffTargetHistory: destination.huntedStaff,
      channelDetail: channelDetails[input.channel],
      inquiryType: input.type,
      updatedAt: now,
      closedAt: null,
      inquiryGroup: destination.tag,
      transferredParty: null,
      pickedUpAt: null,
      missedAt: null,
      reopenedAt: null,
      handledPartyDepartment: null,
      visitorName,
      closeDuration: null,
      historyJoined: [visitorName],
      attachment: [],
      staffFirstName: null,
      staffLastName: null,
      visitorFirstName: first || null,
      visitorLastName: last || null,
      cid: await knownContactId(trx, scope, input.visitor),
    };
    await trx
      .insertInto('enquiries')
      .values({
        id,
        workspace_id: scope.workspaceId,
        display_case_number: enquiry.displayCaseNumber,
        status: enquiry.status,
        document: toDocument(enquiry),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordEnquiryEvent(trx, scope, 'enquiry.created', enquiry, now);
    return toEnquiry(scope, enquiry);
  });
}

const stateSentence = (enquiry: StoredEnquiry) =>
  enquiry.status === 'handled' ? `is already handled by ${enquiry.handledPartyName}` : `is already ${enquiry.status}`;

/** A staff member picks a new enquiry up; enquiry.handled. */
export async function handleEnquiry(db: Db, scope: Scope, id: string, input: z.output<typeof HandleEnquiryBody>): Promise<Enquiry> {
  return inTransaction(db, async (trx) => {
    const before = await storedEnquiry(trx, scope, id);
    if (before.status !== 'new') throw conflict(`Enquiry ${before.displayCaseNumber} ${stateSentence(before)}; only a new enquiry can be handled.`);
    const staff = await staffMember(trx, scope, input.staffId);
    const now = nowIso();
    const name = staffName(staff);
    const after: StoredEnquiry = {
      ...before,
      status: 'handled',
      handledType: 'staff',
      handledTarget: staff.id,
      handledPartyName: name,
      handledPartyDepartment: staff.department,
      staffFirstName: staff.first_name,
      staffLastName: staff.last_name,
      pickedUpAt: now,
      huntedStaffTargetHistory:
        before.huntedStaffTargetHistory.at(-1) === staff.id ? before.huntedStaffTargetHistory : [...before.huntedStaffTargetHistory, staff.id],
      historyJoined: before.historyJoined.includes(name) ? before.historyJoined : [...before.historyJoined, name],
      updatedAt: now,
    };
    await saveEnquiry(trx, after);
    await recordEnquiryEvent(trx, scope, 'enquiry.handled', after, now);
    return toEnquiry(scope, after);
  });
}

const secondsBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** Closes a new or handled enquiry; enquiry.closed. */
export async function closeEnquiry(db: Db, scope: Scope, id: string, input: z.output<typeof CloseEnquiryBody>): Promise<Enquiry> {
  return inTransaction(db, async (trx) => {
    const before = await storedEnquiry(trx, scope, id);
    if (before.status === 'closed' || before.status === 'missed') {
      throw conflict(`Enquiry ${before.displayCaseNumber} ${stateSentence(before)}; it cannot be closed again.`);
    }
    const now = nowIso();
    const after: StoredEnquiry = {
      ...before,
      status: 'closed',
      closedByType: input.closedByType,
      closedAt: now,
      closeDuration: secondsBetween(before.createdAT, now),
      updatedAt: now,
    };
    await saveEnquiry(trx, after);
    await recordEnquiryEvent(trx, scope, 'enquiry.closed', after, now);
    return toEnquiry(scope, after);
  });
}

/** Closes a new enquiry that nobody handled; enquiry.missed. */
export async function missEnquiry(db: Db, scope: Scope, id: string): Promise<Enquiry> {
  return inTransaction(db, async (trx) => {
    const before = await storedEnquiry(trx, scope, id);
    if (before.status !== 'new') {
      throw conflict(
        `Enquiry ${before.displayCaseNumber} ${stateSentence(before)}; only a new enquiry can be missed${before.status === 'handled' ? ' (close it instead)' : ''}.`,
      );
    }
    const now = nowIso();
    const after: StoredEnquiry = {
      ...before,
      status: 'missed',
      closedByType: 'system',
      missedAt: now,
      closedAt: now,
      closeDuration: secondsBetween(before.createdAT, now),
      updatedAt: now,
    };
    await saveEnquiry(trx, after);
    await recordEnquiryEvent(trx, scope, 'enquiry.missed', after, now);
    return toEnquiry(scope, after);
  });
}
