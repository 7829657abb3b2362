// Record links on both databases: the `link` of every kind of record the public API returns
// (contacts, enquiries, tickets, chats) opens the admin page's view of that record, and the admin
// API answers that record, as the public API does, only with the admin token and only in this
// workspace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, Chat, Contact, Enquiry, Ticket } from '../../../contract/index.js';
import { createContact } from '../../src/contact-centre/contacts.js';
import { seedWorkspaceEssentials } from '../../src/contact-centre/essentials.js';
import type { ConsoleKind } from '../../src/contact-centre/scope.js';
import { consoleKinds } from '../../src/contact-centre/record-routes.js';
import { connectorDatabases, startConnector, type TestConnector } from '../support/connector.js';
import { closeAll } from '../support/teardown.js';

/** A stand-in for the built page: these tests are about where links lead; test/web/records.test.ts opens the real page. */
const PAGE_HTML = '<!doctype html><html lang="en"><title>Admin</title><div id="app"></div></html>';

describe.each(connectorDatabases)('record links on the %s database', (database) => {
  let connector: TestConnector | undefined;
  let pageDir: string | undefined;
  beforeAll(async () => {
    pageDir = mkdtempSync(join(tmpdir(), 'connector-records-page-'));
    writeFileSync(join(pageDir, 'index.html'), PAGE_HTML);
    connector = await startConnector({}, { seed: true, database, adminPageDir: pageDir });
  }, 30_000);
  afterAll(() => closeAll(connector, () => pageDir && rmSync(pageDir, { recursive: true, force: true })));

  const call = (path: string, as: 'admin' | 'none' | undefined = undefined) => connector!.call(path, { as });
  const post = async (path: string, body: object) => {
    const created = await connector!.call(path, { method: 'POST', body });
    expect(created.status).toBe(201);
    return created.body;
  };

  /** One record of each kind, created through the public API, with the link it came with and the public API's GET of it. */
  async function createOneOfEach(): Promise<Record<ConsoleKind, { id: string; link: string; record: unknown }>> {
    const tagId = (await call('/v1/tags')).body.data[0].id as string;
    const contact = Contact.parse(
      (
        await call(
          `/v1/contacts/${(await post('/v1/contacts', { first_name: 'Alice', last_name: 'Tam', email_type: 'work', email_address: 'alice.tam@example.com', company: 'Tam Trading' })).id}`,
        )
      ).body,
    );
    const enquiry = Enquiry.parse(
      await post('/v1/enquiries', {
        channel: 'web',
        type: 'chat',
        destinationType: 'tag',
        destinationID: tagId,
        inquiry: 'Where is my parcel?',
        visitor: { name: 'Mei Chan', email: 'mei@example.com' },
      }),
    );
    const ticket = Ticket.parse(await post('/v1/tickets', { message: 'The app crashes on login.', requester: { mail: 'kim@example.com', name: 'Kim Lee' } }));
    const chat = Chat.parse(await post('/v1/chats', { visitor: { name: 'Sam Po', email: 'sam@example.com' }, message: 'Is this in stock?' }));
    const publicRecord = async (kind: ConsoleKind, id: string) => {
      const got = await call(`/v1/${kind}/${encodeURIComponent(id)}`);
      expect(got.status).toBe(200);
      return got.body;
    };
    return {
      contacts: { id: contact.id, link: contact.link, record: await publicRecord('contacts', contact.id) },
      enquiries: { id: enquiry.id, link: enquiry.inquiryDeepLink, record: await publicRecord('enquiries', enquiry.id) },
      tickets: { id: ticket.id, link: ticket.link, record: await publicRecord('tickets', ticket.id) },
      chats: { id: chat.id, link: chat.link, record: await publicRecord('chats', chat.id) },
    };
  }

  it('every kind with a link is covered here', () => {
    expect([...consoleKinds].sort()).toEqual(['chats', 'contacts', 'enquiries', 'tickets']);
  });

  it("each record's link opens the admin page at that record's view; the admin API answers the record the public API does", async () => {
    const records = await createOneOfEach();
    for (const kind of consoleKinds) {
      const { id, link, record } = records[kind];
      const url = new URL(link);
      expect(`${url.origin}${url.pathname}`).toBe(`https://connector.test/console/${kind}/${encodeURIComponent(id)}`);

      // The link, on this connector: a redirect to the page's view of the record, then the page.
      const redirect = await fetch(`${connector!.baseUrl}${url.pathname}`, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      const location = redirect.headers.get('location')!;
      const target = new URL(location, `${connector!.baseUrl}${url.pathname}`);
      expect(target.pathname).toBe('/admin/');
      expect(target.hash).toBe(`#/records/${kind}/${encodeURIComponent(id)}`);
      const page = await fetch(`${connector!.baseUrl}${url.pathname}`);
      expect(page.status).toBe(200);
      expect(page.url).toBe(`${connector!.baseUrl}/admin/`);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await page.text()).toBe(PAGE_HTML);

      // The record the page shows: what the public API answers for it.
      const path = `/admin/api/records/${kind}/${encodeURIComponent(id)}`;
      const got = await call(path, 'admin');
      expect(got.status).toBe(200);
      expect(got.body).toEqual(record);

      const anonymous = await call(path, 'none');
      expect(anonymous.status).toBe(401);
      expect(ApiError.parse(anonymous.body).error.code).toBe('unauthenticated');
      const wrongToken = await connector!.call(path, { headers: { authorization: 'Bearer not-the-admin-token' }, as: 'none' });
      expect(wrongToken.status).toBe(401);

      const unknown = await call(`/admin/api/records/${kind}/no-such-${kind}`, 'admin');
      expect(unknown.status).toBe(404);
      expect(ApiError.parse(unknown.body).error).toMatchObject({ code: 'not_found', message: expect.stringContaining(`"no-such-${kind}"`) });
    }
  });

  it('an id with characters that need escaping goes through the link, the redirect and the route unchanged', async () => {
    const odd = 'a b/c?d#é';
    const link = `/console/tickets/${encodeURIComponent(odd)}`;
    const redirect = await fetch(`${connector!.baseUrl}${link}`, { redirect: 'manual' });
    const target = new URL(redirect.headers.get('location')!, `${connector!.baseUrl}${link}`);
    expect(target.pathname).toBe('/admin/');
    expect(decodeURIComponent(target.hash.split('/').at(-1)!)).toBe(odd);
    const unknown = await call(`/admin/api/records/tickets/${encodeURIComponent(odd)}`, 'admin');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain(`"${odd}"`);
  });

  it("another workspace's record is not found", async () => {
    // A contact stored in a workspace of its own, straight through the contact-centre functions.
    const other = 'ws_other';
    await connector!.db.insertInto('workspaces').values({ id: other, name: 'Other', created_at: new Date().toISOString() }).execute();
    await seedWorkspaceEssentials(connector!.db, other);
    const foreign = await createContact(connector!.db, { ...connector!.scope(), workspaceId: other }, { first_name: 'Not', last_name: 'Yours' });
    const got = await call(`/admin/api/records/contacts/${foreign.id}`, 'admin');
    expect(got.status).toBe(404);
    expect(got.body.error.code).toBe('not_found');
  });

  it('a kind without links answers 404 naming the kinds; an unknown console path is not redirected', async () => {
    const wrongKind = await call('/admin/api/records/invoices/inv_1', 'admin');
    expect(wrongKind.status).toBe(404);
    expect(wrongKind.body.error.message).toBe('There are no records of kind "invoices". The kinds with links are: contacts, enquiries, tickets, chats.');
    expect((await call('/admin/api/records/invoices/inv_1', 'none')).status).toBe(401);
    const console404 = await fetch(`${connector!.baseUrl}/console/invoices/inv_1`, { redirect: 'manual' });
    expect(console404.status).toBe(404);
  });
});
