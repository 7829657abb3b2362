/**
 * The rule editor on the Trigger rules screen: a rule composed from the pickers is saved through
 * /apiv2, listed, and fires on a ticket created through the public API (its email is recorded);
 * the API's refusals show next to the rows they name; edit, duplicate and delete read back
 * through the API. Keyboard and phone width too.
 */
import { jest } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { horizontalOverflow, PHONE, startWebTest, toast, type WebTest } from './support.js';

jest.setTimeout(90_000);

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest({ CONNECTOR_ALLOW_PRIVATE_TARGETS: 'true' });
});
afterAll(async () => {
  await web?.close();
});

const admin = (path: string, method = 'GET', body?: unknown) => web.connector.call(path, { method, body, as: 'admin' });
const rules = async () => (await admin('/apiv2/triggers.json')).body.triggers as Array<{ id: number; title: string; [key: string]: unknown }>;
const ruleTitled = async (title: string) => (await rules()).find((r) => r.title === title);

const card = (page: Page, id: number) => page.locator(`li[data-trigger-id="${id}"]`);
const row = (dialog: Locator, path: string) => dialog.locator(`[data-row="${path}"]`);

async function openRules(page: Page) {
  await page.goto(`${web.url}#/rules`);
  await page.getByRole('heading', { level: 1, name: 'Trigger rules' }).waitFor();
  await page.getByRole('button', { name: 'New rule' }).isEnabled();
}

async function newRule(page: Page, title: string) {
  await page.getByRole('button', { name: 'New rule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New trigger rule' });
  await dialog.getByLabel('Title', { exact: true }).fill(title);
  return dialog;
}

describe('the rule editor', () => {
  let acknowledged: number;

  test('a rule composed from the pickers is saved, listed, and fires on a ticket created through the public API', async () => {
    const page = await web.signedIn();
    await openRules(page);
    const dialog = await newRule(page, 'Acknowledge new tickets');

    // The first condition starts as "the ticket is created"; the second is picked: status is new.
    const first = row(dialog, 'conditions.all[0]');
    await first.getByLabel('Source', { exact: true }).selectOption('{ticket}');
    await first.getByLabel('Value', { exact: true }).selectOption('created');
    await dialog.getByRole('button', { name: 'Add a condition to “all”' }).click();
    const second = row(dialog, 'conditions.all[1]');
    await second.getByLabel('Source', { exact: true }).selectOption('status');
    // Only the operators the table gives the status are offered.
    expect(
      await second
        .getByLabel('Operator', { exact: true })
        .locator('option')
        .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)),
    ).toEqual(['is', 'is_not', 'less_than', 'greater_than', 'changed', 'changed_to', 'changed_from', 'not_changed', 'not_changed_to', 'not_changed_from']);
    await second.getByLabel('Operator', { exact: true }).selectOption('is');
    await second.getByLabel('Value', { exact: true }).selectOption({ label: 'new' });

    // The email: to the requester, with placeholders inserted where the caret is.
    const email = row(dialog, 'actions[0]');
    await email.getByLabel('Action', { exact: true }).selectOption('email_user');
    await email.getByLabel('Send to', { exact: true }).selectOption('(requester)');
    const subject = email.getByLabel('Subject', { exact: true });
    await subject.fill('Received ');
    await email.getByLabel('Placeholder for subject', { exact: true }).selectOption('ticket.id');
    await email.getByRole('button', { name: 'Insert placeholder in subject' }).click();
    await expect(subject.inputValue()).resolves.toBe('Received {{ticket.id}}');
    const text = email.getByLabel('Text', { exact: true });
    await text.fill('Hello, we have it.');
    await text.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 5));
    await email.getByLabel('Placeholder for text', { exact: true }).selectOption('ticket.requester.name');
    await email.getByRole('button', { name: 'Insert placeholder in text' }).click();
    await expect(text.inputValue()).resolves.toBe('Hello{{ticket.requester.name}}, we have it.');

    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await toast(page, 'Rule “Acknowledge new tickets” created').waitFor();
    await dialog.waitFor({ state: 'hidden' });

    const saved = await ruleTitled('Acknowledge new tickets');
    expect(saved).toMatchObject({
      status: true,
      sort: 0,
      conditions: {
        all: [
          { source: '{ticket}', operator: 'is', value: 'created' },
          { source: 'status', operator: 'is', value: '0' },
        ],
        any: [],
      },
      actions: [{ source: 'email_user', value: '(requester)', subject: 'Received {{ticket.id}}', body: 'Hello{{ticket.requester.name}}, we have it.' }],
    });
    acknowledged = saved!.id;
    await card(page, acknowledged).getByRole('heading', { name: 'Acknowledge new tickets' }).waitFor();

    const created = await web.connector.call('/v1/tickets', {
      method: 'POST',
      body: { message: 'Where is my parcel?', requester: { mail: 'kim@example.com', name: 'Kim Lee' } },
    });
    expect(created.status).toBe(201);
    const notifications = (await admin(`/admin/api/notifications?ticketId=${encodeURIComponent(created.body.id)}`)).body.data;
    expect(notifications).toEqual([
      expect.objectContaining({
        kind: 'email',
        triggerId: acknowledged,
        action: 'email_user',
        recipient: expect.objectContaining({ email: 'kim@example.com' }),
        subject: `Received ${created.body.id}`,
        body: 'HelloKim Lee, we have it.',
      }),
    ]);
  });

  test('what the API refuses is shown next to the row it names; nothing is saved', async () => {
    const page = await web.signedIn();
    await openRules(page);
    const before = (await rules()).length;
    const dialog = await newRule(page, 'Refused rule');

    // A free-text value the API will not take, in the "any" list...
    await dialog.getByRole('button', { name: 'Add a condition to “any”' }).click();
    const recipient = row(dialog, 'conditions.any[0]');
    await recipient.getByLabel('Source', { exact: true }).selectOption('recipient');
    await recipient.getByLabel('Value', { exact: true }).fill('not an address');
    // ...and an id the picker allows but no user has.
    const email = row(dialog, 'actions[0]');
    await email.getByLabel('Send to', { exact: true }).selectOption({ label: 'Another user, by id…' });
    await email.getByLabel('User id', { exact: true }).fill('999999');

    // Saved from the keyboard: Enter in the title. The tables are checked first: the address is refused.
    await dialog.getByLabel('Title', { exact: true }).press('Enter');
    await expect(recipient.getByRole('alert').innerText()).resolves.toMatch(/^⚠?\s*Value must be an email address/);
    await expect(dialog.locator('.rule-editor-top').innerText()).resolves.toContain('one problem is shown next to what it is about');
    await expect(row(dialog, 'conditions.all[0]').getByRole('alert').count()).resolves.toBe(0);
    // Focus went to the summary; the offending control is marked and points at its row's message.
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('rule-editor-top');
    const value = recipient.getByLabel('Value', { exact: true });
    await expect(value.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(value.getAttribute('aria-describedby')).resolves.toContain(await recipient.getByRole('alert').getAttribute('id'));
    expect((await rules()).length).toBe(before);

    // Fixing the row clears its message; saved again, the user id that does not exist is refused next to the action.
    await value.fill('support@example.com');
    await expect(recipient.getByRole('alert').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await expect(email.getByRole('alert').innerText()).resolves.toMatch(/Value is not a user id: no user has id 999999/);
    await expect(recipient.getByRole('alert').count()).resolves.toBe(0);
    expect((await rules()).length).toBe(before);

    // Escape closes without saving; focus goes back to New rule.
    await page.keyboard.press('Escape');
    // Escape closes the native dialog at once; focus returns when the page has unmounted it.
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.textContent === 'New rule', undefined, { timeout: 2000 });
    expect((await rules()).length).toBe(before);
  });

  test("values naming groups, agents and organisations are picked by name from the helpdesk's lists, and the rule fires with them", async () => {
    const agent = await web.connector.call('/v1/agents', { method: 'POST', body: { login: 'ana.picker@example.com', name: 'Ana Picker', groups: [0] } });
    expect(agent.status).toBe(201);
    const first = await web.connector.call('/v1/tickets', {
      method: 'POST',
      body: { message: 'Before the rule', requester: { mail: 'lee@acme.example', name: 'Lee Acme', organization_id: 42 } },
    });
    expect(first.status).toBe(201);

    const page = await web.signedIn();
    await openRules(page);
    const dialog = await newRule(page, 'Acme tickets to Ana');
    const condition = row(dialog, 'conditions.all[0]');
    await condition.getByLabel('Source', { exact: true }).selectOption('organization');
    const organisation = condition.getByLabel('Value', { exact: true });
    // Listed under their heading: the organisation ids users belong to, with how many.
    await expect(organisation.locator('optgroup[label="Organisations"] option').allInnerTexts()).resolves.toContain('Organisation 42 (1 user)');
    await organisation.selectOption({ label: 'Organisation 42 (1 user)' });

    const assign = row(dialog, 'actions[0]');
    await assign.getByLabel('Action', { exact: true }).selectOption('assignee_id');
    await assign.getByLabel('Set to', { exact: true }).selectOption({ label: `Ana Picker <ana.picker@example.com> (user ${agent.body.user_id})` });
    await dialog.getByRole('button', { name: 'Add an action' }).click();
    const email = row(dialog, 'actions[1]');
    await email.getByLabel('Action', { exact: true }).selectOption('email_group');
    const groups = email.getByLabel('Send to', { exact: true });
    await expect(groups.locator('optgroup[label="Groups"] option').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^General \(group 0, \d+ agents?\)$/),
    ]);
    await groups.selectOption({ label: (await groups.locator('optgroup[label="Groups"] option').innerText()).trim() });
    await email.getByLabel('Subject', { exact: true }).fill('Acme wrote: {{ticket.title}}');
    // Requesters are offered for user values too, newest first, after the agents.
    await dialog.getByRole('button', { name: 'Add an action' }).click();
    const copy = row(dialog, 'actions[2]');
    await copy.getByLabel('Action', { exact: true }).selectOption('ccs');
    const people = await copy
      .getByLabel('Set to', { exact: true })
      .locator('optgroup')
      .evaluateAll((g) => g.map((x) => (x as HTMLOptGroupElement).label));
    expect(people).toEqual(['Agents', 'Requesters']);
    await copy.getByRole('button', { name: 'Remove action 3' }).click();

    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await toast(page, 'Rule “Acme tickets to Ana” created').waitFor();
    const saved = await ruleTitled('Acme tickets to Ana');
    expect(saved).toMatchObject({
      conditions: { all: [{ source: 'organization', operator: 'is', value: '42' }], any: [] },
      actions: [
        { source: 'assignee_id', value: String(agent.body.user_id) },
        { source: 'email_group', value: '0', subject: 'Acme wrote: {{ticket.title}}' },
      ],
    });

    // Opened again, the values show by name (listed, not typed ids).
    await card(page, saved!.id).getByRole('button', { name: 'Edit “Acme tickets to Ana”' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit “Acme tickets to Ana”' });
    // The helpdesk's lists load with the dialog: until they are in, the stored id stands alone (a busy run showed that moment).
    await row(edit, 'actions[0]').getByLabel('Set to', { exact: true }).locator('option:checked', { hasText: 'Ana Picker' }).waitFor({ state: 'attached' });
    await expect(row(edit, 'actions[0]').getByLabel('User id', { exact: true }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    await edit.waitFor({ state: 'detached' });

    // It fires: a new ticket from Acme is assigned to Ana, and the group is emailed.
    const created = await web.connector.call('/v1/tickets', {
      method: 'POST',
      body: { message: 'Acme again', requester: { mail: 'lee@acme.example', name: 'Lee Acme', organization_id: 42 } },
    });
    expect(created.status).toBe(201);
    expect(created.body.assignee).toMatchObject({ id: 'ana.picker@example.com' });
    const sent = (await admin(`/admin/api/notifications?ticketId=${encodeURIComponent(created.body.id)}`)).body.data;
    expect(sent).toContainEqual(expect.objectContaining({ triggerId: saved!.id, action: 'email_group', subject: `Acme wrote: Acme again` }));
    // The rule must not keep firing on the other tests' tickets.
    expect((await admin(`/apiv2/triggers/${saved!.id}.json`, 'DELETE')).status).toBe(200);
  });

  test('editing a rule: the change (title, sort, a value, a webhook target action) reads back through the API', async () => {
    const target = await admin('/admin/api/targets', 'POST', { title: 'Escalations room', url: 'http://127.0.0.1:9/hook' });
    expect(target.status).toBe(201);
    const page = await web.signedIn();
    await openRules(page);
    await card(page, acknowledged).getByRole('button', { name: 'Edit “Acknowledge new tickets”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit “Acknowledge new tickets”' });
    await expect(dialog.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('Acknowledge new tickets');
    await expect(row(dialog, 'conditions.all[1]').getByLabel('Value', { exact: true }).inputValue()).resolves.toBe('0');

    await dialog.getByLabel('Title', { exact: true }).fill('Acknowledge open tickets');
    await dialog.getByLabel('Sort', { exact: true }).fill('50');
    await row(dialog, 'conditions.all[1]').getByLabel('Value', { exact: true }).selectOption({ label: 'open' });
    await dialog.getByRole('button', { name: 'Add an action' }).click();
    const send = row(dialog, 'actions[1]');
    await send.getByLabel('Action', { exact: true }).selectOption('target');
    // The targets come from /admin/api/targets; the first one is picked.
    await expect(send.getByLabel('Target', { exact: true }).locator('option:checked').innerText()).resolves.toBe(`Escalations room (#${target.body.id})`);
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await toast(page, 'Rule “Acknowledge open tickets” saved').waitFor();

    const read = (await admin(`/apiv2/triggers/${acknowledged}.json`)).body.trigger;
    expect(read).toMatchObject({
      title: 'Acknowledge open tickets',
      sort: 50,
      conditions: { all: [{ source: '{ticket}' }, { source: 'status', operator: 'is', value: '1' }] },
      actions: [
        { source: 'email_user', subject: 'Received {{ticket.id}}' },
        { source: 'target', value: String(target.body.id), subject: null, body: null },
      ],
    });
    await card(page, acknowledged).getByText('sort 50').waitFor();
  });

  test('duplicating makes a new rule with the same conditions and actions; deleting asks, then removes it', async () => {
    const page = await web.signedIn();
    await openRules(page);
    await card(page, acknowledged).getByRole('button', { name: 'Duplicate “Acknowledge open tickets”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Duplicate “Acknowledge open tickets”' });
    await expect(dialog.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('Copy of Acknowledge open tickets');
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await toast(page, 'Rule “Copy of Acknowledge open tickets” created').waitFor();

    const original = (await admin(`/apiv2/triggers/${acknowledged}.json`)).body.trigger;
    const copy = await ruleTitled('Copy of Acknowledge open tickets');
    expect(copy!.id).not.toBe(acknowledged);
    expect([copy!.conditions, copy!.actions, copy!.sort]).toEqual([original.conditions, original.actions, original.sort]);

    await card(page, copy!.id).getByRole('button', { name: 'Delete “Copy of Acknowledge open tickets”' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “Copy of Acknowledge open tickets”?' });
    await confirm.getByRole('button', { name: 'Delete rule' }).click();
    await toast(page, 'Rule “Copy of Acknowledge open tickets” deleted').waitFor();
    await card(page, copy!.id).waitFor({ state: 'detached' });
    expect((await admin(`/apiv2/triggers/${copy!.id}.json`)).status).toBe(404);
    expect((await admin(`/apiv2/triggers/${acknowledged}.json`)).status).toBe(200);
  });

  test('at phone width the list and the editor fit, and the editor works from the keyboard', async () => {
    const page = await web.signedIn(PHONE);
    await openRules(page);
    await card(page, acknowledged).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);

    const opener = page.getByRole('button', { name: 'New rule' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New trigger rule' });
    await dialog.waitFor();
    // The title has focus; Tab goes on through the form's controls.
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement).labels?.[0]?.textContent)).resolves.toBe('Title');
    await page.keyboard.type('Typed rule');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(dialog.getByRole('checkbox').isChecked()).resolves.toBe(false);
    const sticking = await dialog.evaluate((d) =>
      [...d.querySelectorAll('select, input, textarea, button')]
        .filter((el) => el.getBoundingClientRect().right > d.getBoundingClientRect().right + 1)
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(sticking).toEqual([]);
    expect(await dialog.evaluate((d) => d.scrollWidth - d.clientWidth)).toBe(0);
    await dialog.getByRole('button', { name: 'Create rule' }).focus();
    await page.keyboard.press('Enter');
    await toast(page, 'Rule “Typed rule” created').waitFor();
    expect(await ruleTitled('Typed rule')).toMatchObject({ status: false, conditions: { all: [{ source: '{ticket}', operator: 'is', value: 'created' }] } });
  });
});
