/**
 * Trigger rules (the KF5 Triggers API) in the browser: the list in run order, on/off switches
 * that PUT the status, each rule's conditions and actions in words. And the page's words
 * against the contract's tables, so no source, operator or value goes unworded.
 */
import { jest } from '@jest/globals';
import type { Page } from 'playwright-core';
import { actionSources, conditionSources, valueLabels, type ValueSpec } from '../../../contract/trigger-rules.js';
import { actionInWords, conditionInWords, valueInWords, valueWords } from '../../web/src/rule-words.js';
import { startWebTest, toast, type WebTest } from './support.js';

jest.setTimeout(60_000);

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest();
});
afterAll(async () => {
  await web?.close();
});

const apiv2 = (path: string, method = 'GET', body?: unknown) => web.connector.call(`/apiv2${path}`, { method, body, as: 'admin' });

async function createRule(trigger: Record<string, unknown>): Promise<number> {
  const created = await apiv2('/triggers.json', 'POST', { trigger });
  expect([created.status, created.status === 201 ? null : created.body]).toEqual([201, null]);
  return created.body.trigger.id;
}

const card = (page: Page, id: number) => page.locator(`li[data-trigger-id="${id}"]`);

describe('the page’s words for the contract’s tables', () => {
  test('every fixed value of every condition and action has a word, and the named ones match the contract', () => {
    for (const [row, labels] of Object.entries(valueLabels)) expect(valueWords[row]).toEqual(labels);
    const specs: Array<[string, ValueSpec]> = [
      ...Object.entries(conditionSources).map(([source, spec]) => [source, spec.values] as [string, ValueSpec]),
      ...Object.entries(actionSources).map(([source, spec]) => [source, spec.values] as [string, ValueSpec]),
    ];
    for (const [source, values] of specs) {
      const concrete = source === 'field_<n>' ? 'field_757' : source;
      for (const option of values.options ?? [])
        expect([source, option, valueInWords(concrete, option)]).toEqual([source, option, expect.not.stringMatching(/^“/)]);
      if (values.id) expect(valueInWords(concrete, '42')).toMatch(/#42$/);
    }
  });

  test('the seed’s example reads as sentences', () => {
    expect(conditionInWords({ source: 'status', operator: 'changed_to', value: '3' })).toBe('Status changed to solved');
    expect(conditionInWords({ source: 'group_id', operator: 'is_not', value: '219' })).toBe('Group is not group #219');
    expect(conditionInWords({ source: 'priority', operator: 'less_than', value: '0' })).toBe('Priority is less than low');
    expect(conditionInWords({ source: 'tags', operator: 'contain_at_least_one', value: '产品A 售后' })).toBe('Tags contain at least one of “产品A”, “售后”');
    expect(conditionInWords({ source: '{ticket}', operator: 'is', value: 'created' })).toBe('The ticket is created');
    expect(conditionInWords({ source: 'assignee_id', operator: 'changed', value: '' })).toBe('Assignee changed');
    expect(actionInWords({ source: 'email_user', value: '(requester)', subject: 'Solved', body: 'See {{ticket.url}}' })).toEqual({
      text: 'Email the requester',
      subject: 'Solved',
      body: 'See {{ticket.url}}',
    });
    expect(actionInWords({ source: 'field_757', value: '99', subject: null, body: null }).text).toBe('Set custom field 757 to “99”');
  });
});

describe('trigger rules screen', () => {
  let solved: number;
  let vip: number;
  let old: number;

  beforeAll(async () => {
    solved = await createRule({
      title: 'Tell the requester their ticket is solved',
      sort: 10,
      conditions: {
        all: [
          { source: 'status', operator: 'changed_to', value: '3' },
          { source: 'group_id', operator: 'is_not', value: '219' },
        ],
        any: [{ source: 'priority', operator: 'less_than', value: '2' }],
      },
      actions: [
        { source: 'email_user', value: '(requester)', subject: '[{{account.name}}] Ticket {{ticket.title}} is solved', body: 'See {{ticket.url}}' },
        { source: 'field_757', value: '99' },
      ],
    });
    vip = await createRule({
      title: 'VIP tickets go to the senior group',
      sort: 20,
      conditions: {
        all: [
          { source: '{ticket}', operator: 'is', value: 'created' },
          { source: 'tags', operator: 'contain_at_least_one', value: 'vip 大客户' },
        ],
      },
      actions: [
        { source: 'assignee_id', value: '(current_user)' },
        { source: 'priority', value: '3' },
      ],
    });
    old = await createRule({
      title: 'Unassign email tickets (old)',
      sort: 5,
      status: false,
      conditions: { any: [{ source: 'source', operator: 'is', value: 'email' }] },
      actions: [{ source: 'assignee_id', value: '(-)' }],
    });
  });

  test('listed in run order, with their state; each rule in words', async () => {
    const page = await web.signedIn();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Trigger rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trigger rules' }).waitFor();
    await card(page, vip).waitFor();

    const order = await page.locator('li[data-trigger-id]').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-trigger-id'))));
    const api = (await apiv2('/triggers.json')).body.triggers.map((t: { id: number }) => t.id);
    expect(order).toEqual(api);
    expect(order).toEqual([vip, solved, old]);
    await page.getByText('2 of 3 rules on').waitFor();

    const switches = page.getByRole('switch');
    expect(await switches.evaluateAll((all) => all.map((s) => [s.getAttribute('aria-label'), s.getAttribute('aria-checked')]))).toEqual([
      ['Rule “VIP tickets go to the senior group”', 'true'],
      ['Rule “Tell the requester their ticket is solved”', 'true'],
      ['Rule “Unassign email tickets (old)”', 'false'],
    ]);
    await expect(card(page, vip).locator('.rule-position').innerText()).resolves.toBe('1');
    await expect(card(page, solved).locator('.rule-position').innerText()).resolves.toBe('2');
    await expect(card(page, old).locator('.rule-position').getAttribute('aria-label')).resolves.toBe('Skipped while off');

    // Conditions and actions, in words, behind a disclosure button.
    const disclosure = card(page, solved).getByRole('button', { name: 'Show conditions and actions' });
    await expect(disclosure.getAttribute('aria-expanded')).resolves.toBe('false');
    await disclosure.click();
    const details = card(page, solved).locator('.rule-details');
    const words = await details.innerText();
    expect(words).toMatch(
      /When all of these hold:\s*Status changed to solved\s*Group is not group #219\s*and at least one of these:\s*Priority is less than high\s*Then:/,
    );
    expect(words).toContain('Email the requester');
    expect(words).toContain('Subject: [{{account.name}}] Ticket {{ticket.title}} is solved');
    expect(words).toContain('Set custom field 757 to “99”');
    await card(page, solved).getByRole('button', { name: 'Hide conditions and actions' }).click();
    await expect(details.isVisible()).resolves.toBe(false);

    await card(page, vip).getByRole('button', { name: 'Show conditions and actions' }).click();
    await expect(card(page, vip).locator('.rule-details').innerText()).resolves.toMatch(
      /The ticket is created\s*Tags contain at least one of “vip”, “大客户”[\s\S]*Assign to the person making the change\s*Set the priority to urgent/,
    );
    await card(page, old).getByRole('button', { name: 'Show conditions and actions' }).click();
    await expect(card(page, old).locator('.rule-details').innerText()).resolves.toMatch(
      /When at least one of these holds:\s*Channel is email[\s\S]*Remove the assignee/,
    );
  });

  test('switching a rule off and on again PUTs its status; the run order follows', async () => {
    const page = await web.signedIn();
    await page.goto(`${web.url}#/rules`);
    const vipSwitch = card(page, vip).getByRole('switch', { name: 'Rule “VIP tickets go to the senior group”' });
    await vipSwitch.click();
    await toast(page, 'Rule “VIP tickets go to the senior group” switched off').waitFor();
    await expect(vipSwitch.getAttribute('aria-checked')).resolves.toBe('false');
    expect((await apiv2(`/triggers/${vip}.json`)).body.trigger.status).toBe(false);
    expect((await apiv2('/triggers/active.json')).body.triggers.map((t: { id: number }) => t.id)).toEqual([solved]);
    await expect(card(page, solved).locator('.rule-position').innerText()).resolves.toBe('1');
    await page.getByText('1 of 3 rules on').waitFor();

    // The keyboard works the switch too.
    await vipSwitch.focus();
    await page.keyboard.press('Space');
    await toast(page, 'Rule “VIP tickets go to the senior group” switched on').waitFor();
    expect((await apiv2('/triggers/active.json')).body.triggers.map((t: { id: number }) => t.id)).toEqual([vip, solved]);
  });

  test('a refused switch is explained next to the rule (deleted meanwhile)', async () => {
    const page = await web.signedIn();
    await page.goto(`${web.url}#/rules`);
    const oldSwitch = card(page, old).getByRole('switch');
    await oldSwitch.waitFor();
    expect((await apiv2(`/triggers/${old}.json`, 'DELETE')).status).toBe(200);
    await oldSwitch.click();
    const alert = card(page, old).getByRole('alert');
    await expect(alert.innerText()).resolves.toMatch(/trigger/i);
    await expect(oldSwitch.getAttribute('aria-checked')).resolves.toBe('false');
    await expect(oldSwitch.getAttribute('aria-describedby')).resolves.toBe(await alert.getAttribute('id'));
  });
});
