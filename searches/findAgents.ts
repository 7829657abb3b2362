import { defineSearch, defineInputFields, type InferInputData, type SearchPerform } from 'zapier-platform-core';
import { agentPermissions, agentStatuses } from '../contract/enums.js';
import { findMany, SEARCH_RESULT_CAP } from '../lib/find-many.js';
import { dropdownOf } from '../lib/dropdown.js';
import { labelFor } from '../lib/labels.js';
import { outputOf } from '../lib/output-shapes.js';
import groupList from '../triggers/groupList.js';

const fieldLabels = { status: 'Status', permission: 'Permission', groupId: 'Group' } as const;

const inputFields = defineInputFields([
  {
    key: 'status',
    label: fieldLabels.status,
    choices: Object.fromEntries(agentStatuses.map((s) => [s, labelFor(s)])),
    helpText: `Only agents with this status. Leave every field empty for all agents; each one you fill in narrows the search. At most ${SEARCH_RESULT_CAP} agents come back, newest first.`,
  },
  {
    key: 'permission',
    label: fieldLabels.permission,
    choices: Object.fromEntries(agentPermissions.map((p) => [p, labelFor(p)])),
    helpText: 'Only agents with this permission.',
  },
  { key: 'groupId', label: fieldLabels.groupId, dynamic: dropdownOf(groupList), helpText: 'Only agents in this group.' },
]);

const perform = (async (z, bundle) => {
  const { status, permission, groupId } = bundle.inputData;
  return findMany(z, bundle, 'listAgents', {
    query: { status, permission, groupId } as Record<string, string | undefined>,
    action: 'find agents',
    fieldLabels,
    nouns: 'agents',
    order: 'newest first',
    narrowBy: 'Status, Permission or Group',
  });
}) satisfies SearchPerform<InferInputData<typeof inputFields>>;

export default defineSearch({
  key: 'findAgents',
  noun: 'Agent',
  display: {
    label: 'Find Agents',
    description: `Finds agents, all of them or by status, permission or group, newest first (up to ${SEARCH_RESULT_CAP}, each usable as a line item).`,
  },
  operation: { inputFields, perform, ...outputOf('Agent') },
});
