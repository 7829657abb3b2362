/**
 * "Recover deliveries…" on an account's page (issue 13): after the receiver was down, every
 * failed delivery since a time is retried in one action, with a preview, progress and a
 * summary; each event reaches the receiver once after it came back. A real worker and sink.
 */
import { jest } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll, startAll } from '../support/teardown.js';
import { horizontalOverflow, PHONE, startWebTest, type WebTest } from './support.js';

jest.setTimeout(90_000);

const EVENTS = 50;

let web: WebTest;
let sink: Sink;
let worker: DeliveryWorker;
/** What the sink answers next: down until the test brings it back. */
let sinkStatus = 503;

beforeAll(async () => {
  [web, sink] = await startAll([
    startWebTest({
      CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true',
      CONNECTOR_RETRY_SCHEDULE: '0', // one attempt: a failure is final until recovered
      CONNECTOR_DELIVERY_POLL_MS: '50',
      CONNECTOR_DELIVERY_TIMEOUT_SECONDS: '5',
    }),
    startSink(() => ({ status: sinkStatus, body: sinkStatus === 200 ? 'ok' : 'receiver down' })),
  ]);
  worker = createDeliveryWorker(web.connector.deps);
  worker.start();
});
afterAll(() => closeAll(() => worker?.stop(), web, sink));

const startedAt = new Date(Date.now() - 60_000).toISOString();
const recovery = async () =>
  (await web.connector.call(`/admin/api/zapier-accounts/${web.connector.account.appId}/recovery?since=${startedAt}`, { as: 'admin' })).body;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A datetime-local value in the browser's zone (Hong Kong, UTC+8, no daylight saving). */
const toLocalInput = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

const webhookIds = (from: number) => sink.received.slice(from).map((r) => String(r.headers['webhook-id']));

async function openRecovery(page: Page) {
  await page.getByRole('link', { name: 'Subscriptions and deliveries of Test Zaps' }).click();
  await page.getByRole('heading', { level: 1, name: 'Test Zaps' }).waitFor();
  await page.getByRole('button', { name: 'Recover deliveries…' }).click();
  return page.getByRole('dialog', { name: 'Recover deliveries' });
}

/**
 * The preview answers each change of the choices after a call to the connector: wait until it
 * says this (on a busy machine the previous answer is still shown for a moment), then check it.
 */
async function previewSays(dialog: Locator, words: string | RegExp): Promise<void> {
  const preview = dialog.getByTestId('recovery-preview');
  await preview.filter({ hasText: words }).waitFor({ timeout: 10_000 });
  if (typeof words === 'string') await expect(preview.innerText()).resolves.toBe(words);
}

test(`${EVENTS} failed deliveries recovered in one action: preview, progress, summary; each event reaches the receiver once`, async () => {
  const hook = await web.connector.call('/v1/hooks', { method: 'POST', body: { event: 'tag.created', targetUrl: sink.url } });
  expect(hook.status).toBe(201);
  for (let i = 1; i <= EVENTS; i++) {
    const created = await web.connector.call('/v1/tags', { method: 'POST', body: { name: `Outage tag ${i}`, colorCode: '#1E88E5' } });
    expect(created.status).toBe(201);
  }
  await until(async () => (await recovery()).failed === EVENTS, `${EVENTS} failed deliveries`);
  const lostIds = webhookIds(0);
  expect(new Set(lostIds).size).toBe(EVENTS); // one failed attempt per event

  const page = await web.signedIn();
  const dialog = await openRecovery(page);
  await expect(dialog.getByLabel('Subscription').inputValue()).resolves.toBe(''); // all subscriptions
  const sinceDefault = await dialog.getByLabel('Deliveries of events since').inputValue();
  expect(Math.abs(Date.parse(`${sinceDefault}:00+08:00`) - (Date.now() - 86_400_000))).toBeLessThan(120_000); // 24 hours ago, Hong Kong time
  await previewSays(dialog, new RegExp(`^${EVENTS} deliveries will be attempted again now\\.`));

  // The receiver is back.
  sinkStatus = 200;
  const backAt = sink.received.length;
  const started = performance.now();
  await dialog.getByRole('button', { name: `Retry ${EVENTS} deliveries` }).click();
  await dialog.getByRole('progressbar').waitFor();
  await dialog
    .getByTestId('recovery-summary')
    .filter({ hasText: `${EVENTS} delivered, 0 failed again.` })
    .waitFor({ timeout: 30_000 });
  console.log(`recovery of ${EVENTS} deliveries, from the click to the summary: ${Math.round(performance.now() - started)} ms`);
  await expect(dialog.getByRole('progressbar').getAttribute('value')).resolves.toBe(String(EVENTS));

  // Each event once since the receiver came back: the same webhook-ids as the lost attempts, none twice.
  const sinceBack = webhookIds(backAt);
  expect(sinceBack).toHaveLength(EVENTS);
  expect([...sinceBack].sort()).toEqual([...lostIds].sort());

  // Done: the page behind shows the delivery log reloaded.
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'detached' });
  await expect(page.locator('table[data-testid="deliveries"] tr[data-status="failed"]').count()).resolves.toBe(0);
  await page.locator('table[data-testid="deliveries"] tr[data-status="delivered"]').first().waitFor();
});

test('run again, nothing to retry is said plainly; a time in the future is refused in the words of the API; phone width and Escape', async () => {
  const page = await web.signedIn(PHONE);
  const dialog = await openRecovery(page);
  await previewSays(dialog, /^Nothing to retry/);
  await expect(dialog.getByRole('button', { name: /^Retry/ }).count()).resolves.toBe(0);
  expect(await horizontalOverflow(page)).toBe(0);
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);

  const since = dialog.getByLabel('Deliveries of events since');
  await since.fill('2099-01-01T00:00');
  await expect(dialog.getByRole('alert').innerText()).resolves.toBe('The request is not valid: since must not be in the future.');
  await since.fill('');
  await dialog.getByText('Enter the date and time to recover from.').waitFor();

  // One subscription, chosen by event and target: still nothing.
  await dialog.getByLabel('Subscription').selectOption({ label: `tag.created → ${sink.url}` });
  await since.fill(toLocalInput(Date.now() - 3_600_000));
  await previewSays(dialog, /^Nothing to retry/);

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Recover deliveries…');
});

test('a disabled subscription is re-enabled with its deliveries, and the subscriptions reload after', async () => {
  sinkStatus = 503;
  const hook = await web.connector.call('/v1/hooks', { method: 'POST', body: { event: 'tag.created', targetUrl: `${sink.url}/second` } });
  const failedBefore = (await recovery()).failed;
  await web.connector.call('/v1/tags', { method: 'POST', body: { name: 'Disabled tag', colorCode: '#1E88E5' } });
  await until(async () => (await recovery()).failed === failedBefore + 2, 'the new event to fail at both subscriptions');
  await web.connector.db
    .updateTable('subscriptions')
    .set({ status: 'disabled', ended_reason: 'failing', failing_since: new Date().toISOString() })
    .where('id', '=', hook.body.id)
    .execute();

  sinkStatus = 200;
  const page = await web.signedIn();
  const dialog = await openRecovery(page);
  await dialog.getByLabel('Subscription').selectOption({ label: `tag.created → ${sink.url}/second (disabled)` });
  await previewSays(dialog, '1 delivery will be attempted again now. 1 disabled subscription will be re-enabled.');
  await dialog.getByRole('button', { name: 'Retry 1 delivery' }).click();
  await dialog.getByTestId('recovery-summary').filter({ hasText: '1 delivered, 0 failed again.' }).waitFor();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await page.locator(`tr[data-subscription-id="${hook.body.id}"]`).filter({ hasText: 'Active' }).waitFor();
  expect((await recovery()).failed).toBe(1); // the other subscription's delivery of that event: not chosen, still failed
});
