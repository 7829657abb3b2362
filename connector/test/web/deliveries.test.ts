/**
 * An account's REST-hook subscriptions and delivery log in the browser: a real delivery worker
 * sends to a local sink, a failed delivery is retried by hand, a disabled subscription re-enabled.
 */
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll, startAll } from '../support/teardown.js';
import { startWebTest, toast, type WebTest } from './support.js';

jest.setTimeout(60_000);

let web: WebTest;
let sink: Sink;
let worker: DeliveryWorker;
/** What the sink answers next. */
let sinkStatus = 500;

beforeAll(async () => {
  [web, sink] = await startAll([
    startWebTest({
      CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true',
      CONNECTOR_RETRY_SCHEDULE: '0', // one attempt: a failure is final until retried by hand
      CONNECTOR_DELIVERY_POLL_MS: '50',
      CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '5',
    }),
    startSink(() => ({ status: sinkStatus, body: sinkStatus === 200 ? 'ok' : 'receiver down' })),
  ]);
  worker = createDeliveryWorker(web.connector.deps);
  worker.start();
});
afterAll(() => closeAll(() => worker?.stop(), web, sink));

const admin = (path: string, method = 'GET') => web.connector.call(path, { method, as: 'admin' });
let tags = 0;
const createTag = async () => {
  tags += 1;
  const created = await web.connector.call('/v1/tags', { method: 'POST', body: { name: `Tag ${tags}`, colorCode: '#1E88E5' } });
  expect(created.status).toBe(201);
};

/** Waits until the connector's log shows `count` deliveries in this status. */
async function deliveriesIn(status: string, count: number) {
  for (let i = 0; i < 200; i++) {
    const page = await admin(`/admin/api/deliveries?status=${status}`);
    if (page.body.data.length >= count) return page.body.data as Array<{ id: string; subscriptionId: string }>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${count} ${status} deliveries`);
}

const setSubscription = (id: string, status: 'active' | 'disabled') =>
  web.connector.db
    .updateTable('subscriptions')
    .set(
      status === 'disabled'
        ? { status, ended_reason: 'failing', failing_since: new Date(Date.now() - 6 * 86_400_000).toISOString() }
        : { status, ended_reason: null, failing_since: null },
    )
    .where('id', '=', id)
    .execute();

const deliveryRow = (page: Page, id: string) => page.locator(`tr[data-delivery-id="${id}"]`);
const subscriptionRow = (page: Page, id: string) => page.locator(`tr[data-subscription-id="${id}"]`);

async function openAccount(page: Page) {
  await page.getByRole('link', { name: 'Subscriptions and deliveries of Test Zaps' }).click();
  await page.getByRole('heading', { level: 1, name: 'Test Zaps' }).waitFor();
}

let tagSubscription: string;
let enquirySubscription: string;

test('subscriptions: event, target, filters, status and creation date', async () => {
  const tag = await web.connector.call('/v1/hooks', { method: 'POST', body: { event: 'tag.created', targetUrl: sink.url } });
  const enquiry = await web.connector.call('/v1/hooks', {
    method: 'POST',
    body: { event: 'enquiry.created', targetUrl: `${sink.url}/enquiries`, filters: { channel: 'web', type: 'chat' } },
  });
  expect([tag.status, enquiry.status]).toEqual([201, 201]);
  tagSubscription = tag.body.id;
  enquirySubscription = enquiry.body.id;

  const page = await web.signedIn();
  await openAccount(page);
  const breadcrumb = await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('listitem').allInnerTexts();
  expect(breadcrumb).toEqual(['Administration', 'Service Integration', 'Third-party Integration', 'Zapier', 'Test Zaps']);

  const tagRow = subscriptionRow(page, tagSubscription);
  await expect(tagRow.innerText()).resolves.toMatch(/tag\.created[\s\S]*\/hook[\s\S]*none[\s\S]*Active/);
  const enquiryRow = subscriptionRow(page, enquirySubscription);
  const text = await enquiryRow.innerText();
  expect(text).toContain('enquiry.created');
  expect(text).toContain(`${sink.url}/enquiries`);
  expect(text).toMatch(/channel = web/);
  expect(text).toMatch(/type = chat/);
  expect(await enquiryRow.locator('time').getAttribute('datetime')).toBe(enquiry.body.createdAt);
});

test('delivery log: a failed delivery with its attempts and last answer; filters by status; retried by hand it is delivered', async () => {
  sinkStatus = 500;
  await createTag();
  const [failed] = await deliveriesIn('failed', 1);

  const page = await web.signedIn();
  await openAccount(page);
  const row = deliveryRow(page, failed!.id);
  const text = await row.innerText();
  expect(text).toContain('tag.created');
  expect(text).toContain('Failed');
  expect(text).toMatch(/Attempts\s*1|\b1\b/);
  expect(text).toContain('HTTP 500');

  // Filter by status.
  const filter = page.getByLabel('Status');
  await filter.selectOption('delivered');
  await page.getByText('No delivered deliveries.').waitFor();
  await filter.selectOption('failed');
  await row.waitFor();
  await filter.selectOption('');

  // The attempts, one by one.
  await row.getByRole('button', { name: 'Attempts of the tag.created delivery' }).click();
  const attempts = page.getByRole('dialog', { name: 'tag.created: 1 attempt' });
  await expect(attempts.innerText()).resolves.toMatch(/Attempt 1[\s\S]*HTTP 500[\s\S]*failed/);
  await page.keyboard.press('Escape');
  await attempts.waitFor({ state: 'detached' });

  // Retry by hand: the receiver is back.
  sinkStatus = 200;
  const before = sink.received.length;
  await row.getByRole('button', { name: 'Retry now' }).click();
  await toast(page, 'Delivery queued for another attempt').waitFor();
  await sink.waitFor(before + 1);
  await page.locator(`tr[data-delivery-id="${failed!.id}"][data-status="delivered"]`).waitFor();
  await expect(row.innerText()).resolves.toContain('HTTP 200');
  expect(sink.received.at(-1)!.headers['webhook-id']).toBe(sink.received.at(-2)!.headers['webhook-id']); // the same event, again
});

test('a disabled subscription: re-enable it with a retry, or on its own', async () => {
  sinkStatus = 500;
  await createTag();
  const failed = await deliveriesIn('failed', 1);
  const delivery = failed[0]!;
  await setSubscription(tagSubscription, 'disabled');

  const page = await web.signedIn();
  await openAccount(page);
  await expect(subscriptionRow(page, tagSubscription).innerText()).resolves.toMatch(/Disabled[\s\S]*disabled after failing for too long[\s\S]*failing since/);

  sinkStatus = 200;
  await deliveryRow(page, delivery.id).getByRole('button', { name: 'Re-enable and retry' }).click();
  await toast(page, 'Subscription re-enabled and delivery queued for another attempt').waitFor();
  await page.locator(`tr[data-delivery-id="${delivery.id}"][data-status="delivered"]`).waitFor();
  await subscriptionRow(page, tagSubscription).filter({ hasText: 'Active' }).waitFor(); // re-rendered after the toast

  // Disabled again; the subscription's own button.
  await setSubscription(tagSubscription, 'disabled');
  await page.reload();
  await subscriptionRow(page, tagSubscription).getByRole('button', { name: 'Re-enable the tag.created subscription' }).click();
  await toast(page, 'Subscription re-enabled').waitFor();
  await subscriptionRow(page, tagSubscription).filter({ hasText: 'Active' }).waitFor(); // re-rendered after the toast
  const subscriptions = await admin(`/admin/api/zapier-accounts/${web.connector.account.appId}/subscriptions`);
  expect(subscriptions.body.data.find((s: { id: string }) => s.id === tagSubscription).status).toBe('active');
});

test('a refused retry is explained next to its delivery (the subscription ended meanwhile)', async () => {
  sinkStatus = 500;
  await createTag();
  const [failed] = await deliveriesIn('failed', 1);
  const page = await web.signedIn();
  await openAccount(page);
  const row = deliveryRow(page, failed!.id);
  await row.getByRole('button', { name: 'Retry now' }).waitFor();

  // The Zap is turned off while the page is open.
  expect((await web.connector.call(`/v1/hooks/${tagSubscription}`, { method: 'DELETE' })).status).toBe(200);
  await row.getByRole('button', { name: 'Retry now' }).click();
  const alert = row.getByRole('alert');
  await expect(alert.innerText()).resolves.toMatch(/cannot be retried: its subscription .* has ended \(unsubscribed\)/);
});
