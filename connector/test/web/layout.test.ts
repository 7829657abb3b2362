/**
 * The admin page on a phone (375 px: nothing scrolls sideways, tables become cards) and with
 * the keyboard alone (visible focus, dialogs that hold focus and close with Escape). Also takes
 * the screenshots of the README: with ADMIN_SCREENSHOTS=docs they are written to docs/.
 */
import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/delivery/worker.js';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll, startAll } from '../support/teardown.js';
import { DESKTOP, horizontalOverflow, PHONE, startWebTest, TEST_ADMIN_TOKEN, toast, type WebTest } from './support.js';

jest.setTimeout(90_000);

const shotsDir =
  process.env.ADMIN_SCREENSHOTS === 'docs'
    ? resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs')
    : mkdtempSync(join(tmpdir(), 'admin-page-shots-'));

let web: WebTest;
let sink: Sink;
let worker: DeliveryWorker;

beforeAll(async () => {
  [web, sink] = await startAll([
    startWebTest({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true', CONNECTOR_RETRY_SCHEDULE: '0,300', CONNECTOR_DELIVERY_POLL_MS: '50' }, { seed: true }),
    // Every third delivery fails, so the log shows each status.
    startSink((n) => (n % 3 === 0 ? { status: 503, body: 'busy' } : { status: 200 })),
  ]);
  worker = createDeliveryWorker(web.connector.deps);
  worker.start();

  // A realistic workspace: a few accounts, subscriptions with filters, deliveries of each kind.
  for (const name of ['Sales team Zaps', 'Support escalations', 'Marketing automations']) await web.connector.addAccount(name);
  const hooks: Array<[string, Record<string, string>?]> = [['tag.created'], ['enquiry.created', { channel: 'web', type: 'chat' }], ['contact.created']];
  for (const [event, filters] of hooks) {
    const created = await web.connector.call('/v1/hooks', { method: 'POST', body: { event, targetUrl: `${sink.url}/${event}`, filters } });
    expect(created.status).toBe(201);
  }
  for (let i = 1; i <= 5; i++) {
    expect((await web.connector.call('/v1/tags', { method: 'POST', body: { name: `Priority ${i}`, colorCode: '#E53935' } })).status).toBe(201);
  }
  await sink.waitFor(5);
  const rules = [
    {
      title: 'VIP tickets go to the senior agents',
      sort: 20,
      conditions: {
        all: [
          { source: '{ticket}', operator: 'is', value: 'created' },
          { source: 'tags', operator: 'contain_at_least_one', value: 'vip 大客户' },
        ],
      },
      actions: [
        { source: 'priority', value: '3' },
        { source: 'assignee_id', value: '(current_user)' },
      ],
    },
    {
      title: 'Tell the requester their ticket is solved',
      sort: 10,
      conditions: {
        all: [{ source: 'status', operator: 'changed_to', value: '3' }],
        any: [
          { source: 'source', operator: 'is', value: 'email' },
          { source: 'source', operator: 'is', value: 'web' },
        ],
      },
      actions: [{ source: 'email_user', value: '(requester)', subject: 'Ticket {{ticket.title}} is solved', body: 'See {{ticket.url}}' }],
    },
    {
      title: 'Unassign email tickets (old)',
      sort: 5,
      status: false,
      conditions: { any: [{ source: 'source', operator: 'is', value: 'email' }] },
      actions: [{ source: 'assignee_id', value: '(-)' }],
    },
  ];
  for (const trigger of rules) expect((await web.connector.call('/apiv2/triggers.json', { method: 'POST', body: { trigger }, as: 'admin' })).status).toBe(201);
  if (!statSync(shotsDir, { throwIfNoEntry: false })) mkdirSync(shotsDir, { recursive: true });
});
afterAll(() => closeAll(() => worker?.stop(), web, sink));

const shot = (page: Page, name: string) => page.screenshot({ path: join(shotsDir, `${name}.png`), animations: 'disabled', caret: 'hide' });

async function expectNoSidewaysScroll(page: Page, where: string) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect({ where, fits: scrollWidth <= PHONE.width, scrollWidth }).toEqual({ where, fits: true, scrollWidth });
  expect(await horizontalOverflow(page)).toBe(0);
}

test('phone width (375 px): no screen scrolls sideways; tables are stacked cards', async () => {
  const page = await web.signedIn(PHONE);
  await expectNoSidewaysScroll(page, 'accounts');
  // Stacked: each account is a card, its cells labelled.
  const firstRow = page.locator('tbody tr').first();
  expect(await firstRow.evaluate((el) => getComputedStyle(el).display)).toBe('block');
  expect(
    await page
      .locator('thead')
      .first()
      .evaluate((el) => el.getBoundingClientRect().width),
  ).toBeLessThanOrEqual(1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'admin-accounts-phone');

  await page.getByRole('link', { name: 'Subscriptions and deliveries of Test Zaps' }).click();
  await page.locator('tr[data-delivery-id]').first().waitFor();
  await expectNoSidewaysScroll(page, 'account detail');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'admin-deliveries-phone');
  await page.getByRole('link', { name: 'Zapier accounts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();

  await page.getByRole('button', { name: 'Add Zapier account' }).click();
  await page.getByLabel('Zapier account name').fill('Phone Zaps');
  await page.getByRole('button', { name: 'Confirm' }).click();
  const dialog = page.getByRole('dialog', { name: /Phone Zaps/ });
  await dialog.getByLabel('App Token', { exact: true }).waitFor();
  await expectNoSidewaysScroll(page, 'credentials dialog');
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  await dialog.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('link', { name: 'Conversation export' }).click();
  await page.getByRole('heading', { level: 1, name: 'Conversation export' }).waitFor();
  await page.getByRole('button', { name: 'Create export URL' }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByLabel('Export URL', { exact: true }).waitFor();
  await expectNoSidewaysScroll(page, 'export URL dialog');
  await page.keyboard.press('Escape');
  await page.getByLabel('Support endpoint URL').fill('https://support.example.invalid/export.json');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.getByTestId('check-result').waitFor();
  await expectNoSidewaysScroll(page, 'export');

  await page.getByRole('link', { name: 'Trigger rules' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trigger rules' }).waitFor();
  await page.getByRole('button', { name: 'Show conditions and actions' }).first().click();
  await expectNoSidewaysScroll(page, 'trigger rules');
});

/** The element that has focus, described for assertions. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      name:
        el.getAttribute('aria-label') ?? (el.tagName === 'INPUT' ? ((el as HTMLInputElement).labels?.[0]?.textContent ?? '') : (el.textContent ?? '')).trim(),
      inDialog: Boolean(el.closest('dialog[open]')),
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });

/** Focus settles after a render: look a few times before failing. */
async function expectFocus(page: Page, expected: Record<string, unknown>) {
  let now: Awaited<ReturnType<typeof focused>> = null;
  for (let i = 0; i < 40; i++) {
    now = await focused(page);
    if (now && Object.entries(expected).every(([key, value]) => (now as Record<string, unknown>)[key] === value)) return;
    await page.waitForTimeout(25);
  }
  expect(now).toMatchObject(expected);
}

async function tabUntil(page: Page, name: string | RegExp, max = 30) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now && (typeof name === 'string' ? now.name === name : name.test(now.name))) return now;
  }
  throw new Error(`Tab never reached "${name}"`);
}

test('keyboard only: sign in, add an account, copy its token, Escape out, rename; focus always visible and kept in dialogs', async () => {
  const page = await web.newPage(DESKTOP);
  await page.goto(web.url);

  // The skip link comes first and is visible when focused.
  await page.keyboard.press('Tab');
  await expectFocus(page, { tag: 'a', name: 'Skip to content', outline: true });

  await tabUntil(page, 'Admin token');
  await page.keyboard.type(TEST_ADMIN_TOKEN);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();

  // From the page heading, one Tab reaches the add button.
  await page.keyboard.press('Tab');
  await expectFocus(page, { tag: 'button', name: 'Add Zapier account', outline: true });

  // Open, look around, leave with Escape: nothing is added, focus returns to the button.
  await page.keyboard.press('Enter');
  await expectFocus(page, { tag: 'input', name: 'Zapier account name', inDialog: true });
  await page.keyboard.type('Keyboard Zaps');
  const ring: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    const now = (await focused(page))!;
    expect(now).toMatchObject({ inDialog: true, outline: true });
    ring.push(now.name);
  }
  expect(ring).toEqual(['Cancel', 'Confirm', 'Zapier account name', 'Cancel']); // Tab wraps inside the dialog
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expectFocus(page, { name: 'Confirm', inDialog: true });
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await expectFocus(page, { name: 'Add Zapier account' });
  expect((await web.connector.call('/admin/api/zapier-accounts', { as: 'admin' })).body.data.map((a: { name: string }) => a.name)).not.toContain(
    'Keyboard Zaps',
  );

  // Now for real: Enter submits; the credentials take focus; Copy works from the keyboard.
  await page.keyboard.press('Enter');
  await expectFocus(page, { name: 'Zapier account name', inDialog: true });
  await page.keyboard.type('Keyboard Zaps');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: 'Zapier account “Keyboard Zaps” added' }).waitFor();
  await expectFocus(page, { inDialog: true });
  const copy = await tabUntil(page, 'Copy App Token', 8);
  expect(copy).toMatchObject({ inDialog: true, outline: true });
  await page.keyboard.press('Enter');
  await toast(page, 'App Token copied').waitFor();
  const token = await page.getByLabel('App Token', { exact: true }).inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await shot(page, 'admin-credentials');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await expectFocus(page, { name: 'Add Zapier account' });

  // Every row action is reachable: rename the new account.
  await tabUntil(page, 'Rename Keyboard Zaps');
  await page.keyboard.press('Enter');
  await expectFocus(page, { tag: 'input', inDialog: true });
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Keyboard team');
  await page.keyboard.press('Enter');
  await toast(page, 'Account name updated').waitFor();
  await page.getByRole('rowheader', { name: 'Keyboard team', exact: true }).waitFor();
  await expectFocus(page, { name: 'Rename Keyboard team' });
});

test('every control has a name (labels, aria-labels) on every screen', async () => {
  const page = await web.signedIn();
  const unnamed = () =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea')]
        .filter((el) => {
          const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el as HTMLInputElement).labels?.length;
          return !labelled && !(el.textContent ?? '').trim();
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
  expect(await unnamed()).toEqual([]);
  await shot(page, 'admin-accounts');
  await page.getByRole('link', { name: 'Subscriptions and deliveries of Test Zaps' }).click();
  await page.locator('tr[data-delivery-id]').first().waitFor();
  expect(await unnamed()).toEqual([]);
  await shot(page, 'admin-deliveries');
  await page.getByRole('link', { name: 'Conversation export' }).click();
  await page.getByRole('heading', { level: 1, name: 'Conversation export' }).waitFor();
  await page.locator('tr[data-export-url-id]').first().waitFor();
  await page.getByLabel('Support endpoint URL').fill('https://support.example.invalid/export.json');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  await page.getByTestId('check-result').waitFor();
  expect(await unnamed()).toEqual([]);
  await shot(page, 'admin-export');
  await page.getByRole('link', { name: 'Trigger rules' }).click();
  await page.getByRole('heading', { level: 1, name: 'Trigger rules' }).waitFor();
  await page.getByRole('button', { name: 'Show conditions and actions' }).nth(1).click();
  expect(await unnamed()).toEqual([]);
  await shot(page, 'admin-rules');
});

/** Signed in at this width, with the screen at `hash` open (the title of its heading given). */
async function openAt(viewport: { width: number; height: number }, hash: string, heading: string | RegExp) {
  const page = await web.signedIn(viewport);
  await page.goto(`${web.url}#/${hash}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return page;
}

const widths = [
  ['', DESKTOP],
  ['-phone', PHONE],
] as const;

test('webhook targets, the rule editor and the recovery preview: fit at phone width; shot at both widths', async () => {
  const ids: number[] = [];
  for (const [title, path] of [
    ['Escalations room', 'escalations'],
    ['On-call pager', 'on-call'],
  ]) {
    const created = await web.connector.call('/admin/api/targets', { method: 'POST', body: { title, url: `${sink.url}/${path}` }, as: 'admin' });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }

  for (const [suffix, viewport] of widths) {
    const phone = viewport === PHONE;
    const targets = await openAt(viewport, 'targets', 'Webhook targets');
    await targets.locator('tr[data-target-id]').nth(1).waitFor();
    if (phone) await expectNoSidewaysScroll(targets, 'webhook targets');
    await shot(targets, `admin-targets${suffix}`);

    // A new rule: two conditions ("the ticket is created", "priority is urgent") and a webhook target action.
    const rules = await openAt(viewport, 'rules', 'Trigger rules');
    await rules.getByRole('button', { name: 'New rule' }).click();
    const editor = rules.getByRole('dialog', { name: 'New trigger rule' });
    await editor.getByLabel('Title', { exact: true }).fill('Urgent tickets to the escalations room');
    const first = editor.locator('[data-row="conditions.all[0]"]');
    await first.getByLabel('Source', { exact: true }).selectOption('{ticket}');
    await first.getByLabel('Value', { exact: true }).selectOption('created');
    await editor.getByRole('button', { name: 'Add a condition to “all”' }).click();
    const second = editor.locator('[data-row="conditions.all[1]"]');
    await second.getByLabel('Source', { exact: true }).selectOption('priority');
    await second.getByLabel('Operator', { exact: true }).selectOption('is');
    await second.getByLabel('Value', { exact: true }).selectOption({ label: 'urgent' });
    const send = editor.locator('[data-row="actions[0]"]');
    await send.getByLabel('Action', { exact: true }).selectOption('target');
    await send.getByLabel('Target', { exact: true }).selectOption({ label: `Escalations room (#${ids[0]})` });
    // And an agent, picked by name from the helpdesk's list (the seed's first agent).
    await editor.getByRole('button', { name: 'Add an action' }).click();
    const assign = editor.locator('[data-row="actions[1]"]');
    await assign.getByLabel('Action', { exact: true }).selectOption('assignee_id');
    const agents = assign.getByLabel('Set to', { exact: true }).locator('optgroup[label="Agents"] option');
    await assign.getByLabel('Set to', { exact: true }).selectOption({ label: (await agents.first().innerText()).trim() });
    if (phone) await expectNoSidewaysScroll(rules, 'rule editor');
    if (phone) {
      await send.scrollIntoViewIfNeeded(); // the rows stacked: the action, below the conditions
      await shot(rules, `admin-rule-editor${suffix}`);
    } else {
      // Tall enough for the whole dialog, conditions and action.
      await rules.setViewportSize({ width: DESKTOP.width, height: 1600 });
      await editor.getByLabel('Title', { exact: true }).focus();
      await shot(rules, `admin-rule-editor${suffix}`);
      await rules.setViewportSize(DESKTOP);
    }

    // The recovery dialog's preview of what it would retry (every third delivery failed, waiting for its retry).
    const account = await web.signedIn(viewport);
    await account.getByRole('link', { name: 'Subscriptions and deliveries of Test Zaps' }).click();
    await account.locator('tr[data-delivery-id]').first().waitFor();
    await account.getByRole('button', { name: 'Recover deliveries…' }).click();
    const recover = account.getByRole('dialog', { name: 'Recover deliveries' });
    await recover
      .getByTestId('recovery-preview')
      .filter({ hasText: /will be attempted again now|Nothing to retry/ })
      .waitFor();
    if (phone) await expectNoSidewaysScroll(account, 'recovery dialog');
    await shot(account, `admin-recovery${suffix}`);
  }
});

test('the "Needs attention" banner (a Zap that answered 410 Gone): fits at phone width; shot at both widths', async () => {
  const gone = await startSink(() => ({ status: 410, body: 'gone' }));
  try {
    const hook = await web.connector.call('/v1/hooks', { method: 'POST', body: { event: 'tag.created', targetUrl: `${gone.url}/zap` } });
    expect(hook.status).toBe(201);
    expect((await web.connector.call('/v1/tags', { method: 'POST', body: { name: 'Ended Zap', colorCode: '#1E88E5' } })).status).toBe(201);
    await gone.waitFor(1);
    for (let i = 0; i < 100; i++) {
      if ((await web.connector.call('/admin/api/notices', { as: 'admin' })).body.data.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await gone.close();
  }
  for (const [suffix, viewport] of widths) {
    const page = await web.signedIn(viewport);
    await page.getByRole('region', { name: 'Needs attention' }).locator('li').first().waitFor();
    if (viewport === PHONE) await expectNoSidewaysScroll(page, 'notices banner');
    await shot(page, `admin-notices${suffix}`);
  }
});
