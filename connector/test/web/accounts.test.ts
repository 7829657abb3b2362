/**
 * The admin page in a real browser: serving, sign-in, and the Zapier accounts screen (add up to
 * the limit, copy, rename, regenerate, delete), each change checked against the connector itself.
 */
import { jest } from '@jest/globals';
import zapier, { type Bundle, type ZObject } from 'zapier-platform-core';
import App from '../../../index.js';
import { MAX_ZAPIER_ACCOUNTS } from '../../../contract/index.js';
import { startSink, type Sink } from '../support/sink.js';
import { closeAll, startAll } from '../support/teardown.js';
import { startWebTest, TEST_ADMIN_TOKEN, toast, type WebTest } from './support.js';
import type { Page } from 'playwright-core';

// The connector runs in this process: keep Zapier's process-wide http patch off (see test/e2e/support.ts).
const appTester = zapier.createAppTester({ ...App, flags: { ...App.flags, skipHttpPatch: true } });
/** The app's own auth test (GET /v1/me), as Zapier runs it when a connection is checked. */
const authTest = (App.authentication as { test: (z: ZObject, bundle: Bundle) => Promise<unknown> }).test;
const runAuthTest = (authData: Record<string, string>) => appTester(authTest, { authData });

jest.setTimeout(60_000);

let web: WebTest;
let sink: Sink;
beforeAll(async () => {
  [web, sink] = await startAll([startWebTest({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' }), startSink()]);
});
afterAll(() => closeAll(web, sink));

const admin = (path: string, method = 'GET', body?: unknown) => web.connector.call(path, { method, body, as: 'admin' });
const accountNames = async () => ((await admin('/admin/api/zapier-accounts')).body.data as Array<{ name: string; appId: string }>).map((a) => a.name);
/** Adds an account through the API, deleting one of the "Team n" accounts first when the workspace is full. */
async function addAccountMakingRoom(name: string) {
  const accounts = (await admin('/admin/api/zapier-accounts')).body.data as Array<{ name: string; appId: string }>;
  if (accounts.length >= MAX_ZAPIER_ACCOUNTS) {
    const spare = accounts.find((a) => a.name.startsWith('Team '))!;
    expect((await admin(`/admin/api/zapier-accounts/${spare.appId}`, 'DELETE')).status).toBe(200);
  }
  return web.connector.addAccount(name);
}
const row = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

describe('serving', () => {
  test('/admin redirects to /admin/; the page is revalidated, its hashed assets cached for good, all from this origin', async () => {
    const redirect = await fetch(`${web.connector.baseUrl}/admin`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/admin/');

    const page = await fetch(web.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/admin\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no CDN, no external font

    for (const asset of assets) {
      const response = await fetch(`${web.connector.baseUrl}${asset}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const missing = await fetch(`${web.connector.baseUrl}/admin/assets/nothing-here.js`);
    expect(missing.status).toBe(404);

    // The API under /admin/api is unaffected: still JSON, still behind the admin token.
    const api = await fetch(`${web.connector.baseUrl}/admin/api/zapier-accounts`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });
});

describe('sign in', () => {
  test('a wrong token is refused with a message next to the field; the right one signs in; sign out forgets it', async () => {
    const page = await web.newPage();
    await page.goto(web.url);
    const field = page.getByLabel('Admin token');
    await expect(field.getAttribute('type')).resolves.toBe('password');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Enter the admin token.').isVisible()).resolves.toBe(true);

    await field.fill('not-the-admin-token-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'did not accept this admin token' });
    await error.waitFor();
    // Tied to the field: its description names the error, and it is marked invalid.
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby'))!.split(' ');
    expect(describedBy).toContain(await error.getAttribute('id'));
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await field.fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();
    const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
    await expect(breadcrumb.innerText()).resolves.toMatch(/Administration\s*›?\s*Service Integration\s*›?\s*Third-party Integration\s*›?\s*Zapier/);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([TEST_ADMIN_TOKEN]);

    // A reload keeps the session (sessionStorage); signing out forgets the token.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // A token the connector stops accepting (ADMIN_TOKEN changed) ends the session with a word of why.
    await field.fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Zapier accounts' }).waitFor();
    await page.evaluate(() => sessionStorage.setItem(sessionStorage.key(0)!, 'a-token-the-connector-no-longer-accepts'));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByText('The connector no longer accepts the admin token you signed in with').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});

describe('Zapier accounts', () => {
  test('add one: App ID, App Token and Base URL shown once with copy buttons; the token works', async () => {
    const page = await web.signedIn();
    await page.getByText(`1 of ${MAX_ZAPIER_ACCOUNTS}`).waitFor();
    await page.getByRole('button', { name: 'Add Zapier account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a Zapier account' });
    await dialog.getByLabel('Zapier account name').fill('Sales Zaps');
    await dialog.getByRole('button', { name: 'Confirm' }).click();

    const shown = page.getByRole('dialog', { name: 'Zapier account “Sales Zaps” added' });
    await shown.waitFor();
    await expect(shown.getByText('This is the only time the App Token is shown').isVisible()).resolves.toBe(true);
    const appId = await shown.getByLabel('App ID', { exact: true }).inputValue();
    const appToken = await shown.getByLabel('App Token', { exact: true }).inputValue();
    const baseUrl = await shown.getByLabel('Base URL', { exact: true }).inputValue();
    expect(appId).toMatch(/^app_/);
    expect(appToken.length).toBeGreaterThanOrEqual(43);
    expect(baseUrl).toBe('https://connector.test');
    await toast(page, 'Zapier account “Sales Zaps” added').waitFor();

    // Each copy button puts its value on the clipboard, and says so.
    for (const [label, value] of [
      ['App ID', appId],
      ['App Token', appToken],
      ['Base URL', baseUrl],
    ] as const) {
      await shown.getByRole('button', { name: `Copy ${label}` }).click();
      await toast(page, `${label} copied`).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    }

    // The token shown is the real one: the connector accepts it.
    const me = await web.connector.call('/v1/me', { as: { appId, appToken } });
    expect(me.status).toBe(200);

    await shown.getByRole('button', { name: 'Done' }).click();
    await row(page, 'Sales Zaps').waitFor();
    await page.getByText(`2 of ${MAX_ZAPIER_ACCOUNTS}`).waitFor();
    // Never again: the list shows names and dates, not tokens.
    expect(await page.content()).not.toContain(appToken);
    await expect(row(page, 'Sales Zaps').innerText()).resolves.toContain(appId);
  });

  test('copying works without the asynchronous clipboard too (execCommand fallback)', async () => {
    const page = await web.newPage();
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
      (window as unknown as { copied: string[] }).copied = [];
      document.addEventListener('copy', () => (window as unknown as { copied: string[] }).copied.push(String(document.getSelection())));
    });
    await page.goto(web.url);
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Add Zapier account' }).click();
    await page.getByLabel('Zapier account name').fill('Fallback Zaps');
    await page.keyboard.press('Enter');
    const shown = page.getByRole('dialog', { name: /Fallback Zaps/ });
    const appToken = await shown.getByLabel('App Token', { exact: true }).inputValue();
    await shown.getByRole('button', { name: 'Copy App Token' }).click();
    await toast(page, 'App Token copied').waitFor();
    expect(await page.evaluate(() => (window as unknown as { copied: string[] }).copied)).toEqual([appToken]);
    await page.keyboard.press('Escape');
    await shown.waitFor({ state: 'detached' });
  });

  test('up to 10 accounts; then the add button is disabled with the reason shown, and a forced 11th gets the API’s refusal', async () => {
    const page = await web.signedIn();
    let count = (await accountNames()).length;
    // Fill to one below the limit through the page.
    while (count < MAX_ZAPIER_ACCOUNTS - 1) {
      await page.getByRole('button', { name: 'Add Zapier account' }).click();
      await page.getByLabel('Zapier account name').fill(`Team ${count + 1}`);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('button', { name: 'Done' }).click();
      count += 1;
      await page.getByText(`${count} of ${MAX_ZAPIER_ACCOUNTS}`).waitFor();
    }

    // The dialog is open while someone else takes the last place: confirming gets the connector's 409, next to the field.
    await page.getByRole('button', { name: 'Add Zapier account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a Zapier account' });
    await dialog.getByLabel('Zapier account name').fill('One too many');
    expect((await admin('/admin/api/zapier-accounts', 'POST', { name: 'Taken elsewhere' })).status).toBe(201);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const refusal = dialog.getByRole('alert');
    await expect(refusal.innerText()).resolves.toContain(`already has ${MAX_ZAPIER_ACCOUNTS} Zapier accounts, the most it may have; delete one first`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await page.getByText(`${MAX_ZAPIER_ACCOUNTS} of ${MAX_ZAPIER_ACCOUNTS}`).waitFor();
    const add = page.getByRole('button', { name: 'Add Zapier account' });
    await expect(add.isDisabled()).resolves.toBe(true);
    const reason = page.getByText(`This workspace has ${MAX_ZAPIER_ACCOUNTS} Zapier accounts, the most it may have. Delete an account to add another.`);
    await expect(reason.isVisible()).resolves.toBe(true);
    await expect(add.getAttribute('aria-describedby')).resolves.toBe(await reason.getAttribute('id'));
    expect(await accountNames()).toHaveLength(MAX_ZAPIER_ACCOUNTS);
    expect(await accountNames()).not.toContain('One too many');
  });

  test('rename: an empty name is refused in place; a new name is saved and confirmed; the API’s error shows next to the field', async () => {
    const page = await web.signedIn();
    await row(page, 'Team 5').getByRole('button', { name: 'Rename Team 5' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename “Team 5”' });
    const field = dialog.getByLabel('Zapier account name');
    await expect(field.inputValue()).resolves.toBe('Team 5');
    await field.fill('   ');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Enter a name for the Zapier account.').waitFor();

    await field.fill('Support team');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Account name updated').waitFor();
    await row(page, 'Support team').waitFor();
    expect(await accountNames()).toContain('Support team');
    expect(await accountNames()).not.toContain('Team 5');

    // Deleted behind the page's back: the connector's 404 is explained in the dialog.
    const { appId } = ((await admin('/admin/api/zapier-accounts')).body.data as Array<{ name: string; appId: string }>).find((a) => a.name === 'Team 6')!;
    await row(page, 'Team 6').getByRole('button', { name: 'Rename Team 6' }).click();
    expect((await admin(`/admin/api/zapier-accounts/${appId}`, 'DELETE')).status).toBe(200);
    const stale = page.getByRole('dialog', { name: 'Rename “Team 6”' });
    await stale.getByLabel('Zapier account name').fill('Too late');
    await stale.getByRole('button', { name: 'Save' }).click();
    await expect(stale.getByRole('alert').innerText()).resolves.toContain(appId);
  });

  test('regenerate: the confirmation warns that Zaps disconnect and says what their owners do; the new token is shown once; the old one fails in the Zapier app (ExpiredAuthError) and its subscription is listed as ended', async () => {
    const { appId, appToken: oldToken } = await addAccountMakingRoom('Marketing Zaps');
    const subscribed = await web.connector.call('/v1/hooks', {
      method: 'POST',
      body: { event: 'tag.created', targetUrl: sink.url },
      as: { appId, appToken: oldToken },
    });
    expect(subscribed.status).toBe(201);
    const page = await web.signedIn();
    const authData = (appToken: string) => ({ appId, appToken, baseUrl: web.connector.baseUrl });
    await expect(runAuthTest(authData(oldToken))).resolves.toBeDefined();

    await row(page, 'Marketing Zaps').getByRole('button', { name: 'Regenerate the App Token of Marketing Zaps' }).click();
    const confirm = page.getByRole('dialog', { name: 'Regenerate the App Token?' });
    await expect(confirm.innerText()).resolves.toMatch(/Existing Zaps will be disconnected/);
    await expect(confirm.innerText()).resolves.toMatch(/every REST-hook subscription made with it ends/);
    await expect(confirm.innerText()).resolves.toContain(
      'Then each Zap owner: reconnects the account in Zapier with the new App Token, then turns each Zap off and on so Zapier subscribes again.',
    );
    // Cancel is the safe default, and cancelling changes nothing.
    await expect(confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(runAuthTest(authData(oldToken))).resolves.toBeDefined();

    await row(page, 'Marketing Zaps').getByRole('button', { name: 'Regenerate the App Token of Marketing Zaps' }).click();
    await page.getByRole('dialog', { name: 'Regenerate the App Token?' }).getByRole('button', { name: 'Regenerate token' }).click();
    const shown = page.getByRole('dialog', { name: 'New App Token for “Marketing Zaps”' });
    await shown.waitFor();
    await toast(page, 'App Token regenerated').waitFor();
    await expect(shown.getByText('This is the only time the new App Token is shown').isVisible()).resolves.toBe(true);
    const newToken = await shown.getByLabel('App Token', { exact: true }).inputValue();
    expect(newToken).not.toBe(oldToken);

    const refused = await runAuthTest(authData(oldToken)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('ExpiredAuthError');
    await expect(runAuthTest(authData(newToken))).resolves.toMatchObject({ account: { id: appId } });
    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(row(page, 'Marketing Zaps').innerText()).resolves.toContain('Token regenerated');

    // The subscription made with the old token ended with it, and the account's screen says why.
    await page.getByRole('link', { name: 'Subscriptions and deliveries of Marketing Zaps' }).click();
    const subscription = page.locator(`tr[data-subscription-id="${subscribed.body.id}"]`);
    await expect(subscription.innerText()).resolves.toMatch(/Ended[\s\S]*App Token regenerated: turn the Zap off and on to subscribe again/);
  });

  test('delete: the confirmation says it cannot be undone; the account, its credentials and its subscriptions are gone', async () => {
    const credentials = await addAccountMakingRoom('Old Zaps');
    const subscribed = await web.connector.call('/v1/hooks', { method: 'POST', body: { event: 'tag.created', targetUrl: sink.url }, as: credentials });
    expect(subscribed.status).toBe(201);

    const page = await web.signedIn();
    await row(page, 'Old Zaps').getByRole('button', { name: 'Delete Old Zaps' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Old Zaps”?' });
    await expect(confirm.innerText()).resolves.toContain('This cannot be undone.');
    await confirm.getByRole('button', { name: 'Delete account' }).click();
    await toast(page, 'Account deleted').waitFor();
    await row(page, 'Old Zaps').waitFor({ state: 'detached' });
    expect(await accountNames()).not.toContain('Old Zaps');

    const subscriptions = await admin(`/admin/api/zapier-accounts/${credentials.appId}/subscriptions`);
    expect(subscriptions.body.data).toEqual([expect.objectContaining({ id: subscribed.body.id, status: 'ended', endedReason: 'account_deleted' })]);
    expect((await web.connector.call('/v1/hooks', { as: credentials })).status).toBe(401);
    // Focus went somewhere sensible (the heading), not lost on the removed row.
    await page.waitForFunction(() => document.activeElement?.id === 'main-heading', undefined, { timeout: 2000 });
  });
});
