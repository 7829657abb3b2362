import { contactLevels, contactTypes, emailTypes, phoneTypes, socialMessagingTypes } from '../contract/enums.js';
import type { ContactInput } from '../contract/index.js';
import { labelFor } from './labels.js';

const choicesOf = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, labelFor(v)]));

/** The seed's contact fields, shared by Create Contact and Update Contact. */
export const contactInputFields = [
  { key: 'first_name', label: 'First Name', required: true },
  { key: 'last_name', label: 'Last Name' },
  { key: 'level', label: 'Level', choices: choicesOf(contactLevels) },
  { key: 'type', label: 'Type', choices: choicesOf(contactTypes) },
  { key: 'phone_type', label: 'Phone Type', choices: choicesOf(phoneTypes), helpText: 'Which phone slot the number fills. Required with a phone number.' },
  { key: 'phone_number', label: 'Phone Number', helpText: 'In international format, e.g. +85291234567.' },
  { key: 'email_type', label: 'Email Type', choices: choicesOf(emailTypes), helpText: 'Which email slot the address fills. Required with an email address.' },
  { key: 'email_address', label: 'Email Address' },
  { key: 'company', label: 'Company' },
  { key: 'job_title', label: 'Job Title' },
  { key: 'team', label: 'Team' },
  { key: 'group', label: 'Group' },
  { key: 'language', label: 'Language', helpText: 'A language code such as en or zh-HK.' },
  { key: 'birth_date', label: 'Birth Date', type: 'string', helpText: 'As YYYY-MM-DD, e.g. 1990-04-18.' },
  { key: 'zip_code', label: 'Zip Code' },
  { key: 'street', label: 'Street' },
  { key: 'city', label: 'City' },
  { key: 'state', label: 'State' },
  { key: 'country', label: 'Country', helpText: 'A two-letter country code such as HK.' },
  { key: 'social_messaging_type', label: 'Social Messaging Type', choices: choicesOf(socialMessagingTypes) },
  { key: 'social_messaging_name_id', label: 'Social Messaging Name Id', helpText: 'The handle or number on the chosen social messaging app.' },
] as const;

export const contactFieldLabels = Object.fromEntries(contactInputFields.map((f) => [f.key, f.label]));

/** The contact fields the user filled in, trimmed; empty ones are left out, so an update changes only them. */
export function contactBodyFrom(inputData: Record<string, unknown>): ContactInput {
  return Object.fromEntries(
    contactInputFields
      .map(({ key }) => [key, inputData[key]] as const)
      .filter(([, value]) => value !== undefined && value !== null && String(value).trim() !== '')
      .map(([key, value]) => [key, String(value).trim()]),
  ) as ContactInput;
}
