/**
 * Conversation export (Ferndesk) in the browser: create a secret export URL, copy it, run the
 * "test" check on it, rotate it (the old URL stops), test other URLs, delete it.
 *
 * The export URLs the connector hands out start with its public Base URL. So that they work
 * here, the public Base URL is a port on 127.0.0.1 that forwards to the test connector.
 */
import { jest } from '@jest/globals';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { closeAll } from '../support/teardown.js';
import { startWebTest, toast, type WebTest } from './support.js';

jest.setTimeout(60_000);

let web: WebTest;
let forwarder: Server;
let connectorPort = 0;

beforeAll(async () => {
  forwarder = createServer((socket) => {
    const upstream = connect(connectorPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => forwarder.listen(0, '127.0.0.1', resolve));
  const publicBaseUrl = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;
  web = await startWebTest({ CONNECTOR_PUBLIC_BASE_URL: publicBaseUrl, CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' }, { seed: true });
  connectorPort = Number(new URL(web.connector.baseUrl).port);
});
afterAll(() => closeAll(web, () => forwarder && new Promise((resolve) => forwarder.close(resolve))));

const exportStatus = async (url: string) => (await fetch(`${url}?startDate=2000-01-01`)).status;

test('create an export URL, copy it, test it; rotate it (the old one stops); test any URL; delete it', async () => {
  const page = await web.signedIn();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Conversation export' }).click();
  await page.getByRole('heading', { level: 1, name: 'Conversation export' }).waitFor();
  expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('listitem').allInnerTexts()).toEqual([
    'Administration',
    'Service Integration',
    'Third-party Integration',
    'Ferndesk',
  ]);
  await page.getByText('No export URLs yet.').waitFor();

  // Create: the full URL is shown once, with a copy button and the test.
  await page.getByRole('button', { name: 'Create export URL' }).click();
  const create = page.getByRole('dialog', { name: 'Create an export URL' });
  await expect(create.getByLabel('Name').inputValue()).resolves.toBe('Ferndesk');
  await create.getByRole('button', { name: 'Create' }).click();
  const created = page.getByRole('dialog', { name: 'Export URL “Ferndesk” created' });
  await toast(page, 'Export URL created').waitFor();
  await expect(created.getByText('This is the only time the full URL is shown').isVisible()).resolves.toBe(true);
  const firstUrl = await created.getByLabel('Export URL', { exact: true }).inputValue();
  expect(firstUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/support-endpoint\/.+\.json$/);
  await created.getByRole('button', { name: 'Copy Export URL' }).click();
  await toast(page, 'Export URL copied').waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstUrl);
  expect(await exportStatus(firstUrl)).toBe(200);

  await created.getByRole('button', { name: 'Test this URL' }).click();
  const good = created.getByTestId('check-result');
  await good.waitFor();
  expect(await good.getAttribute('data-verdict')).toBe('ok');
  const goodText = await good.innerText();
  expect(goodText).toContain('Ferndesk can read this endpoint');
  expect(goodText).toMatch(/\d+ conversations?, \d+ messages?/);
  // Both fetches, each with its URL: exactly as given (no startDate), and as Ferndesk builds it.
  const [asGiven, asFerndesk] = await good.getByTestId('check-fetch').allInnerTexts();
  expect(asGiven).toContain('As given: works · HTTP 200');
  expect(asGiven).toContain(firstUrl);
  expect(asGiven).not.toContain('startDate');
  expect(asFerndesk).toContain('As Ferndesk builds it: works · HTTP 200');
  expect(asFerndesk).toMatch(new RegExp(`${firstUrl.replace(/[.?]/g, '\\$&')}\\?startDate=\\d{4}-\\d{2}-\\d{2}`));
  await created.getByRole('button', { name: 'Done' }).click();

  // The list never shows the secret.
  const row = page.locator('tr[data-export-url-id]');
  await expect(row.innerText()).resolves.toContain('Ferndesk');
  const secret = firstUrl.split('/support-endpoint/')[1]!.replace(/\.json$/, '');
  expect(await page.content()).not.toContain(secret);

  // Rotate: a warning first, then the new URL once; the old one answers 404 from now on.
  await row.getByRole('button', { name: 'Rotate the secret of Ferndesk' }).click();
  const confirm = page.getByRole('dialog', { name: 'Rotate the secret?' });
  await expect(confirm.innerText()).resolves.toContain('stops working at once');
  await confirm.getByRole('button', { name: 'Rotate secret' }).click();
  const rotated = page.getByRole('dialog', { name: 'New URL for “Ferndesk”' });
  await toast(page, 'Export URL rotated').waitFor();
  const secondUrl = await rotated.getByLabel('Export URL', { exact: true }).inputValue();
  expect(secondUrl).not.toBe(firstUrl);
  expect(await exportStatus(firstUrl)).toBe(404);
  expect(await exportStatus(secondUrl)).toBe(200);
  await page.keyboard.press('Escape');
  await rotated.waitFor({ state: 'detached' });
  await expect(row.innerText()).resolves.toContain('Secret replaced');

  // The test on any URL, with the answer in plain words: the old URL, and something that is no URL at all.
  const field = page.getByLabel('Support endpoint URL');
  await field.fill(firstUrl);
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const result = page.getByTestId('check-result');
  await page.locator('[data-testid="check-result"][data-verdict="http_error"]').waitFor();
  await expect(result.innerText()).resolves.toMatch(/The endpoint answered with an HTTP error[\s\S]*404/);

  await field.fill('not a url');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.locator('[data-testid="check-result"][data-verdict="invalid_url"]').waitFor();
  await expect(result.innerText()).resolves.toContain('This is not a URL Ferndesk can use');

  await field.fill('');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.getByText('Enter the URL of a support endpoint.').waitFor();

  // Delete: cannot be undone; the URL stops.
  await row.getByRole('button', { name: 'Delete Ferndesk' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete “Ferndesk”?' });
  await expect(remove.innerText()).resolves.toContain('This cannot be undone.');
  await remove.getByRole('button', { name: 'Delete URL' }).click();
  await toast(page, 'Export URL deleted').waitFor();
  await page.getByText('No export URLs yet.').waitFor();
  expect(await exportStatus(secondUrl)).toBe(404);
});
