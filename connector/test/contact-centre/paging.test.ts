/**
 * The paged list endpoints of /v1: every record reachable through the cursors, none twice,
 * also while records are added between pages; bad cursors and limits are 400s naming them;
 * the filters Find Tickets and Find Agents send. On both databases.
 */
import { jest } from '@jest/globals';
import { type Agent, pageOf, Staff, type Ticket } from '../../../contract/index.js';
import { readPage } from '../../src/contact-centre/paging.js';
import { connectorDatabases, startConnector, type TestConnector } from '../support/connector.js';

jest.setTimeout(120_000);

interface Paged<T> {
  data: T[];
  nextCursor: string | null;
}

describe.each(connectorDatabases)('paged lists on the %s database', (database) => {
  let connector: TestConnector;
  beforeAll(async () => {
    connector = await startConnector({ CONNECTOR_RATE_LIMIT_MAX: '100000' }, { database, seed: true });
  });
  afterAll(() => connector?.close());

  const getPage = async <T>(path: string) => {
    const answer = await connector.call<Paged<T>>(path);
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };
  const get = getPage;
  const post = async (path: string, body: object) => {
    const answer = await connector.call(path, { method: 'POST', body });
    expect([path, answer.status]).toEqual([path, 201]);
    return answer.body;
  };

  /** Every page of a list, following nextCursor; `between` runs after each page (e.g. adds records). */
  async function pageThrough<T extends { id: string }>(path: string, limit: number, between: (pageNumber: number) => Promise<unknown> = async () => undefined) {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: Paged<T> = await get<T>(`${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(limit);
      pages.push(page.data.map((item) => item.id));
      cursor = page.nextCursor;
      await between(pages.length);
      if (pages.length > 100) throw new Error(`${path} never ends`);
    } while (cursor);
    return pages;
  }

  const insertStaff = async (count: number, prefix: string, names: (i: number) => [string, string]) => {
    const createdAt = new Date().toISOString(); // one time for all: the order must not need distinct times
    const rows = Array.from({ length: count }, (_, i) => {
      const [first, last] = names(i);
      return {
        id: `${prefix}${String(i).padStart(4, '0')}`,
        workspace_id: connector.workspaceId,
        first_name: first,
        last_name: last,
        email: `${prefix}${i}@acme.example`,
        department: 'Support',
        role: 'staff' as const,
        created_at: createdAt,
      };
    });
    for (let i = 0; i < rows.length; i += 50)
      await connector.db
        .insertInto('staff')
        .values(rows.slice(i, i + 50))
        .execute();
    return rows.map((row) => row.id);
  };

  const newTicket = (i: number, extra: object = {}) =>
    post('/v1/tickets', { message: `Ticket number ${i}`, requester: { mail: `paging${i % 7}@example.com` }, ...extra });

  it('reaches each of 250 staff members exactly once, by name, with the default page of 100', async () => {
    // Few distinct names: most of the order rests on the id that breaks ties.
    const original = await insertStaff(250, 'stf_page_', (i) => [['Ava', 'Ben', 'Chloe'][i % 3]!, ['Wong', 'Lee'][i % 2]!]);
    const first = pageOf(Staff).parse(await get('/v1/staff'));
    expect(first.data).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));

    const pages = await pageThrough<Staff>('/v1/staff', 30);
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => original.includes(id)).sort()).toEqual([...original].sort());
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
  });

  it('keeps every staff member reachable once while others are added between pages', async () => {
    const before = (await pageThrough<Staff>('/v1/staff', 100)).flat();
    let added = 0;
    // New ones sort before and after any cursor: "Aaron" comes first, "Zoe" last.
    const pages = await pageThrough<Staff>('/v1/staff', 25, async (n) => {
      await insertStaff(2, `stf_new${n}_`, (i) => [i === 0 ? 'Aaron' : 'Zoe', 'Added']);
      added += 2;
    });
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id)).sort()).toEqual([...before].sort());
    expect(seen.some((id) => id.startsWith('stf_new'))).toBe(true); // the "Zoe"s after the cursor do show up
    expect(added).toBeGreaterThan(0);
  });

  it('reaches each of 250 tickets exactly once, newest first, while tickets are created between pages', async () => {
    const original: string[] = [];
    for (let i = 0; i < 250; i++) original.push((await newTicket(i)).id);
    const pages = await pageThrough<Ticket>('/v1/tickets', 40, (n) => newTicket(1000 + n, { requester: { mail: 'added@example.com' } }));
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => original.includes(id)).sort()).toEqual([...original].sort());
    // Newest first: the original tickets come in the reverse order of their making.
    expect(seen.filter((id) => original.includes(id))).toEqual([...original].reverse());
    const filtered = (await pageThrough<Ticket>('/v1/tickets?requesterEmail=paging3%40example.com', 9)).flat();
    expect(filtered.sort()).toEqual(original.filter((_, i) => i % 7 === 3).sort());
  });

  it.each(['/v1/tags', '/v1/numbers', '/v1/rooms', '/v1/groups', '/v1/agents'])('%s pages with a cursor, ending with null', async (path) => {
    const all = await get<{ id: string | number }>(`${path}?limit=100`);
    expect(all.nextCursor).toBeNull();
    const ids = (await pageThrough<{ id: string }>(path, 1)).flat();
    expect(ids).toEqual(all.data.map((item) => item.id));
  });

  it('a filtered page stops reading at its limit of rows, and its cursor goes on from the last row read', async () => {
    // Staff read directly, kept when the id ends in 7: 10 of 100 rows match, 20 rows are read per page at most.
    const ids = await insertStaff(100, 'stf_scan_', () => ['Scan', 'Test']);
    const select = connector.db.selectFrom('staff').selectAll().where('workspace_id', '=', connector.workspaceId).where('first_name', '=', 'Scan');
    const order = { list: 'scan', columns: [{ column: 'id' as const, direction: 'asc' as const }] };
    const found: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await readPage(select, order, { cursor, limit: 5 }, { toItem: (row) => row.id, keep: (id) => id.endsWith('7'), maxRowsRead: 20 });
      expect(page.data.length).toBeLessThanOrEqual(5);
      found.push(...page.data);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 50);
    expect(found).toEqual(ids.filter((id) => id.endsWith('7')));
    expect(pages).toBeGreaterThanOrEqual(5); // 100 rows at 20 a page, whatever matched
  });

  it('refuses a cursor it did not hand out, or one of another list, naming cursor', async () => {
    const staffCursor = (await get('/v1/staff?limit=1')).nextCursor!;
    const otherList = Buffer.from(JSON.stringify({ l: 'tickets', k: ['2026-01-01T00:00:00.000Z', 'TKT-1'] })).toString('base64url');
    for (const cursor of ['not-a-cursor', Buffer.from('{"l":"staff","k":[1]}').toString('base64url'), 'e30', otherList]) {
      const answer = await connector.call(`/v1/staff?cursor=${encodeURIComponent(cursor)}`);
      expect([cursor, answer.status]).toEqual([cursor, 400]);
      expect(answer.body.error.details).toEqual([{ field: 'cursor', message: expect.stringContaining('is not a cursor of this list') }]);
    }
    expect((await connector.call(`/v1/tickets?cursor=${encodeURIComponent(staffCursor)}`)).body.error.details[0].field).toBe('cursor');
  });

  it('documents cursor, limit and nextCursor of every paged list in OpenAPI', async () => {
    const doc = (await connector.call('/openapi.json', { as: 'none' })).body;
    for (const path of ['/v1/staff', '/v1/rooms', '/v1/tags', '/v1/numbers', '/v1/groups', '/v1/agents', '/v1/tickets']) {
      const get = doc.paths[path].get;
      expect([path, get.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name)]).toEqual([
        path,
        expect.arrayContaining(['cursor', 'limit']),
      ]);
      const answer = get.responses['200'].content['application/json'].schema;
      expect([path, Object.keys(answer.properties).sort()]).toEqual([path, ['data', 'nextCursor']]);
    }
  });

  it.each(['0', '101', 'ten', '2.5'])('refuses limit=%s, naming limit', async (limit) => {
    const answer = await connector.call(`/v1/tags?limit=${limit}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((d: { field: string }) => d.field)).toEqual(['limit']);
  });

  describe('the filters of Find Tickets and Find Agents', () => {
    const ids = (page: Paged<{ id: string }>) => page.data.map((t) => t.id);

    it('finds tickets by assignee, group, tag (any case), created since and updated since; all apply together', async () => {
      // Its own requester: every query below also filters by it, so other tests' tickets stay out.
      const newTicket = (i: number, extra: object = {}) =>
        post('/v1/tickets', { message: `Filter ticket ${i}`, requester: { mail: 'filters@example.com' }, ...extra });
      const get = <T>(path: string) => getPage<T>(`${path}&requesterEmail=filters%40example.com`);
      await post('/v1/agents', { login: 'filter.agent@acme.example', name: 'Filter Agent' });
      const tagged = await newTicket(1, { tags: ['Refund'], assignee: { id: 'Filter.Agent@acme.example' } });
      const cutoff = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const later = await newTicket(2, { tags: ['refund', 'vip'] });
      const grouped = await newTicket(3);
      expect((await connector.call(`/v1/tickets/${grouped.id}`, { method: 'PATCH', body: { groupId: 3 } })).status).toBe(200);
      expect((await connector.call(`/v1/tickets/${tagged.id}`, { method: 'PATCH', body: { message: 'Any news?' } })).status).toBe(200);

      expect(ids(await get('/v1/tickets?assignee=FILTER.agent%40acme.example'))).toEqual([tagged.id]);
      expect(ids(await get('/v1/tickets?groupId=3'))).toEqual([grouped.id]);
      expect(ids(await get('/v1/tickets?tag=REFUND'))).toEqual([later.id, tagged.id]);
      expect(ids(await get(`/v1/tickets?createdSince=${encodeURIComponent(cutoff)}`))).toEqual([grouped.id, later.id]);
      // The same moment written with another zone.
      const cutoffInHongKong = new Date(Date.parse(cutoff) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
      expect(ids(await get(`/v1/tickets?createdSince=${encodeURIComponent(cutoffInHongKong)}`))).toEqual([grouped.id, later.id]);
      expect(ids(await get(`/v1/tickets?updatedSince=${encodeURIComponent(cutoff)}&tag=refund`))).toEqual([later.id, tagged.id]);
      expect(ids(await get(`/v1/tickets?createdSince=${encodeURIComponent(cutoff)}&tag=vip&limit=1`))).toEqual([later.id]);
      const notADate = await connector.call('/v1/tickets?createdSince=yesterday');
      expect(notADate.body.error.details.map((d: { field: string }) => d.field)).toEqual(['createdSince']);
    });

    it('finds agents by status, permission and group, paging through the matches', async () => {
      const made: Agent[] = [];
      for (let i = 0; i < 30; i++) {
        made.push(
          await post('/v1/agents', {
            login: `team${i}@acme.example`,
            name: `Team ${i}`,
            permission: i % 3 === 0 ? 'administrator' : 'normal',
            login_status: i % 2 === 0 ? 'not accepting chats' : 'accepting chats',
            groups: i % 5 === 0 ? [0, 3] : [0],
          }),
        );
      }
      const admins = (await pageThrough<Agent>('/v1/agents?permission=administrator', 4)).flat();
      expect(admins.filter((id) => id.startsWith('team')).sort()).toEqual(
        made
          .filter((_, i) => i % 3 === 0)
          .map((a) => a.id)
          .sort(),
      );
      const offlineBilling = ids(await get('/v1/agents?status=not%20accepting%20chats&groupId=3'));
      expect(offlineBilling.filter((id) => id.startsWith('team')).sort()).toEqual(
        made
          .filter((_, i) => i % 2 === 0 && i % 5 === 0)
          .map((a) => a.id)
          .sort(),
      );
      const none = await get('/v1/agents?permission=owner&groupId=99');
      expect(none).toEqual({ data: [], nextCursor: null });
    });
  });
});
