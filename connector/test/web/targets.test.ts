/**
 * Webhook targets in the browser: add one pointing at a local sink (the signing secret shown
 * once), send it a test (the sink gets one signed request, the row says "answered 200"), edit
 * its title, be told in words why it cannot be deleted while a rule sends to it, delete it; a
 * sink answering 500 shows the failure in words; the screen by keyboard and at phone width.
 * Local sinks are 127.0.0.1: the test connector allows private targets.
 */
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll } from '../support/teardown.js';
import { horizontalOverflow, PHONE, startWebTest, toast, type WebTest } from './support.js';

jest.setTimeout(60_000);

let web: WebTest;
let okSink: Sink;
let failingSink: Sink;

beforeAll(async () => {
  okSink = await startSink();
  failingSink = await startSink(() => ({ status: 500, body: 'the receiver is being upgraded' }));
  web = await startWebTest({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' });
});
afterAll(() =>
  closeAll(
    web,
    () => okSink?.close(),
    () => failingSink?.close(),
  ),
);

async function openTargets(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Webhook targets' }).click();
  await page.getByRole('heading', { level: 1, name: 'Webhook targets' }).waitFor();
}

/** Adds a target through the dialog; answers the secret it showed once. */
async function addTarget(page: Page, title: string, url: string): Promise<string> {
  await page.getByRole('button', { name: 'Add webhook target' }).click();
  const add = page.getByRole('dialog', { name: 'Add a webhook target' });
  await add.getByLabel('Title').fill(title);
  await add.getByLabel('URL').fill(url);
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  const added = page.getByRole('dialog', { name: `Webhook target “${title}” added` });
  await toast(page, 'Webhook target added').waitFor();
  await expect(added.getByText('This is the only time the signing secret is shown').isVisible()).resolves.toBe(true);
  const secret = await added.getByLabel('Signing secret', { exact: true }).inputValue();
  await added.getByRole('button', { name: 'Copy Signing secret' }).click();
  await toast(page, 'Signing secret copied').waitFor();
  await added.getByRole('button', { name: 'Done' }).click();
  await added.waitFor({ state: 'detached' });
  return secret;
}

/** The row by its title (by text: at phone width the stacked cells' labels join the accessible names). */
const rowOf = (page: Page, title: string) => page.locator('tr[data-target-id]').filter({ has: page.locator('th', { hasText: new RegExp(`^${title}$`) }) });

test('add a target (secret once), send it a test, edit its title; deleting it is refused in words while a rule uses it, then done', async () => {
  const page = await web.signedIn();
  await openTargets(page);
  expect(await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('listitem').allInnerTexts()).toEqual([
    'Administration',
    'Helpdesk',
    'Webhook targets',
  ]);
  await page.getByText('No webhook targets yet.').waitFor();

  // Nothing filled in: said next to the fields, nothing sent.
  await page.getByRole('button', { name: 'Add webhook target' }).click();
  const add = page.getByRole('dialog', { name: 'Add a webhook target' });
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await add.getByText('Enter a title').waitFor();
  await add.getByText('Enter the URL to send to').waitFor();
  await add.getByRole('button', { name: 'Cancel' }).click();

  const secret = await addTarget(page, 'Escalations', okSink.url);
  expect(secret).toMatch(/^whsec_/);
  expect(await page.content()).not.toContain(secret); // the list never shows it
  const row = rowOf(page, 'Escalations');
  await expect(row.innerText()).resolves.toMatch(/Escalations[\s\S]*127\.0\.0\.1[\s\S]*Active/);

  // Send a test: one signed request to the sink, the answer in words next to the row.
  await row.getByRole('button', { name: 'Send a test to Escalations' }).click();
  const answer = row.getByTestId('target-test-result');
  await answer.waitFor();
  await expect(answer.innerText()).resolves.toMatch(/The target answered 200 OK in \d+ ms\./);
  expect(await answer.getAttribute('data-ok')).toBe('true');
  expect(okSink.received).toHaveLength(1);
  const request = okSink.received[0]!;
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({ type: 'test' });

  // Edit the title (by keyboard: Enter submits the form).
  await row.getByRole('button', { name: 'Edit Escalations' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit “Escalations”' });
  await expect(edit.getByLabel('URL').inputValue()).resolves.toBe(okSink.url);
  await edit.getByLabel('Title').fill('Escalations room');
  await edit.getByLabel('Title').press('Enter');
  await toast(page, 'Webhook target saved').waitFor();
  await edit.waitFor({ state: 'detached' });
  const renamed = rowOf(page, 'Escalations room');
  await renamed.waitFor();

  // A rule sends to it: deleting is refused, in words, and the dialog stays to cancel.
  const targetId = Number(await renamed.getAttribute('data-target-id'));
  const rule = await web.connector.call('/apiv2/triggers.json', {
    method: 'POST',
    as: 'admin',
    body: {
      trigger: {
        title: 'Tell the escalations room',
        conditions: { all: [{ source: '{ticket}', operator: 'is', value: 'created' }], any: [] },
        actions: [{ source: 'target', value: String(targetId), subject: null, body: '{"ticket": "{{ticket.id}}"}' }],
      },
    },
  });
  expect(rule.status).toBe(201);
  await renamed.getByRole('button', { name: 'Delete Escalations room' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete “Escalations room”?' });
  await expect(remove.innerText()).resolves.toContain('This cannot be undone.');
  await remove.getByRole('button', { name: 'Delete target' }).click();
  await remove.getByText(`“Escalations room” cannot be deleted while trigger rules send to it. Webhook target ${targetId} is used by trigger`).waitFor();
  await remove.getByRole('button', { name: 'Cancel' }).click();
  await remove.waitFor({ state: 'detached' });
  expect((await web.connector.call(`/apiv2/triggers/${rule.body.trigger.id}.json`, { method: 'DELETE', as: 'admin' })).status).toBe(200);

  // Now it goes.
  await renamed.getByRole('button', { name: 'Delete Escalations room' }).click();
  await remove.getByRole('button', { name: 'Delete target' }).click();
  await toast(page, 'Webhook target deleted').waitFor();
  await page.getByText('No webhook targets yet.').waitFor();
});

test('a target answering 500 shows the failure in words; the screen works by keyboard and at phone width', async () => {
  const page = await web.signedIn(PHONE);
  await page.goto(`${web.url}#/targets`);
  await page.getByRole('heading', { level: 1, name: 'Webhook targets' }).waitFor();
  await addTarget(page, 'Upgrading receiver', failingSink.url);
  const row = rowOf(page, 'Upgrading receiver');

  // By keyboard: the test button takes focus and Enter sends.
  await row.getByRole('button', { name: 'Send a test to Upgrading receiver' }).focus();
  await page.keyboard.press('Enter');
  const answer = row.getByTestId('target-test-result');
  await answer.waitFor();
  await expect(answer.innerText()).resolves.toContain('The target answered 500: the receiver is being upgraded');
  expect(await answer.getAttribute('data-ok')).toBe('false');
  await toast(page, 'The test to “Upgrading receiver” failed').waitFor();
  expect(failingSink.received).toHaveLength(1);
  expect(await horizontalOverflow(page)).toBe(0);

  // Escape closes a dialog, and focus goes back to the button that opened it.
  const editButton = row.getByRole('button', { name: 'Edit Upgrading receiver' });
  await editButton.click();
  const edit = page.getByRole('dialog', { name: 'Edit “Upgrading receiver”' });
  await edit.waitFor();
  expect(await horizontalOverflow(page)).toBe(0);
  await page.keyboard.press('Escape');
  await edit.waitFor({ state: 'detached' });
  await expect(editButton.evaluate((button) => button === document.activeElement)).resolves.toBe(true);
});
