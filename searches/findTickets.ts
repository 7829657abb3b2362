import { defineSearch, defineInputFields, type InferInputData, type SearchPerform } from 'zapier-platform-core';
import { ticketStatuses } from '../contract/enums.js';
import { findMany, SEARCH_RESULT_CAP } from '../lib/find-many.js';
import { dropdownOf } from '../lib/dropdown.js';
import { labelFor } from '../lib/labels.js';
import { outputOf } from '../lib/output-shapes.js';
import agentList from '../triggers/agentList.js';
import groupList from '../triggers/groupList.js';

const fieldLabels = {
  status: 'Status',
  requesterEmail: "Requester's Email",
  assignee: 'Assignee',
  groupId: 'Group',
  tag: 'Tag',
  createdSince: 'Created Since',
  updatedSince: 'Updated Since',
} as const;

const inputFields = defineInputFields([
  {
    key: 'status',
    label: fieldLabels.status,
    choices: Object.fromEntries(ticketStatuses.map((s) => [s, labelFor(s)])),
    helpText: `Only tickets with this status. Every field you fill in narrows the search; with none, the newest tickets. At most ${SEARCH_RESULT_CAP} tickets come back, newest first.`,
  },
  { key: 'requesterEmail', label: fieldLabels.requesterEmail, helpText: 'Only tickets of this requester (any case).' },
  { key: 'assignee', label: fieldLabels.assignee, dynamic: dropdownOf(agentList), helpText: 'Only tickets assigned to this agent.' },
  { key: 'groupId', label: fieldLabels.groupId, dynamic: dropdownOf(groupList), helpText: 'Only tickets whose current group is this one.' },
  { key: 'tag', label: fieldLabels.tag, helpText: 'Only tickets carrying this tag (any case), e.g. refund.' },
  { key: 'createdSince', label: fieldLabels.createdSince, type: 'datetime', helpText: 'Only tickets created at or after this time.' },
  { key: 'updatedSince', label: fieldLabels.updatedSince, type: 'datetime', helpText: 'Only tickets changed at or after this time.' },
]);

const perform = (async (z, bundle) => {
  const { status, requesterEmail, assignee, groupId, tag, createdSince, updatedSince } = bundle.inputData;
  return findMany(z, bundle, 'listTickets', {
    query: { status, requesterEmail, assignee, groupId, tag, createdSince, updatedSince } as Record<string, string | undefined>,
    action: 'find tickets',
    fieldLabels,
    nouns: 'tickets',
    order: 'newest first',
    narrowBy: "Status, Requester's Email, Assignee, Group, Tag, Created Since or Updated Since",
  });
}) satisfies SearchPerform<InferInputData<typeof inputFields>>;

export default defineSearch({
  key: 'findTickets',
  noun: 'Ticket',
  display: {
    label: 'Find Tickets',
    description: `Finds tickets by status, requester, assignee, group, tag or time, newest first (up to ${SEARCH_RESULT_CAP}, each usable as a line item).`,
  },
  operation: { inputFields, perform, ...outputOf('Ticket') },
});
