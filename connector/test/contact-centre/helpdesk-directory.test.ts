// The helpdesk's directory on both databases: the groups, agents, requesters and organisations
// rules name by id, as the rule editor offers them, answered only with the admin token; and the
// ids it lists are the ones a rule may use (the API accepts a rule naming them).
import { DIRECTORY_REQUESTERS, HelpdeskDirectory } from '../../../contract/index.js';
import { connectorDatabases, startConnector, type TestConnector } from '../support/connector.js';
import { closeAll } from '../support/teardown.js';

describe.each(connectorDatabases)('the helpdesk directory on the %s database', (database) => {
  let connector: TestConnector | undefined;
  beforeAll(async () => {
    connector = await startConnector({ CONNECTOR_RATE_LIMIT_MAX: '1000' }, { seed: true, database });
  }, 30_000);
  afterAll(() => closeAll(connector));

  const post = async (path: string, body: object) => {
    const created = await connector!.call(path, { method: 'POST', body });
    expect(created.status).toBe(201);
    return created.body;
  };
  const directory = async () => {
    const answer = await connector!.call('/admin/api/helpdesk-directory', { as: 'admin' });
    expect(answer.status).toBe(200);
    return HelpdeskDirectory.parse(answer.body);
  };

  it('lists groups with their agent counts, agents by name, newest requesters first, organisations by size', async () => {
    const before = await directory();
    const groups = (await connector!.call('/v1/groups')).body.data as Array<{ id: number; name: string }>;
    const group = groups.find((g) => g.id !== 0) ?? groups[0]!;
    const agent = await post('/v1/agents', { login: 'zoe.directory@example.com', name: 'Zoë Directory', groups: [group.id] });
    await post('/v1/tickets', { message: 'One', requester: { mail: 'first@example.com', name: 'First Asker', organization_id: 7 } });
    await post('/v1/tickets', { message: 'Two', requester: { mail: 'second@example.com', name: 'Second Asker', organization_id: 7 } });
    await post('/v1/tickets', { message: 'Three', requester: { mail: 'third@example.com', name: 'Third Asker', organization_id: 3 } });

    const after = await directory();
    expect(after.groups.map((g) => ({ id: g.id, name: g.name }))).toEqual([...groups].sort((a, b) => a.id - b.id));
    const countOf = (d: HelpdeskDirectory, id: number) => d.groups.find((g) => g.id === id)!.agents;
    expect(countOf(after, group.id)).toBe(countOf(before, group.id) + 1);

    expect(after.agents).toContainEqual({ id: agent.user_id, name: 'Zoë Directory', email: 'zoe.directory@example.com' });
    const names = after.agents.map((a) => a.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));

    expect(after.requesters.slice(0, 3).map((r) => r.email)).toEqual(['third@example.com', 'second@example.com', 'first@example.com']);
    expect(after.requestersTotal).toBe(before.requestersTotal + 3);
    expect(after.requesters.some((r) => r.email === 'zoe.directory@example.com')).toBe(false);

    const org7 = after.organizations.findIndex((o) => o.id === 7);
    const org3 = after.organizations.findIndex((o) => o.id === 3);
    expect(after.organizations[org7]!.users).toBeGreaterThanOrEqual(2);
    expect(org7).toBeLessThan(org3);
    expect(after.organizationsTotal).toBe(new Set([...before.organizations.map((o) => o.id), 7, 3]).size);

    // What it lists, a rule may name: the API takes a rule sending to the listed agent and group.
    const rule = await connector!.call('/apiv2/triggers.json', {
      method: 'POST',
      as: 'admin',
      body: {
        trigger: {
          title: 'Named from the directory',
          conditions: { all: [{ source: 'organization', operator: 'is', value: String(after.organizations[org7]!.id) }], any: [] },
          actions: [
            { source: 'assignee_id', value: String(agent.user_id) },
            { source: 'email_group', value: String(group.id), subject: 'New', body: '' },
            { source: 'email_user', value: String(after.requesters[0]!.id), subject: 'Hi', body: '' },
          ],
        },
      },
    });
    expect(rule.status).toBe(201);
  });

  it(`lists at most ${DIRECTORY_REQUESTERS} requesters and says how many there are`, async () => {
    const before = (await directory()).requestersTotal;
    const extra = Math.max(DIRECTORY_REQUESTERS + 5 - before, 0);
    for (let i = 0; i < extra; i++) await post('/v1/tickets', { message: `Bulk ${i}`, requester: { mail: `bulk${i}@example.com` } });
    const listed = await directory();
    expect(listed.requesters).toHaveLength(DIRECTORY_REQUESTERS);
    expect(listed.requestersTotal).toBe(before + extra);
  }, 60_000);

  it('answers only with the admin token', async () => {
    expect((await connector!.call('/admin/api/helpdesk-directory')).status).toBe(401);
    expect((await connector!.call('/admin/api/helpdesk-directory', { as: 'none' })).status).toBe(401);
  });
});
