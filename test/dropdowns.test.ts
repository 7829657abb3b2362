import App from '../index.js';
import { agentSample, groupSample, numberSample, roomSample, staffSample, tagSample, ticketSample } from '../contract/index.js';
import { LAST_PAGE_SHOWN } from '../lib/dropdown.js';
import { bundleWith } from './support/bundle.js';
import { connector, failureOf, invoke, run, useNock } from './support/connector.js';
import { createInvoker } from './support/invoke.js';

useNock();

const hidden = Object.values(App.triggers).filter((t) => 'hidden' in t.display && t.display.hidden);

const dropdowns = [
  ['numberList', '/v1/numbers', numberSample, { id: '+85264501234', name: '+85264501234 (Hong Kong SMS line)', ServiceID: 'svc_acme_hk', type: 'mobile' }],
  ['staffList', '/v1/staff', staffSample, { id: 'stf_ava', name: 'Ava Wong (Support)' }],
  ['roomList', '/v1/rooms', roomSample, { id: 'room_escalations', name: 'Escalations' }],
  ['tagList', '/v1/tags', tagSample, { id: 'tag_vip', name: 'VIP', colorCode: '#E53935' }],
  ['agentList', '/v1/agents', agentSample, { id: 'ava.wong@acme.example', name: 'Ava Wong (ava.wong@acme.example)' }],
  ['groupList', '/v1/groups', groupSample, { id: '1', name: 'Customer Care' }],
  ['ticketList', '/v1/tickets', ticketSample, { id: 'TKT-1042', name: 'Order #A-1042 has not arrived · mei.chan@example.com · open' }],
] as const;

/** Page `page` of a dropdown, as Zapier asks for it on "Load more" (bundle.meta.page). */
const pageOf = (key: string, page: number, inputData: Record<string, unknown> = {}) => run('triggers', key, inputData, { meta: { page } });

describe('hidden dropdown triggers', () => {
  it.each(dropdowns)('%s GETs %s?limit=100 and returns {id, name} choices', async (key, path, item, choice) => {
    connector()
      .get(path)
      .query({ limit: '100' })
      .reply(200, { data: [item], nextCursor: null });
    const choices = await run('triggers', key);
    expect(choices).toEqual([choice]);
    expect(choices).toEqual([expect.objectContaining({ id: expect.any(String), name: expect.any(String) })]);
  });

  it('covers every hidden trigger, each able to page ("Load more")', () => {
    expect(hidden.map((t) => t.key).sort()).toEqual(['agentList', 'groupList', 'numberList', 'roomList', 'staffList', 'tagList', 'ticketList']);
    expect(hidden.filter((t) => !(t.operation as { canPaginate?: boolean }).canPaginate).map((t) => t.key)).toEqual([]);
  });

  it('numberList passes the number type chosen in the action', async () => {
    connector().get('/v1/numbers').query({ numberType: 'sender_id', limit: '100' }).reply(200, { data: [], nextCursor: null });
    await expect(run('triggers', 'numberList', { numberType: 'sender_id' })).resolves.toEqual([]);
  });

  it('a ticket without a subject still gets a readable choice', async () => {
    connector()
      .get('/v1/tickets')
      .query({ limit: '100' })
      .reply(200, { data: [{ ...ticketSample, subject: '' }], nextCursor: null });
    await expect(run('triggers', 'ticketList')).resolves.toEqual([{ id: 'TKT-1042', name: '(no subject) · mei.chan@example.com · open' }]);
  });
});

describe('dropdown paging (canPaginate, bundle.meta.page, z.cursor)', () => {
  it.each(dropdowns)(
    '%s: page 0 starts fresh, each "Load more" goes on from the kept cursor, and after the last page nothing more is asked',
    async (key, path, item, choice) => {
      // page 0, even with a cursor kept from an earlier listing: no cursor sent
      connector()
        .get(path)
        .query({ limit: '100' })
        .reply(200, { data: [item], nextCursor: 'cursor-1' });
      await expect(pageOf(key, 0)).resolves.toEqual([choice]);
      expect(invoke.cursorOf('triggers', key)).toBe('cursor-1');

      connector()
        .get(path)
        .query({ limit: '100', cursor: 'cursor-1' })
        .reply(200, { data: [item], nextCursor: 'cursor-2' });
      await expect(pageOf(key, 1)).resolves.toEqual([choice]);
      expect(invoke.cursorOf('triggers', key)).toBe('cursor-2');

      connector()
        .get(path)
        .query({ limit: '100', cursor: 'cursor-2' })
        .reply(200, { data: [item], nextCursor: null });
      await expect(pageOf(key, 2)).resolves.toEqual([choice]);
      expect(invoke.cursorOf('triggers', key)).toBe(LAST_PAGE_SHOWN);

      // the list has ended: no request (useNock fails on any unexpected one)
      await expect(pageOf(key, 3)).resolves.toEqual([]);

      // choosing again starts from the top
      connector().get(path).query({ limit: '100' }).reply(200, { data: [], nextCursor: null });
      await expect(pageOf(key, 0)).resolves.toEqual([]);
      expect(invoke.cursorOf('triggers', key)).toBe(LAST_PAGE_SHOWN);
    },
  );

  it('numberList keeps the chosen number type on every page', async () => {
    connector()
      .get('/v1/numbers')
      .query({ numberType: 'mobile', limit: '100' })
      .reply(200, { data: [numberSample], nextCursor: 'n-1' });
    await pageOf('numberList', 0, { numberType: 'mobile' });
    connector().get('/v1/numbers').query({ numberType: 'mobile', limit: '100', cursor: 'n-1' }).reply(200, { data: [], nextCursor: null });
    await expect(pageOf('numberList', 1, { numberType: 'mobile' })).resolves.toEqual([]);
  });

  it('a "Load more" after Zapier forgot the cursor asks to refresh the field, without a request', async () => {
    const forgetful = createInvoker(App); // a cursor store that never saw page 0
    const failure = await failureOf(forgetful('triggers', 'staffList', 'perform', bundleWith({ meta: { page: 1 } } as never)));
    expect(failure).toMatchObject({
      code: 'CursorExpired',
      message:
        'Zapier no longer remembers where the list of staff members stopped (it keeps that for about an hour). Refresh the field to list them from the start.',
    });
  });
});
