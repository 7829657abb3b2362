/**
 * Record links in a real browser: a contact's and a ticket's `link` (as the public API returned
 * it) opened in a fresh tab asks for sign-in, then shows that record's fields read-only; an
 * unknown id is explained in words; the view fits a phone and starts at its heading.
 */
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { Contact, Enquiry, Ticket } from '../../../contract/index.js';
import { closeAll } from '../support/teardown.js';
import { horizontalOverflow, PHONE, startWebTest, TEST_ADMIN_TOKEN, type WebTest } from './support.js';

jest.setTimeout(60_000);

let web: WebTest | undefined;
let contact: Contact;
let ticket: Ticket;
beforeAll(async () => {
  web = await startWebTest();
  const created = await web.connector.call('/v1/contacts', {
    method: 'POST',
    body: { first_name: 'Alice', last_name: 'Tam', email_type: 'work', email_address: 'alice.tam@example.com', company: 'Tam Trading', job_title: 'Director' },
  });
  contact = Contact.parse((await web.connector.call(`/v1/contacts/${created.body.id}`)).body);
  ticket = Ticket.parse(
    (
      await web.connector.call('/v1/tickets', {
        method: 'POST',
        body: { message: 'The app crashes on login.\nSince this morning.', requester: { mail: 'kim@example.com', name: 'Kim Lee' }, tags: ['app'] },
      })
    ).body,
  );
});
afterAll(() => closeAll(web));

/** The record's link, on the test connector (links carry CONNECTOR_PUBLIC_BASE_URL, https://connector.test). */
const onConnector = (link: string) => `${web!.connector.baseUrl}${new URL(link).pathname}`;

/** The value shown beside a field's label in the record's top-level fields. */
const field = (page: Page, label: string) =>
  page
    .locator('.record > .record-fields > div')
    .filter({ has: page.locator(':scope > dt', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .locator(':scope > dd');

async function signIn(page: Page) {
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test("a contact's link, opened in a new tab, asks for sign-in and then shows the contact's fields", async () => {
  const page = await web!.newPage();
  await page.goto(onConnector(contact.link));
  expect(new URL(page.url()).hash).toBe(`#/records/contacts/${contact.id}`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await expect(page.getByRole('alert').textContent()).resolves.toBe(`Sign in to see contact ${contact.id}.`);

  await signIn(page);
  const heading = page.getByRole('heading', { level: 1, name: `Contact ${contact.id}` });
  await heading.waitFor();
  await expect(heading.evaluate((h) => h === document.activeElement)).resolves.toBe(true);
  await expect(field(page, 'First name').textContent()).resolves.toBe('Alice');
  await expect(field(page, 'Last name').textContent()).resolves.toBe('Tam');
  await expect(page.locator('.lead').textContent()).resolves.toBe('Alice Tam');
  await expect(field(page, 'Company name').textContent()).resolves.toBe('Tam Trading');
  await expect(field(page, 'Job title').textContent()).resolves.toBe('Director');
  await expect(field(page, 'Email').textContent()).resolves.toBe('alice.tam@example.com');
  await expect(field(page, 'Owner ID').textContent()).resolves.toBe(contact.ownerID);
  await expect(field(page, 'Created at').locator('time').getAttribute('datetime')).resolves.toBe(contact.createdAt);
  await expect(field(page, 'Link').getByRole('link').getAttribute('href')).resolves.toBe(contact.link);
  // The raw record, for comparing with what a Zap received.
  await page.getByText('The record as JSON').click();
  expect(JSON.parse((await page.locator('.record-json pre').textContent())!)).toEqual(contact);
});

test("a ticket's link shows the ticket, its events as a table, its nested fields by name; it fits a phone", async () => {
  const page = await web!.newPage(PHONE, { isMobile: true });
  await page.goto(onConnector(ticket.link));
  await signIn(page);
  await page.getByRole('heading', { level: 1, name: `Ticket ${ticket.id}` }).waitFor();
  await expect(page.locator('.lead').textContent()).resolves.toBe('The app crashes on login.');
  await expect(field(page, 'Status').textContent()).resolves.toBe('open');
  // requester: a nested object, its own fields.
  const requester = field(page, 'Requester');
  await expect(requester.getByRole('term').allTextContents()).resolves.toEqual(['Mail', 'Name', 'IP']);
  await expect(requester.getByRole('definition').allTextContents()).resolves.toEqual(['kim@example.com', 'Kim Lee', 'none']);
  // events: a list of objects, a table with one row per event.
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events.getByRole('row').count()).resolves.toBe(1 + ticket.events.length);
  await expect(events.getByRole('cell').filter({ hasText: 'Since this morning.' }).count()).resolves.toBe(1);
  await expect(field(page, 'Tags').getByRole('listitem').allTextContents()).resolves.toEqual(['app']);
  expect(await horizontalOverflow(page)).toBe(0);
});

test('an unknown id is explained in words, without a pointless "Try again"', async () => {
  const page = await web!.newPage();
  await page.goto(`${web!.connector.baseUrl}/console/tickets/TKT-999999`);
  await signIn(page);
  await page.getByRole('heading', { level: 1, name: 'Ticket TKT-999999' }).waitFor();
  await expect(page.getByRole('alert').textContent()).resolves.toBe('Could not show this record: No ticket with id "TKT-999999" exists in this workspace.');
  await expect(page.getByRole('button', { name: 'Try again' }).count()).resolves.toBe(0);
});

test('signed in already, a link opened in the same tab shows the record at once', async () => {
  const page = await web!.signedIn();
  await page.goto(onConnector(ticket.link));
  await page.getByRole('heading', { level: 1, name: `Ticket ${ticket.id}` }).waitFor();
  await expect(field(page, 'Subject').textContent()).resolves.toBe('The app crashes on login.');
});

test("an enquiry's fields whose names read the same (id and _id) are told apart by their keys", async () => {
  const tag = (await web!.connector.call('/v1/tags', { method: 'POST', body: { name: 'Parcels', colorCode: '#1d4ed8' } })).body;
  const opened = await web!.connector.call('/v1/enquiries', {
    method: 'POST',
    body: {
      channel: 'web',
      type: 'chat',
      destinationType: 'tag',
      destinationID: tag.id,
      inquiry: 'Where is my parcel?',
      visitor: { name: 'Mei Chan', email: 'mei@example.com' },
    },
  });
  const enquiry = Enquiry.parse(opened.body);
  const page = await web!.signedIn();
  await page.goto(onConnector(enquiry.inquiryDeepLink));
  await page.getByRole('heading', { level: 1, name: `Enquiry ${enquiry.id}` }).waitFor();
  await expect(page.locator('.lead').textContent()).resolves.toBe(enquiry.displayCaseNumber);
  await expect(field(page, 'ID (id)').textContent()).resolves.toBe(enquiry.id);
  await expect(field(page, 'ID (_id)').textContent()).resolves.toBe(enquiry._id);
  await expect(field(page, 'Inquiry').textContent()).resolves.toBe('Where is my parcel?');
});
