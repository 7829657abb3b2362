// What the trigger-rule tests that drive a running connector share: rows of a rule, a clean slate
// of active rules, and ticket changes through /v1 that must succeed.
import { Ticket } from '../../../contract/index.js';
import type { TestConnector } from '../support/connector.js';

export const condition = (source: string, operator: string, value = '') => ({ source, operator, value });
export const action = (source: string, value: string, extra: object = {}) => ({ source, value, subject: null, body: null, ...extra });

/** Helpers bound to the file's connector, read when called (it is started in beforeAll). */
export function ruleHelpers(connector: () => TestConnector) {
  const admin = (path: string, method = 'GET', body?: unknown) => connector().call(path, { method, body, as: 'admin' });

  /** Each test gets only its own triggers: the others are switched off. */
  async function onlyTriggers(...triggers: object[]): Promise<number[]> {
    for (const t of (await admin('/apiv2/triggers/active.json')).body.triggers)
      await admin(`/apiv2/triggers/${t.id}.json`, 'PUT', { trigger: { status: false } });
    const ids: number[] = [];
    for (const trigger of triggers) {
      const created = await admin('/apiv2/triggers.json', 'POST', { trigger });
      if (created.status !== 201) throw new Error(`trigger refused: ${JSON.stringify(created.body)}`);
      ids.push(created.body.trigger.id);
    }
    return ids;
  }

  const createTicket = async (body: object) => {
    const created = await connector().call('/v1/tickets', { method: 'POST', body });
    expect(created.status).toBe(201);
    return Ticket.parse(created.body);
  };
  const updateTicket = async (id: string, body: object) => {
    const updated = await connector().call(`/v1/tickets/${id}`, { method: 'PATCH', body });
    expect(updated.status).toBe(200);
    return Ticket.parse(updated.body);
  };

  return { admin, onlyTriggers, createTicket, updateTicket };
}
