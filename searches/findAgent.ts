import { defineSearch, defineInputFields, type InferInputData, type SearchPerform } from 'zapier-platform-core';
import { callConnector } from '../lib/connector.js';
import { outputOf } from '../lib/output-shapes.js';

const inputFields = defineInputFields([
  { key: 'login', label: 'Email', helpText: "The agent's email (login). Fill in Email or Name." },
  { key: 'name', label: 'Name', helpText: 'The agent\'s name, whole or in part, in any case: "lee" finds Ben Lee. Whole-name matches come first.' },
]);

/** Agents whose whole name is the one typed come before those whose name only contains it. */
function bestFirst<A extends { name: string }>(agents: A[], name: unknown): A[] {
  const typed = typeof name === 'string' ? name.trim().toLowerCase() : '';
  if (!typed) return agents;
  const whole = (agent: A) => agent.name.toLowerCase() === typed;
  return [...agents.filter(whole), ...agents.filter((agent) => !whole(agent))];
}

const perform = (async (z, bundle) => {
  const { login, name } = bundle.inputData;
  if (![login, name].some((v) => v && String(v).trim())) {
    throw new z.errors.Error('Fill in Email or Name to find an agent.', 'InvalidInput');
  }
  const found = await callConnector(z, bundle, 'listAgents', {
    query: { login, name } as Record<string, string | undefined>,
    action: 'find the agent',
    fieldLabels: { login: 'Email', name: 'Name' },
    notFoundIsEmpty: true,
  });
  return bestFirst(found?.data ?? [], name);
}) satisfies SearchPerform<InferInputData<typeof inputFields>>;

export default defineSearch({
  key: 'findAgent',
  noun: 'Agent',
  display: { label: 'Find Agent', description: 'Finds an agent by email or name.' },
  operation: { inputFields, perform, ...outputOf('Agent') },
});
