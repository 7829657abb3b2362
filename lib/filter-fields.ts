import { contactSample } from '../contract/samples.js';
import { enquiryChannels, enquiryTypes, smsStatuses, ticketSourceTypes } from '../contract/enums.js';
import { labelFor } from './labels.js';
import { dropdownOf } from './dropdown.js';
import staffList from '../triggers/staffList.js';
import tagList from '../triggers/tagList.js';
import groupList from '../triggers/groupList.js';

/** Optional filters offered on instant triggers; their keys are the contract's filter keys. */
const choicesOf = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, labelFor(v)]));

export const channelFilter = {
  key: 'channel',
  label: 'Channel',
  helpText: 'Only enquiries that came in on this channel. Leave empty for every channel.',
  choices: choicesOf(enquiryChannels),
};
export const enquiryTypeFilter = {
  key: 'type',
  label: 'Enquiry Type',
  helpText: 'Only calls, chats or messages. Leave empty for every type.',
  choices: choicesOf(enquiryTypes),
};
export const staffFilter = (key: string, label: string, helpText: string) => ({
  key,
  label,
  helpText,
  dynamic: dropdownOf(staffList),
});
export const contactFieldFilter = {
  key: 'changedField',
  label: 'Changed Field',
  helpText: 'Only updates that change this field of the contact, e.g. Email. Leave empty for any change.',
  choices: Object.fromEntries(
    Object.keys(contactSample)
      .filter((k) => !['id', 'fullName', 'createdAt', 'updatedAt', 'link', 'slavecontacts'].includes(k))
      .map((k) => [k, labelFor(k)]),
  ),
};
export const tagFilter = {
  key: 'tagId',
  label: 'Tag',
  helpText: 'Only this tag. Leave empty for every tag.',
  dynamic: dropdownOf(tagList),
};
export const smsStatusFilter = {
  key: 'status',
  label: 'Status',
  helpText: 'Only reports with this status, e.g. Failed to follow up on undelivered messages. Leave empty for every status.',
  choices: choicesOf(smsStatuses),
};
export const ticketSourceFilter = {
  key: 'sourceType',
  label: 'Source Type',
  helpText: 'Only tickets from this source. Leave empty for every source.',
  choices: Object.fromEntries(ticketSourceTypes.map((v) => [v, v])),
};
export const groupFilter = (what: string) => ({
  key: 'groupId',
  label: 'Group',
  helpText: `Only ${what} of this agent group. Leave empty for every group.`,
  dynamic: dropdownOf(groupList),
});
export const labelTagFilter = (what: string) => ({
  key: 'tag',
  label: 'With Tag',
  helpText: `Only ${what} carrying this tag (exact text). Leave empty for all.`,
});
