import type { z } from 'zod';
import { defaultEmailType, defaultPhoneType } from '../../../contract/index.js';
import type {
  Contact,
  ContactInput,
  ContactRecord,
  CreateContactBody,
  emailTypes,
  FindContactQuery,
  MergeContactsBody,
  phoneTypes,
  socialMessagingTypes,
  TransferContactBody,
  UpdatedContactRecord,
  UpdateContactBody,
} from '../../../contract/index.js';
import { recordEvent } from '../events/outbox.js';
import { conflict, invalidField, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import type { ContactLookupTable, StaffTable } from '../storage/schema.js';
import { defaultOwner, staffMember, staffName } from './messaging.js';
import { phoneField, toE164 } from './phones.js';
import { linkTo, type Scope } from './scope.js';
import { fromDocument, nowIso, toDocument } from '../storage/documents.js';
import { inTransaction } from '../storage/transactions.js';

/** A contact as stored: the contract's Contact without its link (which depends on PUBLIC_BASE_URL). */
type StoredContact = Omit<Contact, 'link'>;
type PhoneType = (typeof phoneTypes)[number];
type EmailType = (typeof emailTypes)[number];
type SocialType = (typeof socialMessagingTypes)[number];

// ---- how the snake_case input of Create/Update Contact maps onto the stored contact ----

/** phone_type / email_type / social_messaging_type say which slot of the contact the value fills. */
const phoneSlots = { mobile: 'mobilePhone', work: 'workPhone', home: 'homePhone', other: 'otherPhone' } as const satisfies Record<PhoneType, keyof Contact>;
const emailSlots = { work: 'email', personal: 'personalEmail', other: 'otherEmail' } as const satisfies Record<EmailType, keyof Contact>;
const socialSlots = {
  facebook: 'facebook',
  whatsApp: 'whatsApp',
  weChat: 'weChat',
  line: 'line',
  twitter: 'twitter',
  linkedin: 'linkedin',
} as const satisfies Record<SocialType, keyof Contact>;

/** Input keys that map one-to-one onto a contact key. */
const plainFields = {
  first_name: 'firstName',
  last_name: 'lastName',
  level: 'level',
  type: 'customerType',
  company: 'companyName',
  job_title: 'jobTitle',
  team: 'department',
  group: 'group',
  language: 'language',
  birth_date: 'birthday',
} as const satisfies Partial<Record<keyof ContactInput, keyof Contact>>;

/** Input keys that fill the contact's first address. */
const addressFields = { street: 'street', city: 'city', state: 'state', zip_code: 'zipCode', country: 'country' } as const satisfies Partial<
  Record<keyof ContactInput, keyof Contact['addresses'][number]>
>;

const emptyAddress = (): Contact['addresses'][number] => ({ street: '', city: '', state: '', zipCode: '', country: '' });

const entries = <K extends string, V>(record: Record<K, V>) => Object.entries(record) as [K, V][];

/** The type of the first filled slot (e.g. the first phone the contact has), if any. */
const firstFilled = <T extends string>(contact: StoredContact, slots: Record<T, keyof StoredContact>): T | undefined =>
  entries(slots).find(([, key]) => contact[key] !== '')?.[0];

/**
 * Which slot a value goes to: the type sent with it; otherwise the slot the contact already
 * uses for that kind of value (updates); otherwise `fallback` when there is one (phones go to
 * mobile, emails to work); with none of these, the type field is named in a 400.
 */
function slotFor<T extends string>(
  contact: StoredContact,
  slots: Record<T, keyof StoredContact>,
  given: T | undefined,
  fallback: T | undefined,
  typeField: string,
  valueField: string,
): keyof StoredContact {
  const type = given ?? firstFilled(contact, slots) ?? fallback;
  if (!type) throw invalidField(typeField, `is required when ${valueField} is given and the contact has no such value yet`);
  return slots[type];
}

const withFullName = (contact: StoredContact): StoredContact => ({ ...contact, fullName: `${contact.firstName} ${contact.lastName}`.trim() });

/** Applies Create/Update Contact input to a stored contact; keys not sent keep their value; the phone is kept in E.164. */
function applyInput(scope: Scope, contact: StoredContact, input: ContactInput): StoredContact {
  const next: Record<string, unknown> = { ...contact };
  for (const [inputKey, contactKey] of entries(plainFields)) {
    if (input[inputKey] !== undefined) next[contactKey] = input[inputKey];
  }
  if (input.phone_number !== undefined) {
    next[slotFor(contact, phoneSlots, input.phone_type, defaultPhoneType, 'phone_type', 'phone_number')] = phoneField(
      'phone_number',
      input.phone_number,
      scope.phoneRegion,
    );
  }
  if (input.email_address !== undefined)
    next[slotFor(contact, emailSlots, input.email_type, defaultEmailType, 'email_type', 'email_address')] = input.email_address;
  if (input.social_messaging_name_id !== undefined) {
    next[slotFor(contact, socialSlots, input.social_messaging_type, undefined, 'social_messaging_type', 'social_messaging_name_id')] =
      input.social_messaging_name_id;
  }
  const addressInput = entries(addressFields).filter(([inputKey]) => input[inputKey] !== undefined);
  if (addressInput.length > 0) {
    const [first = emptyAddress(), ...rest] = contact.addresses;
    const address = { ...first };
    for (const [inputKey, addressKey] of addressInput) address[addressKey] = input[inputKey] ?? '';
    next.addresses = [address, ...rest];
  }
  return withFullName(next as StoredContact);
}

function blankContact(id: string, owner: StaffTable, now: string): StoredContact {
  return {
    id,
    firstName: '',
    lastName: '',
    fullName: '',
    mobilePhone: '',
    workPhone: '',
    homePhone: '',
    otherPhone: '',
    email: '',
    personalEmail: '',
    otherEmail: '',
    facebook: '',
    whatsApp: '',
    weChat: '',
    line: '',
    twitter: '',
    linkedin: '',
    companyName: '',
    department: '',
    jobTitle: '',
    birthday: '',
    language: '',
    addresses: [],
    customerType: '',
    group: '',
    level: '',
    ownerID: owner.id,
    ownerName: staffName(owner),
    ownerDepartment: owner.department,
    sharedWith: [],
    slavecontacts: [],
    createdAt: now,
    updatedAt: now,
  };
}

// ---- views: the contract's Contact, ContactRecord and UpdatedContactRecord ----

const toContact = (scope: Scope, stored: StoredContact): Contact => ({ ...stored, link: linkTo(scope, 'contacts', stored.id) });

/** The chosen slot types of a request, to show the value the request was about. */
type SlotChoice = Pick<ContactInput, 'phone_type' | 'email_type' | 'social_messaging_type'>;

/**
 * The contact as Create Contact and Find Contact answer it: its camelCase keys and the seed's
 * snake_case record, where each typed value shows the slot the request named, else the first filled one.
 */
export function toContactRecord(scope: Scope, contact: StoredContact, choice: SlotChoice = {}): ContactRecord {
  const phoneType = choice.phone_type ?? firstFilled(contact, phoneSlots);
  const emailType = choice.email_type ?? firstFilled(contact, emailSlots);
  const socialType = choice.social_messaging_type ?? firstFilled(contact, socialSlots);
  const address = contact.addresses[0] ?? emptyAddress();
  return {
    ...toContact(scope, contact),
    id: contact.id,
    first_name: contact.firstName,
    last_name: contact.lastName,
    level: contact.level,
    type: contact.customerType,
    phone_type: phoneType ?? '',
    phone_number: phoneType ? String(contact[phoneSlots[phoneType]]) : '',
    email_type: emailType ?? '',
    email_address: emailType ? String(contact[emailSlots[emailType]]) : '',
    company: contact.companyName,
    job_title: contact.jobTitle,
    team: contact.department,
    group: contact.group,
    language: contact.language,
    birth_date: contact.birthday,
    zip_code: address.zipCode,
    street: address.street,
    city: address.city,
    state: address.state,
    country: address.country,
    social_messaging_type: socialType ?? '',
    social_messaging_name_id: socialType ? String(contact[socialSlots[socialType]]) : '',
    link: linkTo(scope, 'contacts', contact.id),
  };
}

/** Update Contact's record: the same, plus contact_id and the seed's misspelled social_mesasging_type that existing Zaps map. */
const toUpdatedContactRecord = (scope: Scope, contact: StoredContact, choice: SlotChoice): UpdatedContactRecord => {
  const record = toContactRecord(scope, contact, choice);
  return { ...record, contact_id: contact.id, social_mesasging_type: record.social_messaging_type };
};

// ---- search keys ----

const normaliseName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
const normaliseEmail = (email: string) => email.trim().toLowerCase();
/**
 * Phones are compared in E.164 however they were typed: "+852 9123-4567", "9123 4567" and
 * "(852) 91234567" are all "+85291234567". A stored value that is no phone number (kept from
 * before numbers were normalised) is compared without its spacing and punctuation.
 */
export const normalisePhone = (phone: string, region?: string) => toE164(phone, region) ?? phone.replace(/[\s\-().]/g, '');

function lookupsOf(scope: Scope, contact: StoredContact): ContactLookupTable[] {
  const workspaceId = scope.workspaceId;
  const keys: [ContactLookupTable['kind'], string][] = [
    ['name', normaliseName(contact.fullName)],
    ...Object.values(emailSlots).map((slot): [ContactLookupTable['kind'], string] => ['email', normaliseEmail(contact[slot])]),
    ...Object.values(phoneSlots).map((slot): [ContactLookupTable['kind'], string] => ['phone', normalisePhone(contact[slot], scope.phoneRegion)]),
  ];
  const unique = new Map(keys.filter(([, value]) => value !== '').map(([kind, value]) => [`${kind}:${value}`, { kind, value }]));
  return [...unique.values()].map(({ kind, value }) => ({ workspace_id: workspaceId, contact_id: contact.id, kind, value }));
}

// ---- storage ----

async function storedContact(db: Db, scope: Scope, id: string): Promise<StoredContact> {
  const row = await db.selectFrom('contacts').select('document').where('workspace_id', '=', scope.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('contact', id);
  return fromDocument<StoredContact>(row.document);
}

async function insertContact(trx: Db, scope: Scope, contact: StoredContact): Promise<void> {
  await trx
    .insertInto('contacts')
    .values({ id: contact.id, workspace_id: scope.workspaceId, document: toDocument(contact), created_at: contact.createdAt, updated_at: contact.updatedAt })
    .execute();
  await writeLookups(trx, scope, contact);
}

async function saveContact(trx: Db, scope: Scope, contact: StoredContact): Promise<void> {
  await trx
    .updateTable('contacts')
    .set({ document: toDocument(contact), updated_at: contact.updatedAt })
    .where('id', '=', contact.id)
    .execute();
  await trx.deleteFrom('contact_lookups').where('contact_id', '=', contact.id).execute();
  await writeLookups(trx, scope, contact);
}

async function writeLookups(trx: Db, scope: Scope, contact: StoredContact): Promise<void> {
  const lookups = lookupsOf(scope, contact);
  if (lookups.length > 0) await trx.insertInto('contact_lookups').values(lookups).execute();
}

async function removeContact(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom('contact_lookups').where('contact_id', '=', id).execute();
  await trx.deleteFrom('contacts').where('id', '=', id).execute();
}

/** What every contact event carries besides its own keys. */
const contactEventBase = (scope: Scope, stored: StoredContact) => {
  const contact = toContact(scope, stored);
  return { id: contact.id, name: contact.fullName, link: contact.link, contact };
};

// ---- operations ----

export async function getContact(db: Db, scope: Scope, id: string): Promise<Contact> {
  return toContact(scope, await storedContact(db, scope, id));
}

/**
 * Find Contact: by full name (case-insensitive, exact "first last"), by email (any of the
 * three email slots) and/or by phone (any of the four phone slots, compared in E.164, so
 * however it was typed; a phone that cannot be a number is a 400 naming `phone`).
 * Several criteria narrow each other. Newest first, at most 100.
 */
export async function findContacts(db: Db, scope: Scope, query: z.output<typeof FindContactQuery>): Promise<ContactRecord[]> {
  // The most selective key first: it drives the query.
  const criteria: [ContactLookupTable['kind'], string][] = [];
  if (query.email) criteria.push(['email', normaliseEmail(query.email)]);
  if (query.phone) criteria.push(['phone', phoneField('phone', query.phone, scope.phoneRegion)]);
  if (query.fullName) criteria.push(['name', normaliseName(query.fullName)]);
  const [first, ...others] = criteria;
  if (!first) return [];
  // The search keys drive: their index finds the few matching contacts, which are then sorted.
  // CROSS JOIN keeps SQLite from walking every contact of the workspace in created_at order
  // instead (it takes the left table as the outer loop; PostgreSQL plans it as an inner join).
  let select = db
    .selectFrom('contact_lookups as l')
    .crossJoin('contacts as c')
    .select('c.document')
    .whereRef('c.id', '=', 'l.contact_id')
    .where('l.workspace_id', '=', scope.workspaceId)
    .where('l.kind', '=', first[0])
    .where('l.value', '=', first[1])
    .where('c.workspace_id', '=', scope.workspaceId);
  for (const [kind, value] of others) {
    select = select.where(
      'c.id',
      'in',
      db.selectFrom('contact_lookups').select('contact_id').where('workspace_id', '=', scope.workspaceId).where('kind', '=', kind).where('value', '=', value),
    );
  }
  const rows = await select.orderBy('c.created_at', 'desc').orderBy('c.id', 'desc').limit(100).execute();
  return rows.map((row) => toContactRecord(scope, fromDocument<StoredContact>(row.document)));
}

/** Create Contact: owned by the workspace's first staff member; records contact.created. */
export async function createContact(db: Db, scope: Scope, input: z.output<typeof CreateContactBody>): Promise<ContactRecord> {
  return inTransaction(db, async (trx) => {
    const now = nowIso();
    const contact = applyInput(scope, blankContact(newId('ctc'), await defaultOwner(trx, scope), now), input);
    await insertContact(trx, scope, contact);
    await recordEvent(trx, scope.workspaceId, 'contact.created', (meta) => ({
      ...meta,
      event: 'contact.created',
      status: 'created',
      ...contactEventBase(scope, contact),
    }));
    return toContactRecord(scope, contact, input);
  });
}

/** The keys of Contact whose value differs (compared as JSON, so arrays and addresses count too). */
function changedKeys(before: StoredContact, after: StoredContact): string[] {
  return (Object.keys(after) as (keyof StoredContact)[]).filter((key) => key !== 'updatedAt' && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** Update Contact: changes only the keys sent; contact.updated names the Contact keys that changed (none changed: no event). */
export async function updateContact(db: Db, scope: Scope, id: string, input: z.output<typeof UpdateContactBody>): Promise<UpdatedContactRecord> {
  return inTransaction(db, async (trx) => {
    const before = await storedContact(trx, scope, id);
    const applied = applyInput(scope, before, input);
    const changedFields = changedKeys(before, applied);
    if (changedFields.length === 0) return toUpdatedContactRecord(scope, before, input);
    const after = { ...applied, updatedAt: nowIso() };
    await saveContact(trx, scope, after);
    await recordEvent(trx, scope.workspaceId, 'contact.updated', (meta) => ({
      ...meta,
      event: 'contact.updated',
      status: 'updated',
      ...contactEventBase(scope, after),
      changedFields,
    }));
    return toUpdatedContactRecord(scope, after, input);
  });
}

export async function deleteContact(db: Db, scope: Scope, id: string): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const contact = await storedContact(trx, scope, id);
    await removeContact(trx, id);
    await recordEvent(trx, scope.workspaceId, 'contact.deleted', (meta) => ({
      ...meta,
      event: 'contact.deleted',
      status: 'deleted',
      ...contactEventBase(scope, contact),
    }));
    return toContact(scope, contact);
  });
}

/** Keys a merge may fill in on the surviving contact (identity, ownership and times stay its own). */
const mergeableKeys = (contact: StoredContact) =>
  (Object.keys(contact) as (keyof StoredContact)[]).filter(
    (key) => typeof contact[key] === 'string' && !['id', 'fullName', 'ownerID', 'ownerName', 'ownerDepartment', 'createdAt', 'updatedAt'].includes(key),
  );

function mergeInto(target: StoredContact, sources: StoredContact[]): StoredContact {
  const merged: Record<string, unknown> = { ...target };
  for (const source of sources) {
    for (const key of mergeableKeys(target)) if (merged[key] === '' && source[key] !== '') merged[key] = source[key];
  }
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  return withFullName({
    ...(merged as StoredContact),
    addresses: target.addresses.length > 0 ? target.addresses : (sources.find((s) => s.addresses.length > 0)?.addresses ?? []),
    sharedWith: union([target.sharedWith, ...sources.map((s) => s.sharedWith)]).filter((id) => id !== target.ownerID),
    slavecontacts: union([target.slavecontacts, ...sources.flatMap((s) => [[s.id], s.slavecontacts])]),
  });
}

/**
 * Merges other contacts into this one: empty fields are filled from them, their ids join
 * `slavecontacts`, and they disappear. One contact.merged event, on the surviving contact.
 */
export async function mergeContacts(db: Db, scope: Scope, id: string, input: z.output<typeof MergeContactsBody>): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const sourceIds = [...new Set(input.sourceContactIds)];
    if (sourceIds.includes(id)) throw conflict(`Contact ${id} cannot be merged into itself; list only other contacts in sourceContactIds.`);
    const target = await storedContact(trx, scope, id);
    const sources: StoredContact[] = [];
    for (const sourceId of sourceIds) sources.push(await storedContact(trx, scope, sourceId));

    const merged = { ...mergeInto(target, sources), updatedAt: nowIso() };
    for (const source of sources) await removeContact(trx, source.id);
    await saveContact(trx, scope, merged);
    await recordEvent(trx, scope.workspaceId, 'contact.merged', (meta) => ({
      ...meta,
      event: 'contact.merged',
      status: 'merged',
      ...contactEventBase(scope, merged),
      mergedContactIds: sourceIds,
    }));
    return toContact(scope, merged);
  });
}

/** Hands the contact to another staff member; contact.ownership_transferred names both. */
export async function transferContact(db: Db, scope: Scope, id: string, input: z.output<typeof TransferContactBody>): Promise<Contact> {
  return inTransaction(db, async (trx) => {
    const before = await storedContact(trx, scope, id);
    const to = await staffMember(trx, scope, input.toOwnerID);
    if (before.ownerID === to.id) throw conflict(`Contact ${id} is already owned by ${before.ownerName} (${to.id}).`);
    const after: StoredContact = {
      ...before,
      ownerID: to.id,
      ownerName: staffName(to),
      ownerDepartment: to.department,
      sharedWith: before.sharedWith.filter((staffId) => staffId !== to.id),
      updatedAt: nowIso(),
    };
    await saveContact(trx, scope, after);
    await recordEvent(trx, scope.workspaceId, 'contact.ownership_transferred', (meta) => ({
      ...meta,
      event: 'contact.ownership_transferred',
      status: 'ownership_transferred',
      ...contactEventBase(scope, after),
      fromOwnerID: before.ownerID,
      fromOwnerName: before.ownerName,
      toOwnerID: after.ownerID,
      toOwnerName: after.ownerName,
    }));
    return toContact(scope, after);
  });
}
