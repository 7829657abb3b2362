/**
 * Dropdown paging over real HTTP: the app's own hidden triggers asked page after page ("Load
 * more", bundle.meta.page) against a running connector holding more records than one page,
 * with the cursor kept between calls as Zapier keeps it (z.cursor).
 */
import { jest } from '@jest/globals';
import { run, startE2E, type AuthData, type E2E } from './support.js';

jest.setTimeout(60_000);

let e2e: E2E;
let auth: AuthData;
beforeAll(async () => {
  e2e = await startE2E({ CONNECTOR_RATE_LIMIT_MAX: '100000' });
  auth = e2e.authData;
});
afterAll(() => e2e?.close());

type Choice = { id: string; name: string };

/** Every page of a dropdown, as a person clicking "Load more" until nothing new comes. */
async function loadEverything(key: string, inputData: Record<string, unknown> = {}) {
  const pages: Choice[][] = [];
  for (let page = 0; ; page++) {
    const choices = await run<Choice[]>(auth, 'triggers', key, inputData, { meta: { page } } as never);
    if (choices.length === 0) return pages;
    pages.push(choices);
    if (page > 20) throw new Error(`${key} never ends`);
  }
}

it('staffList pages through 250 staff members to the last one, each once, in the connector order', async () => {
  const createdAt = new Date().toISOString();
  const rows = Array.from({ length: 250 }, (_, i) => ({
    id: `stf_e2e_${String(i).padStart(3, '0')}`,
    workspace_id: e2e.connector.workspaceId,
    first_name: 'Zed',
    last_name: `Paging ${String(i).padStart(3, '0')}`,
    email: `zed${i}@acme.example`,
    department: 'Night shift',
    role: 'staff' as const,
    created_at: createdAt,
  }));
  for (let i = 0; i < rows.length; i += 50)
    await e2e.connector.db
      .insertInto('staff')
      .values(rows.slice(i, i + 50))
      .execute();
  const everyone = await e2e.connector.db.selectFrom('staff').select('id').where('workspace_id', '=', e2e.connector.workspaceId).execute();

  const pages = await loadEverything('staffList');
  expect(pages.map((p) => p.length)).toEqual([100, 100, everyone.length - 200]);
  const ids = pages.flat().map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(everyone.map((s) => s.id).sort());
  // "Zed Paging 249" sorts last by name: the last page ends with it.
  expect(pages.at(-1)!.at(-1)).toEqual({ id: 'stf_e2e_249', name: 'Zed Paging 249 (Night shift)' });

  // Choosing again starts from the top.
  const again = await run<Choice[]>(auth, 'triggers', 'staffList', {}, { meta: { page: 0 } } as never);
  expect(again).toEqual(pages[0]);
});

it('ticketList pages through 120 new tickets and the seeded ones, newest first, none twice', async () => {
  const made: string[] = [];
  for (let i = 0; i < 120; i++) {
    const { body } = await e2e.connector.call('/v1/tickets', {
      method: 'POST',
      body: { message: `Paged ticket ${i}`, requester: { mail: 'paged@example.com' } },
      as: auth,
    });
    made.push(body.id);
  }
  const pages = await loadEverything('ticketList');
  expect(pages.length).toBeGreaterThanOrEqual(2);
  const ids = pages.flat().map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.slice(0, 120)).toEqual([...made].reverse());
  const total = await e2e.connector.db.selectFrom('tickets').select('id').where('workspace_id', '=', e2e.connector.workspaceId).execute();
  expect(ids).toHaveLength(total.length);
});
