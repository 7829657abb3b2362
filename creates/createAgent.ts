import { defineCreate, defineInputFields, type CreatePerform, type InferInputData } from 'zapier-platform-core';
import { agentPermissions, loginStatuses } from '../contract/enums.js';
import { callConnector } from '../lib/connector.js';
import { outputOf } from '../lib/output-shapes.js';

const choicesOf = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, v[0]!.toUpperCase() + v.slice(1)]));

const inputFields = defineInputFields([
  { key: 'login', label: 'Email', required: true, helpText: "The agent's email address; it is also their login." },
  { key: 'name', label: 'Name', required: true },
  { key: 'login_status', label: 'Login Status', choices: choicesOf(loginStatuses), default: 'accepting chats' },
  { key: 'job_title', label: 'Job Title', default: 'Support Agent' },
  { key: 'permission', label: 'Permission', choices: choicesOf(agentPermissions), default: 'normal' },
  { key: 'password', label: 'Password', type: 'password', helpText: 'At least 5 characters. Leave empty to let the agent set one.' },
  { key: 'max_chats_count', label: 'Max Chats Count', type: 'integer', default: '6', helpText: 'How many chats the agent may handle at once, up to 20.' },
]);

const perform = (async (z, bundle) => {
  const input = bundle.inputData;
  const body = Object.fromEntries(
    Object.entries({
      login: input.login,
      name: input.name,
      login_status: input.login_status,
      job_title: input.job_title,
      permission: input.permission,
      password: input.password,
      // a blank mapped value means "not given" (Number('') would silently set 0 chats)
      max_chats_count: String(input.max_chats_count ?? '').trim() === '' ? undefined : Number(input.max_chats_count),
    }).filter(([, v]) => v !== undefined && v !== ''),
  );
  return callConnector(z, bundle, 'createAgent', {
    body,
    action: 'create the agent',
    fieldLabels: Object.fromEntries(inputFields.map((f) => [f.key, f.label])),
  });
}) satisfies CreatePerform<InferInputData<typeof inputFields>>;

export default defineCreate({
  key: 'createAgent',
  noun: 'Agent',
  display: { label: 'Create Agent', description: 'Adds an agent who can sign in and take chats and tickets.' },
  operation: { inputFields, perform, ...outputOf('Agent') },
});
