import { defineCreate, defineInputFields, type CreatePerform, type InferInputData } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { dropdownOf } from '../lib/dropdown.js';
import { outputOf } from '../lib/output-shapes.js';
import agentList from '../triggers/agentList.js';

const inputFields = defineInputFields([
  { key: 'login', label: 'Agent', required: true, dynamic: dropdownOf(agentList), search: 'findAgent.id', helpText: 'The agent to remove, by email.' },
]);

const perform = (async (z, bundle) =>
  callConnector(z, bundle, 'deleteAgent', {
    params: { login: String(bundle.inputData.login ?? '').trim() },
    action: 'delete the agent',
    fieldLabels: { login: 'Agent' },
  })) satisfies CreatePerform<InferInputData<typeof inputFields>>;

export default defineCreate({
  key: 'deleteAgent',
  noun: 'Agent',
  display: {
    label: 'Delete Agent',
    description:
      'Deletes an agent permanently: they can no longer sign in or take chats, and their open tickets become unassigned. Their past chats and tickets stay. This cannot be undone.',
  },
  operation: { inputFields, perform, ...outputOf('DeletedAgent') },
});
