import { agentSample } from '../contract/index.js';
import { connector, run, useNock } from './support/connector.js';

useNock();

describe('Create Agent', () => {
  it('posts the agent with max_chats_count as a number and returns the agent', async () => {
    const body = {
      login: 'ava.wong@acme.example',
      name: 'Ava Wong',
      login_status: 'accepting chats',
      job_title: 'Support Agent',
      permission: 'normal',
      password: 'secret-pw',
      max_chats_count: 8,
    };
    connector().post('/v1/agents', body).reply(201, agentSample);
    await expect(run('creates', 'createAgent', { ...body, max_chats_count: '8' })).resolves.toEqual(agentSample);
  });

  it('leaves out fields not filled in, so the connector applies its defaults', async () => {
    connector().post('/v1/agents', { login: 'ava.wong@acme.example', name: 'Ava Wong' }).reply(201, agentSample);
    const inputData = { login: 'ava.wong@acme.example', name: 'Ava Wong', password: '', job_title: '', max_chats_count: '' };
    await expect(run('creates', 'createAgent', inputData)).resolves.toEqual(agentSample);
  });
});

describe('Delete Agent', () => {
  it.each([
    ['ava.wong@acme.example', '/v1/agents/ava.wong%40acme.example'],
    [' ava+zap@acme.example ', '/v1/agents/ava%2Bzap%40acme.example'],
  ])('DELETEs the agent by its URL-encoded email (%p → %s) and returns it marked deleted', async (login, path) => {
    const deleted = { ...agentSample, deleted: true };
    connector().delete(path).reply(200, deleted);
    await expect(run('creates', 'deleteAgent', { login })).resolves.toEqual(deleted);
  });
});
