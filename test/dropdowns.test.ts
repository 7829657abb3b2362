import App from '../index.js';
import { agentSample, groupSample, numberSample, roomSample, staffSample, tagSample, ticketSample } from '../contract/index.js';
import { connector, run, useNock } from './support/connector.js';

useNock();

const hidden = Object.values(App.triggers).filter((t) => 'hidden' in t.display && t.display.hidden);

describe('hidden dropdown triggers', () => {
  it.each([
    ['numberList', '/v1/numbers', numberSample, { id: '+85264501234', name: '+85264501234 (Hong Kong SMS line)', ServiceID: 'svc_acme_hk', type: 'mobile' }],
    ['staffList', '/v1/staff', staffSample, { id: 'stf_ava', name: 'Ava Wong (Support)' }],
    ['roomList', '/v1/rooms', roomSample, { id: 'room_escalations', name: 'Escalations' }],
    ['tagList', '/v1/tags', tagSample, { id: 'tag_vip', name: 'VIP', colorCode: '#E53935' }],
    ['agentList', '/v1/agents', agentSample, { id: 'ava.wong@acme.example', name: 'Ava Wong (ava.wong@acme.example)' }],
    ['groupList', '/v1/groups', groupSample, { id: '1', name: 'Customer Care' }],
    ['ticketList', '/v1/tickets', ticketSample, { id: 'TKT-1042', name: 'Order #A-1042 has not arrived · mei.chan@example.com · open' }],
  ] as const)('%s GETs %s and returns {id, name} choices', async (key, path, item, choice) => {
    connector().get(path).reply(200, { data: [item] });
    const choices = await run('triggers', key);
    expect(choices).toEqual([choice]);
    expect(choices).toEqual([expect.objectContaining({ id: expect.any(String), name: expect.any(String) })]);
  });

  it('covers every hidden trigger', () => {
    expect(hidden.map((t) => t.key).sort()).toEqual(['agentList', 'groupList', 'numberList', 'roomList', 'staffList', 'tagList', 'ticketList']);
  });

  it('numberList passes the number type chosen in the action', async () => {
    connector().get('/v1/numbers').query({ numberType: 'sender_id' }).reply(200, { data: [] });
    await expect(run('triggers', 'numberList', { numberType: 'sender_id' })).resolves.toEqual([]);
  });

  it('a ticket without a subject still gets a readable choice', async () => {
    connector().get('/v1/tickets').reply(200, { data: [{ ...ticketSample, subject: '' }] });
    await expect(run('triggers', 'ticketList')).resolves.toEqual([{ id: 'TKT-1042', name: '(no subject) · mei.chan@example.com · open' }]);
  });
});
