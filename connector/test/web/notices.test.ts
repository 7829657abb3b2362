/**
 * "Needs attention" in the browser: a Zap's subscription failing until the connector disables it
 * shows above every screen (when the page loads, and at the next 30-second poll), is emailed once
 * to CONNECTOR_NOTICE_EMAIL through a local SMTP sink, and is dismissed for good.
 *
 * support.ts builds the app without main.ts, which is where the mailers start: this file starts
 * the notices' mailer itself (createMailer with the subscription_notices queue), as `serve` does.
 */
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import { createMailer, type Mailer } from '../../src/mail/mailer.js';
import { startSink, type Sink } from '../support/sink.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { closeAll, startAll } from '../support/teardown.js';
import { horizontalOverflow, PHONE, startWebTest, TEST_ADMIN_TOKEN, toast, type WebTest } from './support.js';

jest.setTimeout(60_000);

let web: WebTest;
let hookSink: Sink;
let smtp: SmtpSink;
let worker: DeliveryWorker;
let mailer: Mailer;

beforeAll(async () => {
  // The connector's settings name the SMTP sink, so it starts first.
  [hookSink, smtp] = await startAll([startSink(() => ({ status: 500, body: 'receiver down' })), startSmtpSink()]);
  web = await startWebTest({
    CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true',
    CONNECTOR_RETRY_SCHEDULE: '0', // one attempt: each event's delivery fails at once
    // Any positive number of hours is allowed: 0.000001 h (3.6 ms) disables the subscription at its
    // second failure, the first one starting the failing run.
    CONNECTOR_DISABLE_AFTER_FAILING_HOURS: '0.000001',
    CONNECTOR_DELIVERY_POLL_MS: '50',
    CONNECTOR_SMTP_URL: smtp.url,
    CONNECTOR_NOTICE_EMAIL: 'ops@example.com',
  });
  worker = createDeliveryWorker(web.connector.deps);
  mailer = createMailer(web.connector.deps, { queue: 'subscription_notices' });
  worker.start();
  mailer.start();
});
afterAll(() =>
  closeAll(
    () => mailer?.stop(),
    () => worker?.stop(),
    web,
    hookSink,
    smtp,
  ),
);

const banner = (page: Page) => page.getByRole('region', { name: 'Needs attention' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tags = 0;
async function createTag() {
  tags += 1;
  const created = await web.connector.call('/v1/tags', { method: 'POST', body: { name: `Tag ${tags}`, colorCode: '#1E88E5' } });
  expect(created.status).toBe(201);
}

async function subscriptionStatus(id: string): Promise<string> {
  const row = await web.connector.db.selectFrom('subscriptions').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  return row.status;
}

/** Makes events, each waiting for its failed delivery, until the connector disables the subscription. */
async function failUntilDisabled(subscriptionId: string): Promise<number> {
  for (let events = 1; events <= 10; events++) {
    const before = hookSink.received.length;
    await createTag();
    await hookSink.waitFor(before + 1);
    for (let i = 0; i < 40 && (await subscriptionStatus(subscriptionId)) === 'active'; i++) await sleep(25);
    if ((await subscriptionStatus(subscriptionId)) === 'disabled') return events;
    await sleep(10); // past the 3.6 ms the run has to last
  }
  throw new Error('the subscription was not disabled after 10 failed events');
}

/** Signed in with the clock under the test's control, so the 30-second poll can be reached at once. */
async function signedInWithClock(viewport = PHONE): Promise<Page> {
  const page = await web.newPage(viewport, { isMobile: viewport.width < 500 });
  await page.clock.install();
  await page.goto(web.url);
  await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();
  return page;
}

let subscriptionId: string;
const targetUrl = () => `${hookSink.url}/zap`;

test('a subscription disabled after failing shows at the next poll, with account, event, target and why; emailed once', async () => {
  const hook = await web.connector.call('/v1/hooks', { method: 'POST', body: { event: 'tag.created', targetUrl: targetUrl() } });
  expect(hook.status).toBe(201);
  subscriptionId = hook.body.id;

  // Open before anything stopped: nothing shows, and the live region has nothing to say.
  const page = await signedInWithClock();
  await page.waitForLoadState('networkidle');
  expect(await banner(page).count()).toBe(0);
  await expect(page.getByTestId('notice-announcement').innerText()).resolves.toBe('');

  const events = await failUntilDisabled(subscriptionId);
  expect(events).toBe(2);

  // The next poll (30 seconds on) finds it.
  await page.clock.fastForward('00:31');
  await banner(page).waitFor();
  const item = banner(page).locator('li');
  await expect(item.count()).resolves.toBe(1);
  const text = await item.innerText();
  expect(text).toContain('Test Zaps');
  expect(text).toContain('tag.created');
  expect(text).toContain(targetUrl());
  expect(text).toMatch(/was disabled/);
  expect(text).toMatch(/Fix the Zap's endpoint/);
  // Said once by the polite live region: the notice is new.
  await expect(page.getByTestId('notice-announcement').innerText()).resolves.toMatch(
    /^Needs attention: The subscription of "Test Zaps" to tag\.created .* was disabled/,
  );
  expect(await horizontalOverflow(page)).toBe(0);

  // Polled again with nothing new: the announcement does not change (nothing is said again).
  const announced = await page.getByTestId('notice-announcement').innerText();
  const polled = page.waitForResponse((r) => r.url().includes('/admin/api/notices'));
  await page.clock.fastForward('00:31');
  await polled;
  await expect(page.getByTestId('notice-announcement').innerText()).resolves.toBe(announced);

  // Exactly one email, however many events follow.
  for (let i = 0; i < 20 && smtp.received.length === 0; i++) await sleep(100);
  await createTag();
  await createTag();
  await sleep(1500); // more than the mailer's 1-second poll
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]).toMatchObject({ to: ['ops@example.com'] });
  expect(smtp.received[0]!.data).toMatch(/^Subject: Zap subscription disabled: tag\.created$/m);
  const [notice] = (await web.connector.call('/admin/api/notices', { as: 'admin' })).body.data;
  expect(notice).toMatchObject({ reason: 'failing', email: { status: 'sent', to: 'ops@example.com' } });
});

test('shown on every screen when the page loads; its link opens the account', async () => {
  const page = await web.signedIn(PHONE);
  await banner(page).waitFor();
  expect(await horizontalOverflow(page)).toBe(0);

  await page.getByRole('link', { name: 'Trigger rules' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trigger rules' }).waitFor();
  await banner(page).waitFor();

  await banner(page).getByRole('link', { name: 'Open Test Zaps' }).click();
  await page.getByRole('heading', { level: 1, name: 'Test Zaps' }).waitFor();
  await expect(banner(page).innerText()).resolves.toContain(targetUrl());
  expect(await horizontalOverflow(page)).toBe(0);
});

test('Dismiss, by keyboard: a failure shows next to the notice; then it goes and stays gone after a reload', async () => {
  const page = await web.signedIn(PHONE);
  const dismiss = banner(page).getByRole('button', { name: /^Dismiss/ });
  await dismiss.waitFor();

  // The connector refuses once: the notice stays, with why next to it.
  await page.route('**/admin/api/notices/*/dismiss', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unavailable', message: 'The database is busy. Try again.' } }),
    }),
  );
  await dismiss.focus();
  await page.keyboard.press('Enter');
  await banner(page).locator('li').getByRole('alert').filter({ hasText: 'The database is busy. Try again.' }).waitFor();
  await page.unroute('**/admin/api/notices/*/dismiss');

  await dismiss.focus();
  await page.keyboard.press('Enter');
  await toast(page, 'Notice dismissed.').waitFor();
  await banner(page).waitFor({ state: 'detached' });
  // The button went with the notice: focus is on the screen's heading, not lost.
  await page.waitForFunction(() => document.activeElement?.id === 'main-heading', undefined, { timeout: 2000 }); // set once the dismiss is rendered

  const reloaded = page.waitForResponse((r) => r.url().includes('/admin/api/notices'));
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();
  await reloaded;
  await page.waitForLoadState('networkidle');
  expect(await banner(page).count()).toBe(0);
  const all = await web.connector.call('/admin/api/notices?include=all', { as: 'admin' });
  expect(all.body.data).toEqual([expect.objectContaining({ subscriptionId, dismissedAt: expect.any(String) })]);
  expect(smtp.received).toHaveLength(1);
});
