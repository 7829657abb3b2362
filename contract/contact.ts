import { z } from 'zod';
import { phoneTypes, emailTypes, socialMessagingTypes, contactLevels, contactTypes } from './enums.js';
import { Id, IsoDate, IsoDateTime, RecordLink } from './common.js';
import { PhoneNumber } from './sms.js';

const text = (max = 200) => z.string().trim().max(max);

/**
 * What "Create Contact" and "Update Contact" send: the seed's request fields, in the
 * snake_case of its responses. A phone, an email and a social handle each come with a type
 * that says which slot of the contact they fill.
 */
export const ContactInput = z
  .object({
    first_name: text().min(1, 'must not be empty'),
    last_name: text(),
    level: z.enum(contactLevels),
    type: z.enum(contactTypes),
    phone_type: z.enum(phoneTypes),
    phone_number: PhoneNumber,
    email_type: z.enum(emailTypes),
    email_address: z.email('must be an email address such as mei.chan@example.com'),
    company: text(),
    job_title: text(),
    team: text(),
    group: text(),
    language: text(16),
    birth_date: IsoDate,
    zip_code: text(16),
    street: text(),
    city: text(),
    state: text(),
    country: text(64),
    social_messaging_type: z.enum(socialMessagingTypes),
    social_messaging_name_id: text(),
  })
  .partial()
  .strict();
export type ContactInput = z.infer<typeof ContactInput>;

/** Without phone_type a number is the mobile phone, without email_type an address is the work email. */
export const defaultPhoneType = 'mobile' satisfies (typeof phoneTypes)[number];
export const defaultEmailType = 'work' satisfies (typeof emailTypes)[number];

export const CreateContactBody = ContactInput.required({ first_name: true }).refine((c) => !c.social_messaging_name_id || c.social_messaging_type, {
  message: 'is required when social_messaging_name_id is given',
  path: ['social_messaging_type'],
});
export const UpdateContactBody = ContactInput.refine((c) => Object.keys(c).length > 0, {
  message: 'give at least one field to change',
});

/** The seed's record of "Create Contact": its snake_case response keys, plus `id` and `link`. */
const SeedContactRecord = z.object({
  id: Id,
  first_name: z.string(),
  last_name: z.string(),
  level: z.string(),
  type: z.string(),
  phone_type: z.string(),
  phone_number: z.string(),
  email_type: z.string(),
  email_address: z.string(),
  company: z.string(),
  job_title: z.string(),
  team: z.string(),
  group: z.string(),
  language: z.string(),
  birth_date: z.string(),
  zip_code: z.string(),
  street: z.string(),
  city: z.string(),
  state: z.string(),
  country: z.string(),
  social_messaging_type: z.string(),
  social_messaging_name_id: z.string(),
  link: RecordLink,
});
export const ContactAddress = z.object({
  street: z.string(),
  city: z.string(),
  state: z.string(),
  zipCode: z.string(),
  country: z.string(),
});

/** The stored external contact, as "Find Contact" returns it (the seed's camelCase keys). */
export const Contact = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  fullName: z.string(),
  mobilePhone: z.string(),
  workPhone: z.string(),
  homePhone: z.string(),
  otherPhone: z.string(),
  email: z.string(),
  personalEmail: z.string(),
  otherEmail: z.string(),
  facebook: z.string(),
  whatsApp: z.string(),
  weChat: z.string(),
  line: z.string(),
  twitter: z.string(),
  linkedin: z.string(),
  companyName: z.string(),
  department: z.string(),
  jobTitle: z.string(),
  birthday: z.string(),
  language: z.string(),
  addresses: z.array(ContactAddress),
  customerType: z.string(),
  group: z.string(),
  level: z.string(),
  ownerID: Id,
  ownerName: z.string(),
  ownerDepartment: z.string(),
  sharedWith: z.array(z.string()).describe('Ids of staff the contact is shared with'),
  slavecontacts: z.array(Id).describe('Ids of contacts merged into this one'),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  link: RecordLink,
});
export type Contact = z.infer<typeof Contact>;

/**
 * What "Create Contact" and "Find Contact" both answer, so "Find or Create Contact" gives one
 * shape whichever step ran: the seed's snake_case record (Create Contact's) and the stored
 * contact's camelCase keys (Find Contact's). Typed values (phone_number, email_address,
 * social_messaging_name_id) show the slot the request named, else the first filled one.
 */
export const ContactRecord = Contact.extend(SeedContactRecord.shape);
export type ContactRecord = z.infer<typeof ContactRecord>;

/**
 * "Update Contact" answers with `contact_id` as well, and the seed spells one key
 * `social_mesasging_type`: existing Zaps map that spelling, so it is kept beside the right one.
 */
export const UpdatedContactRecord = ContactRecord.extend({
  contact_id: Id,
  social_mesasging_type: z.string(),
});
export type UpdatedContactRecord = z.infer<typeof UpdatedContactRecord>;

export const FindContactQuery = z
  .object({
    fullName: z.string().trim().min(1).max(200),
    email: z.string().trim().min(1).max(254),
    phone: z.string().trim().min(1).max(32),
  })
  .partial()
  .refine((q) => q.fullName || q.email || q.phone, { message: 'give fullName, email or phone' });

export const MergeContactsBody = z.object({
  sourceContactIds: z.array(Id).min(1, 'name at least one contact to merge').max(20),
});
export const TransferContactBody = z.object({ toOwnerID: Id });
