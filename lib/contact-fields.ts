import { contactLevels, contactTypes, emailTypes, phoneTypes, socialMessagingTypes } from '../contract/enums.js';
import type { ContactInput } from '../contract/index.js';
import { choiceFor, type Refuse } from './choices.js';
import { labelFor } from './labels.js';

const choicesOf = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, labelFor(v)]));

/** The seed's contact fields, shared by Create Contact and Update Contact. */
export const contactInputFields = [
  { key: 'first_name', label: 'First Name', required: true },
  { key: 'last_name', label: 'Last Name' },
  { key: 'level', label: 'Level', choices: choicesOf(contactLevels) },
  { key: 'type', label: 'Type', choices: choicesOf(contactTypes) },
  {
    key: 'phone_type',
    label: 'Phone Type',
    choices: choicesOf(phoneTypes),
    helpText: "Which phone slot the number fills. Left empty: Mobile (on Update Contact: the slot the contact's number is already in, else Mobile).",
  },
  {
    key: 'phone_number',
    label: 'Phone Number',
    helpText:
      "Typed any way, e.g. +852 9123 4567, (852) 91234567 or 9123-4567; a number without a country code is read in the connector's default region (Hong Kong unless set otherwise). Kept as +85291234567.",
  },
  {
    key: 'email_type',
    label: 'Email Type',
    choices: choicesOf(emailTypes),
    helpText: "Which email slot the address fills. Left empty: Work (on Update Contact: the slot the contact's address is already in, else Work).",
  },
  { key: 'email_address', label: 'Email Address' },
  { key: 'company', label: 'Company' },
  { key: 'job_title', label: 'Job Title' },
  { key: 'team', label: 'Team' },
  { key: 'group', label: 'Group' },
  { key: 'language', label: 'Language', helpText: 'A language code such as en or zh-HK.' },
  {
    key: 'birth_date',
    label: 'Birth Date',
    type: 'datetime',
    helpText:
      "Any date Zapier understands, e.g. April 18, 1990 or 1990-04-18. Only the calendar date is kept (as 1990-04-18), as written in your Zap's time zone; a time of day is dropped.",
  },
  { key: 'zip_code', label: 'Zip Code' },
  { key: 'street', label: 'Street' },
  { key: 'city', label: 'City' },
  { key: 'state', label: 'State' },
  { key: 'country', label: 'Country', helpText: 'A two-letter country code such as HK.' },
  { key: 'social_messaging_type', label: 'Social Messaging Type', choices: choicesOf(socialMessagingTypes) },
  { key: 'social_messaging_name_id', label: 'Social Messaging Name Id', helpText: 'The handle or number on the chosen social messaging app.' },
] as const;

export const contactFieldLabels = Object.fromEntries(contactInputFields.map((f) => [f.key, f.label]));

/**
 * A datetime field's value as the seed's calendar date: Zapier passes what it parsed as
 * ISO-8601 in the Zap's time zone ("1990-04-18T00:00:00+08:00"), so the date written there is
 * the one the user meant (converting to UTC first could make it the day before). Anything
 * else is sent as typed, for the connector to accept (YYYY-MM-DD) or refuse naming the field.
 */
export const calendarDateOf = (value: string) =>
  /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value)?.[1] ?? value;

type ContactInputField = (typeof contactInputFields)[number];

/** What a field sends: a choice's value (also when its label was mapped), a Birth Date's calendar date, else the text. */
function fieldValue(field: ContactInputField, value: string, refuse: Refuse): string {
  if ('choices' in field) return choiceFor(field.label, field.choices, value, refuse);
  return field.key === 'birth_date' ? calendarDateOf(value) : value;
}

/**
 * The contact fields the user filled in, trimmed; empty ones are left out, so an update
 * changes only them. A value outside a field's choices is refused, naming the field.
 */
export function contactBodyFrom(inputData: Record<string, unknown>, refuse: Refuse = (message) => new Error(message)): ContactInput {
  return Object.fromEntries(
    contactInputFields
      .map((field) => [field, inputData[field.key]] as const)
      .filter(([, value]) => value !== undefined && value !== null && String(value).trim() !== '')
      .map(([field, value]) => [field.key, fieldValue(field, String(value).trim(), refuse)]),
  ) as ContactInput;
}
