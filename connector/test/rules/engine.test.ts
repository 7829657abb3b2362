// The rule engine on its own (no database): every row of the seed's condition table (each
// source × each operator × representative values, the special ones included) and of its action
// table, all/any, the re-run loop, closed tickets. The tables come from contract/trigger-rules.ts;
// a coverage test fails if a source, operator or listed value of the seed has no case here.
import { actionSources, conditionSources, tableRowOf, type TriggerAction, type TriggerCondition } from '../../../contract/index.js';
import { compileRule, evaluate, type CompiledRule } from '../../src/rules/engine.js';
import type { Actor, Directory, RuleContext, RuleTicket, TicketEventKind } from '../../src/rules/types.js';

const AVA = 1001; // agent in groups 1 (Customer Care) and 3 (Billing)
const BEN = 1002; // agent in group 1
const CHLOE = 1003; // agent in group 2
const MEI = 1310; // requester

const directory: Directory = {
  agents: new Map([
    [AVA, [1, 3]],
    [BEN, [1]],
    [CHLOE, [2]],
  ]),
  groups: new Set([0, 1, 2, 3, 219]),
  rotations: new Map(),
};

const ticket = (over: Partial<RuleTicket> = {}): RuleTicket => ({
  status: 1,
  type_id: null,
  priority: null,
  group_id: 1,
  requester_id: MEI,
  assignee_id: null,
  source: 'email',
  recipient: 'support@b.kf5.co',
  score: null,
  tags: ['delivery', '产品A'],
  description: 'Order #A-1042: 服务咨询, please help',
  organization: 159,
  language: 'zh_cn',
  fields: { field_757: '99' },
  ccs: [],
  ...over,
});

const agent = (userId: number | null = AVA, groupIds: number[] = [1, 3]): Actor => ({
  kind: 'agent',
  userId,
  name: 'Ava Wong',
  email: 'ava@acme.example',
  groupIds,
});
const enduser = (userId = MEI): Actor => ({ kind: 'enduser', userId, name: 'Mei Chan', email: 'mei@example.com' });
const system: Actor = { kind: 'system', name: 'the connector' };

interface Change {
  prev?: Partial<RuleTicket> | null;
  cur?: Partial<RuleTicket>;
  event?: TicketEventKind;
  actor?: Actor;
  comment?: { public: boolean } | null;
}

const context = (change: Change): RuleContext => ({
  event: change.event ?? 'updated',
  actor: change.actor ?? agent(),
  comment: change.comment === undefined ? null : change.comment,
  directory,
});

/** Does a rule with this one condition fire on this change? */
function fires(condition: TriggerCondition, change: Change, where: 'all' | 'any' = 'all'): boolean {
  const rule = compileRule({
    id: 1,
    title: 't',
    conditions: { all: where === 'all' ? [condition] : [], any: where === 'any' ? [condition] : [] },
    actions: [{ source: 'tags', value: 'fired', subject: null, body: null }],
  });
  const prev = change.prev === null ? null : ticket(change.prev ?? change.cur ?? {});
  return evaluate(prev, ticket(change.cur ?? {}), context(change), [rule]).fired.length === 1;
}

/** [operator, value, change, expected] */
type Case = [string, string, Change, boolean];

/** Every source of the seed's condition table, every operator it allows, representative values. */
const conditionCases: Record<string, Case[]> = {
  status: [
    ['is', '0', { cur: { status: 0 } }, true],
    ['is', '1', { cur: { status: 0 } }, false],
    ['is_not', '4', { cur: { status: 3 } }, true],
    ['is_not', '3', { cur: { status: 3 } }, false],
    ['less_than', '3', { cur: { status: 2 } }, true], // new < open < pending < solved < closed
    ['less_than', '2', { cur: { status: 2 } }, false],
    ['greater_than', '1', { cur: { status: 2 } }, true],
    ['greater_than', '4', { cur: { status: 4 }, prev: { status: 3 } }, false],
    ['changed', '', { prev: { status: 1 }, cur: { status: 2 } }, true],
    ['changed', '', { prev: { status: 2 }, cur: { status: 2 } }, false],
    ['changed', '', { prev: null, cur: { status: 0 } }, true], // creation with a value counts
    ['changed_to', '3', { prev: { status: 1 }, cur: { status: 3 } }, true],
    ['changed_to', '3', { prev: { status: 3 }, cur: { status: 3 } }, false],
    ['changed_to', '4', { prev: { status: 3 }, cur: { status: 4 } }, true], // may fire as the ticket is being closed
    ['changed_from', '1', { prev: { status: 1 }, cur: { status: 2 } }, true],
    ['changed_from', '0', { prev: { status: 1 }, cur: { status: 2 } }, false],
    ['changed_from', '0', { prev: null, cur: { status: 0 } }, false],
    ['not_changed', '', { prev: { status: 2 }, cur: { status: 2 } }, true],
    ['not_changed', '', { prev: { status: 1 }, cur: { status: 2 } }, false],
    ['not_changed_to', '3', { prev: { status: 1 }, cur: { status: 2 } }, true],
    ['not_changed_to', '2', { prev: { status: 1 }, cur: { status: 2 } }, false],
    ['not_changed_from', '2', { prev: { status: 1 }, cur: { status: 2 } }, true],
    ['not_changed_from', '1', { prev: { status: 1 }, cur: { status: 2 } }, false],
  ],
  type_id: [
    ['is', '(-)', { cur: { type_id: null } }, true],
    ['is', '0', { cur: { type_id: 0 } }, true],
    ['is', '1', { cur: { type_id: 2 } }, false],
    ['is_not', '(-)', { cur: { type_id: 3 } }, true],
    ['is_not', '2', { cur: { type_id: 2 } }, false],
    ['changed', '', { prev: { type_id: null }, cur: { type_id: 1 } }, true],
    ['changed_to', '3', { prev: { type_id: 0 }, cur: { type_id: 3 } }, true],
    ['changed_to', '(-)', { prev: { type_id: 0 }, cur: { type_id: null } }, true],
    ['changed_from', '(-)', { prev: { type_id: null }, cur: { type_id: 2 } }, true],
    ['changed_from', '1', { prev: { type_id: 0 }, cur: { type_id: 2 } }, false],
    ['not_changed', '', { prev: { type_id: 1 }, cur: { type_id: 1 } }, true],
    ['not_changed_to', '1', { prev: { type_id: 0 }, cur: { type_id: 1 } }, false],
    ['not_changed_from', '0', { prev: { type_id: 1 }, cur: { type_id: 2 } }, true],
  ],
  priority: [
    ['is', '(-)', { cur: { priority: null } }, true],
    ['is', '3', { cur: { priority: 3 } }, true],
    ['is_not', '1', { cur: { priority: 1 } }, false],
    ['less_than', '0', { cur: { priority: null } }, true], // the seed's example: empty ranks below low
    ['less_than', '2', { cur: { priority: 1 } }, true],
    ['less_than', '(-)', { cur: { priority: null } }, false],
    ['greater_than', '(空)', { cur: { priority: 0 } }, true],
    ['greater_than', '(空)', { cur: { priority: null } }, false],
    ['greater_than', '(-)', { cur: { priority: 0 } }, true], // any priority at all
    ['greater_than', '2', { cur: { priority: 2 } }, false],
    ['changed', '', { prev: { priority: 1 }, cur: { priority: 2 } }, true],
    ['changed_to', '3', { prev: { priority: 2 }, cur: { priority: 3 } }, true],
    ['changed_from', '2', { prev: { priority: 2 }, cur: { priority: 3 } }, true],
    ['not_changed', '', { prev: { priority: 2 }, cur: { priority: 3 } }, false],
    ['not_changed_to', '0', { prev: { priority: 2 }, cur: { priority: 3 } }, true],
    ['not_changed_from', '(-)', { prev: { priority: null }, cur: { priority: 3 } }, false],
  ],
  group_id: [
    ['is', '219', { cur: { group_id: 219 } }, true],
    ['is', '(-)', { cur: { group_id: null } }, true],
    ['is', '0', { cur: { group_id: null } }, true], // General (0) is the empty group
    ['is', '(current_groups)', { cur: { group_id: 3 }, actor: agent(AVA, [1, 3]) }, true],
    ['is', '(current_groups)', { cur: { group_id: 2 }, actor: agent(AVA, [1, 3]) }, false],
    ['is', '(current_groups)', { cur: { group_id: 1 }, actor: enduser() }, false],
    ['is_not', '(current_groups)', { cur: { group_id: 2 }, actor: agent(AVA, [1, 3]) }, true],
    ['is_not', '1', { cur: { group_id: 1 } }, false],
    ['changed', '', { prev: { group_id: 1 }, cur: { group_id: 2 } }, true],
    ['changed_to', '(current_groups)', { prev: { group_id: 2 }, cur: { group_id: 1 }, actor: agent(BEN, [1]) }, true],
    ['changed_from', '(-)', { prev: { group_id: null }, cur: { group_id: 1 } }, true],
    ['not_changed', '', { prev: { group_id: 1 }, cur: { group_id: 1 } }, true],
    ['not_changed_to', '2', { prev: { group_id: 1 }, cur: { group_id: 2 } }, false],
    ['not_changed_from', '(current_groups)', { prev: { group_id: 2 }, cur: { group_id: 1 }, actor: agent(CHLOE, [2]) }, false],
  ],
  requester_id: [
    ['is', '1310', { cur: { requester_id: MEI } }, true],
    ['is', '(current_user)', { cur: { requester_id: MEI }, actor: enduser(MEI) }, true],
    ['is', '(current_user)', { cur: { requester_id: MEI }, actor: agent() }, false],
    ['is', '(current_user)', { cur: { requester_id: MEI }, actor: system }, false],
    ['is_not', '(current_user)', { cur: { requester_id: MEI }, actor: agent(null, []) }, true], // an agent through the API has no id
    ['is_not', '1310', { cur: { requester_id: MEI } }, false],
    ['changed', '', { prev: { requester_id: 1400 }, cur: { requester_id: MEI } }, true],
    ['changed_to', '1310', { prev: { requester_id: 1400 }, cur: { requester_id: MEI } }, true],
    ['changed_from', '(current_user)', { prev: { requester_id: MEI }, cur: { requester_id: 1400 }, actor: enduser(MEI) }, true],
    ['not_changed', '', { prev: { requester_id: MEI }, cur: { requester_id: MEI } }, true],
    ['not_changed_to', '1400', { prev: { requester_id: 1400 }, cur: { requester_id: 1400 } }, true],
    ['not_changed_from', '1400', { prev: { requester_id: 1400 }, cur: { requester_id: MEI } }, false],
  ],
  assignee_id: [
    ['is', '(-)', { cur: { assignee_id: null } }, true],
    ['is', '1002', { cur: { assignee_id: BEN } }, true],
    ['is', '(current_user)', { cur: { assignee_id: AVA }, actor: agent(AVA) }, true],
    ['is_not', '(current_user)', { cur: { assignee_id: BEN }, actor: agent(AVA) }, true],
    ['is_not', '(-)', { cur: { assignee_id: null } }, false],
    ['changed', '', { prev: { assignee_id: null }, cur: { assignee_id: AVA } }, true],
    ['changed_to', '(current_user)', { prev: { assignee_id: null }, cur: { assignee_id: AVA }, actor: agent(AVA) }, true],
    ['changed_to', '(-)', { prev: { assignee_id: BEN }, cur: { assignee_id: null } }, true],
    ['changed_from', '1002', { prev: { assignee_id: BEN }, cur: { assignee_id: AVA } }, true],
    ['not_changed', '', { prev: { assignee_id: BEN }, cur: { assignee_id: AVA } }, false],
    ['not_changed_to', '(-)', { prev: { assignee_id: BEN }, cur: { assignee_id: AVA } }, true],
    ['not_changed_from', '(current_user)', { prev: { assignee_id: AVA }, cur: { assignee_id: BEN }, actor: agent(AVA) }, false],
  ],
  source: [
    ...(['web', 'tab', 'chat', 'weibo', 'api', 'mobile', 'email', 'voicemail', 'inbound', 'outbound'] as const).map(
      (s): Case => ['is', s, { cur: { source: s } }, true],
    ),
    ['is', 'web', { cur: { source: 'email' } }, false],
    ['is_not', 'chat', { cur: { source: 'email' } }, true],
    ['is_not', 'email', { cur: { source: 'email' } }, false],
  ],
  recipient: [
    ['is', 'support@b.kf5.co', { cur: { recipient: 'support@b.kf5.co' } }, true],
    ['is', 'Support@B.kf5.co', { cur: { recipient: 'support@b.kf5.co' } }, true], // addresses compare in any case
    ['is', 'sales@b.kf5.co', { cur: { recipient: 'support@b.kf5.co' } }, false],
    ['is', 'support@b.kf5.co', { cur: { recipient: null } }, false],
  ],
  score: [
    ['is', '(-)', { cur: { score: null } }, true],
    ['is', '5', { cur: { score: 5 } }, true],
    ['is_not', '1', { cur: { score: 2 } }, true],
    ['less_than', '3', { cur: { score: 2 } }, true],
    ['less_than', '1', { cur: { score: null } }, true],
    ['greater_than', '4', { cur: { score: 4 } }, false],
    ['changed', '', { prev: { score: null }, cur: { score: 4 } }, true],
    ['changed_to', '1', { prev: { score: 3 }, cur: { score: 1 } }, true],
    ['changed_from', '3', { prev: { score: 3 }, cur: { score: 1 } }, true],
    ['not_changed', '', { prev: { score: 3 }, cur: { score: 3 } }, true],
    ['not_changed_to', '2', { prev: { score: 3 }, cur: { score: 1 } }, true],
    ['not_changed_from', '3', { prev: { score: 3 }, cur: { score: 1 } }, false],
  ],
  tags: [
    ['contain_at_least_one', '产品A 售后', { cur: { tags: ['产品A'] } }, true],
    ['contain_at_least_one', 'vip  售后', { cur: { tags: ['VIP'] } }, true], // any case; spaces separate
    ['contain_at_least_one', '产品B 售后', { cur: { tags: ['产品A'] } }, false],
    ['not_contain', '产品B 售后', { cur: { tags: ['产品A'] } }, true],
    ['not_contain', '产品A 售后', { cur: { tags: ['售后'] } }, false],
  ],
  description: [
    ['contain', '服务咨询', { cur: { description: '订单问题 服务咨询' } }, true],
    ['contain', 'ORDER', { cur: { description: 'my order is late' } }, true],
    ['contain', 'refund', { cur: { description: 'my order is late' } }, false],
    ['not_contain', 'refund', { cur: { description: 'my order is late' } }, true],
    ['not_contain', 'late', { cur: { description: 'my order is late' } }, false],
  ],
  comment_is_public: [
    ['is', '1', { comment: { public: true } }, true],
    ['is', '1', { comment: { public: false } }, false],
    ['is', '0', { comment: { public: false } }, true],
    ['is', '0', { comment: null }, false], // no comment in this change: neither
    ['is', '1', { comment: null }, false],
  ],
  '{ticket}': [
    ['is', 'created', { prev: null, event: 'created' }, true],
    ['is', 'created', { event: 'updated' }, false],
    ['is', 'updated', { event: 'updated' }, true],
    ['is', 'pushed', { event: 'pushed' }, true],
    ['is', 'pushed', { event: 'updated' }, false],
  ],
  '{current_user}': [
    ['is', 'agent', { actor: agent() }, true],
    ['is', 'agent', { actor: agent(null, []) }, true],
    ['is', 'agent', { actor: enduser() }, false],
    ['is', 'enduser', { actor: enduser() }, true],
    ['is', 'enduser', { actor: system }, false],
    ['is', '1001', { actor: agent(AVA) }, true],
    ['is', '1310', { actor: enduser(MEI) }, true],
    ['is', '1002', { actor: agent(AVA) }, false],
  ],
  organization: [
    ['is', '159', { cur: { organization: 159 } }, true],
    ['is', '(-)', { cur: { organization: null } }, true],
    ['is_not', '159', { cur: { organization: 160 } }, true],
    ['is_not', '(-)', { cur: { organization: null } }, false],
    ['changed', '', { prev: { organization: null }, cur: { organization: 159 } }, true],
    ['changed_to', '159', { prev: { organization: 160 }, cur: { organization: 159 } }, true],
    ['changed_from', '(-)', { prev: { organization: null }, cur: { organization: 159 } }, true],
    ['not_changed', '', { prev: { organization: 159 }, cur: { organization: 159 } }, true],
    ['not_changed_to', '159', { prev: { organization: 160 }, cur: { organization: 159 } }, false],
    ['not_changed_from', '160', { prev: { organization: 161 }, cur: { organization: 159 } }, true],
  ],
  '{language}': [
    ['is', 'zh_cn', { cur: { language: 'zh_cn' } }, true],
    ['is', 'en', { cur: { language: 'zh_cn' } }, false],
    ['is_not', 'en', { cur: { language: null } }, true],
    ['is_not', 'en', { cur: { language: 'en' } }, false],
  ],
  'field_<n>': [
    ['is', '99', { cur: { fields: { field_757: '99' } } }, true],
    ['is', '98', { cur: { fields: { field_757: '99' } } }, false],
    ['is', '(-)', { cur: { fields: {} } }, true],
    ['is_not', '(-)', { cur: { fields: { field_757: '99' } } }, true],
    ['is_not', '99', { cur: { fields: { field_757: '99' } } }, false],
    // the seed's other spellings of empty, as rules stored before (-) became the one stored form have them
    ['is', '(空)', { cur: { fields: {} } }, true],
    ['is', '(空)', { cur: { fields: { field_757: '(空)' } } }, false],
    ['is_not', '', { cur: { fields: { field_757: '99' } } }, true],
    ['is', '', { cur: { fields: {} } }, true],
  ],
};

describe('conditions: every row of the seed table', () => {
  for (const [row, cases] of Object.entries(conditionCases)) {
    const source = row === 'field_<n>' ? 'field_757' : row;
    it.each(cases)(`${row} %s %j`, (operator, value, change, expected) => {
      expect(fires({ source, operator, value }, change)).toBe(expected);
      // the same condition alone under `any` decides the same way
      expect(fires({ source, operator, value }, change, 'any')).toBe(expected);
    });
  }

  it('has a case for every source, every operator of each source, and every listed value', () => {
    const missing: string[] = [];
    for (const [row, spec] of Object.entries(conditionSources)) {
      const cases = conditionCases[row] ?? [];
      if (cases.length === 0) missing.push(row);
      for (const operator of spec.operators) if (!cases.some((c) => c[0] === operator)) missing.push(`${row} ${operator}`);
      for (const value of (spec.values as { options?: readonly string[] }).options ?? []) {
        if (!cases.some((c) => c[1] === value) && !['0', '1', '2', '3', '4', '5'].includes(value)) missing.push(`${row} = ${value}`);
      }
    }
    // numeric options are covered too, per source:
    for (const row of ['status', 'type_id', 'priority', 'score']) {
      const options = (conditionSources as Record<string, { values: { options?: readonly string[] } }>)[row]!.values.options ?? [];
      const used = new Set(conditionCases[row]!.map((c) => c[1]).concat(conditionCases[row]!.flatMap((c) => Object.values(c[2].cur ?? {}).map(String))));
      for (const value of options) if (!used.has(value) && value !== '(-)') missing.push(`${row} value ${value}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('all and any', () => {
  const rule = (all: TriggerCondition[], any: TriggerCondition[]) =>
    compileRule({ id: 1, title: 'r', conditions: { all, any }, actions: [{ source: 'tags', value: 'x', subject: null, body: null }] });
  const run = (r: CompiledRule, cur: Partial<RuleTicket>) => evaluate(ticket({ status: 1 }), ticket(cur), context({}), [r]).fired.length === 1;
  const urgent: TriggerCondition = { source: 'priority', operator: 'is', value: '3' };
  const high: TriggerCondition = { source: 'priority', operator: 'is', value: '2' };
  const open: TriggerCondition = { source: 'status', operator: 'is', value: '1' };

  it('every all condition must hold', () => {
    expect(run(rule([urgent, open], []), { priority: 3, status: 1 })).toBe(true);
    expect(run(rule([urgent, open], []), { priority: 3, status: 2 })).toBe(false);
  });
  it('any needs one of its conditions when it has some', () => {
    expect(run(rule([open], [urgent, high]), { priority: 2 })).toBe(true);
    expect(run(rule([open], [urgent, high]), { priority: 1 })).toBe(false);
    expect(run(rule([], [urgent, high]), { priority: 3 })).toBe(true);
  });
});

describe('actions: every row of the seed table', () => {
  const ctx = context({ actor: agent(AVA, [1, 3]) });
  const act = (action: Partial<TriggerAction> & { source: string }, cur: Partial<RuleTicket> = {}, c: RuleContext = ctx) => {
    const rule = compileRule({
      id: 7,
      title: 'act',
      conditions: { all: [{ source: '{ticket}', operator: 'is', value: 'updated' }], any: [] },
      actions: [{ value: '', subject: null, body: null, ...action }],
    });
    return evaluate(ticket(), ticket(cur), c, [rule]);
  };

  const fieldCases: [string, string, Partial<RuleTicket>, Partial<RuleTicket>][] = [
    ['status', '0', {}, { status: 0 }],
    ['status', '1', { status: 0 }, { status: 1 }],
    ['status', '2', {}, { status: 2 }],
    ['status', '3', {}, { status: 3 }],
    ['status', '4', {}, { status: 4 }],
    ['type_id', '(-)', { type_id: 2 }, { type_id: null }],
    ['type_id', '0', {}, { type_id: 0 }],
    ['type_id', '1', {}, { type_id: 1 }],
    ['type_id', '2', {}, { type_id: 2 }],
    ['type_id', '3', {}, { type_id: 3 }],
    ['priority', '(-)', { priority: 1 }, { priority: null }],
    ['priority', '0', {}, { priority: 0 }],
    ['priority', '1', {}, { priority: 1 }],
    ['priority', '2', {}, { priority: 2 }],
    ['priority', '3', {}, { priority: 3 }],
    ['group_id', '(-)', { group_id: 1 }, { group_id: null }],
    ['group_id', '219', {}, { group_id: 219 }],
    ['group_id', '(current_groups)', { group_id: 2 }, { group_id: 1 }], // the actor's first group
    ['group_id', '(current_groups)', { group_id: 3 }, { group_id: 3 }], // already one of theirs: kept
    ['assignee_id', '(-)', { assignee_id: BEN }, { assignee_id: null }],
    ['assignee_id', '(current_user)', {}, { assignee_id: AVA }],
    ['assignee_id', '1003', {}, { assignee_id: CHLOE }],
    ['assignee_id', '1999', { assignee_id: BEN }, { assignee_id: BEN }], // not an agent: left alone
    ['tags', '产品A 售后 VIP', { tags: ['产品A'] }, { tags: ['产品A', '售后', 'VIP'] }],
    ['ccs', '(assignee)', { assignee_id: BEN }, { ccs: [BEN] }],
    ['ccs', '(assignee)', { assignee_id: null }, { ccs: [] }],
    ['ccs', '1310', { ccs: [1310] }, { ccs: [1310] }],
    ['ccs', '1003', {}, { ccs: [CHLOE] }],
    ['field_757', '100', {}, { fields: { field_757: '100' } }],
    ['field_757', '(-)', {}, { fields: {} }],
    ['field_757', '(空)', {}, { fields: {} }],
    ['field_757', '', {}, { fields: {} }],
    ['priority', '(空)', { priority: 2 }, { priority: null }],
    ['assignee_id', '', { assignee_id: BEN }, { assignee_id: null }],
    ['group_id', '(空)', { group_id: 1 }, { group_id: null }],
    ['field_800', 'VIP customer', {}, { fields: { field_757: '99', field_800: 'VIP customer' } }],
    ['score', '(-)', { score: 4 }, { score: null }],
    ['score', '1', {}, { score: 1 }],
    ['score', '2', {}, { score: 2 }],
    ['score', '3', {}, { score: 3 }],
    ['score', '4', {}, { score: 4 }],
    ['score', '5', {}, { score: 5 }],
  ];
  it.each(fieldCases)('%s = %s', (source, value, before, after) => {
    const result = act({ source, value }, before);
    expect(result.fired).toEqual([{ id: 7, title: 'act' }]);
    expect(result.ticket).toMatchObject(after);
  });

  it('(current_user) does not assign to an end user, the system, or an agent acting through the API', () => {
    for (const actor of [enduser(), system, agent(null, [])]) {
      expect(act({ source: 'assignee_id', value: '(current_user)' }, { assignee_id: BEN }, context({ actor })).ticket.assignee_id).toBe(BEN);
    }
  });

  it('inturn_assign takes the agents of the group in turn, from the stored position, and moves the ticket to the group', () => {
    const first = act({ source: 'inturn_assign', value: '1' }, { group_id: 2 });
    expect(first.ticket).toMatchObject({ assignee_id: AVA, group_id: 1 });
    expect([...first.rotations]).toEqual([[1, AVA]]);
    const roundRobin = compileRule({
      id: 7,
      title: 'rr',
      conditions: { all: [{ source: 'status', operator: 'is', value: '1' }], any: [] },
      actions: [{ source: 'inturn_assign', value: '1', subject: null, body: null }],
    });
    const after = (last: number) => evaluate(ticket(), ticket(), { ...ctx, directory: { ...directory, rotations: new Map([[1, last]]) } }, [roundRobin]);
    expect(after(AVA).ticket.assignee_id).toBe(BEN);
    expect(after(BEN).ticket.assignee_id).toBe(AVA); // wraps round
    expect(after(1500).ticket.assignee_id).toBe(AVA); // the last one left the group: start again
    expect(act({ source: 'inturn_assign', value: '219' }, { assignee_id: BEN }).ticket.assignee_id).toBe(BEN); // no agents in 219: nothing
    expect(act({ source: 'inturn_assign', value: '0' }).fired).toHaveLength(1);
  });

  const notifications: [string, string, string | null][] = [
    ['email_user', '(current_user)', 'Hi {{ticket.requester.name}}'],
    ['email_user', '(requester)', 'Hi'],
    ['email_user', '(assignee)', 'Hi'],
    ['email_user', '1315', 'Hi'],
    ['email_group', '(assigned_group)', 'Hi'],
    ['email_group', '219', 'Hi'],
    ['message_user', '(assignee)', null],
    ['message_user', '(assigned_group)', null],
    ['message_user', '1315', null],
    ['message_user', '135', null],
    ['target', '12', null],
  ];
  it.each(notifications)('%s %s asks for a notification, with its subject (emails) and body', (source, value, subject) => {
    const result = act({ source, value, subject, body: 'Ticket {{ticket.id}}' });
    expect(result.notifications).toEqual([
      { triggerId: 7, triggerTitle: 'act', action: source, value, subject: source.startsWith('email') ? subject : null, body: 'Ticket {{ticket.id}}' },
    ]);
    expect(result.ticket).toEqual(ticket());
  });

  it('has a case for every action and every listed value', () => {
    const used = [...fieldCases.map(([s, v]) => [tableRowOf(s), v]), ...notifications.map(([s, v]) => [s, v]), ['inturn_assign', '']];
    const missing: string[] = [];
    for (const [row, spec] of Object.entries(actionSources)) {
      if (!used.some(([s]) => s === row)) missing.push(row);
      for (const value of (spec.values as { options?: readonly string[] }).options ?? [])
        if (!used.some(([s, v]) => s === row && v === value)) missing.push(`${row} = ${value}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('the run loop', () => {
  const rule = (id: number, conditions: TriggerCondition[], actions: [string, string][]) =>
    compileRule({
      id,
      title: `rule ${id}`,
      conditions: { all: conditions, any: [] },
      actions: actions.map(([source, value]) => ({ source, value, subject: null, body: null })),
    });

  it('a rule enabled by another rule fires, even when it comes first: the list is run again from the top', () => {
    const escalate = rule(1, [{ source: 'priority', operator: 'changed_to', value: '3' }], [['group_id', '219']]);
    const vip = rule(2, [{ source: 'tags', operator: 'contain_at_least_one', value: 'vip' }], [['priority', '3']]);
    const result = evaluate(ticket({ tags: [] }), ticket({ tags: ['vip'] }), context({}), [escalate, vip]);
    expect(result.fired.map((f) => f.id)).toEqual([2, 1]);
    expect(result.ticket).toMatchObject({ priority: 3, group_id: 219 });
  });

  it('changed compares with the ticket before the update, not with what an earlier rule set', () => {
    const setUrgent = rule(1, [{ source: '{ticket}', operator: 'is', value: 'updated' }], [['priority', '3']]);
    const urgentNotChanged = rule(2, [{ source: 'priority', operator: 'not_changed', value: '' }], [['tags', 'steady']]);
    const result = evaluate(ticket({ priority: 3 }), ticket({ priority: 3 }), context({}), [setUrgent, urgentNotChanged]);
    expect(result.ticket.tags).toContain('steady');
    const fromLow = evaluate(ticket({ priority: 0 }), ticket({ priority: 0 }), context({}), [setUrgent, urgentNotChanged]);
    expect(fromLow.ticket.tags).not.toContain('steady');
  });

  it('two rules that would ping-pong fire once each, and the loop ends', () => {
    const ping = rule(1, [{ source: 'priority', operator: 'is', value: '1' }], [['priority', '3']]);
    const pong = rule(2, [{ source: 'priority', operator: 'is', value: '3' }], [['priority', '1']]);
    const result = evaluate(ticket(), ticket({ priority: 1 }), context({}), [ping, pong]);
    expect(result.fired.map((f) => f.id)).toEqual([1, 2]);
    expect(result.ticket.priority).toBe(1);
  });

  it('a rule fires at most once per update even if it matches again', () => {
    const tagger = rule(1, [{ source: 'status', operator: 'is', value: '1' }], [['tags', 'once']]);
    const other = rule(2, [{ source: 'tags', operator: 'contain_at_least_one', value: 'once' }], [['priority', '2']]);
    const result = evaluate(ticket(), ticket({ tags: [] }), context({}), [tagger, other]);
    expect(result.fired.map((f) => f.id)).toEqual([1, 2]);
    expect(result.ticket.tags).toEqual(['once']);
  });

  it('runs in the order given (the caller sorts by sort descending, id ascending)', () => {
    const a = rule(5, [{ source: 'status', operator: 'is', value: '1' }], [['priority', '1']]);
    const b = rule(3, [{ source: 'status', operator: 'is', value: '1' }], [['priority', '2']]);
    expect(evaluate(ticket(), ticket(), context({}), [a, b]).ticket.priority).toBe(2);
    expect(evaluate(ticket(), ticket(), context({}), [b, a]).ticket.priority).toBe(1);
  });

  it('leaves closed tickets alone, but runs as a ticket is being closed, and after a rule closes it', () => {
    const tag = rule(1, [{ source: 'status', operator: 'is', value: '4' }], [['tags', 'closed-note']]);
    expect(evaluate(ticket({ status: 4 }), ticket({ status: 4, priority: 2 }), context({}), [tag])).toMatchObject({ fired: [], skipped: 'closed' });
    expect(evaluate(ticket({ status: 3 }), ticket({ status: 4 }), context({}), [tag]).fired).toHaveLength(1);
    const close = rule(2, [{ source: 'status', operator: 'changed_to', value: '3' }], [['status', '4']]);
    const result = evaluate(ticket({ status: 1 }), ticket({ status: 3 }), context({}), [tag, close]);
    expect(result.fired.map((f) => f.id)).toEqual([2, 1]);
    expect(result.ticket.status).toBe(4);
  });

  it('is pure: the input tickets are not changed, and nothing fired gives the input back', () => {
    const prev = ticket();
    const cur = ticket({ tags: ['a'] });
    const snapshot = JSON.stringify([prev, cur]);
    const result = evaluate(prev, cur, context({}), [
      rule(
        1,
        [{ source: 'status', operator: 'is', value: '1' }],
        [
          ['tags', 'b'],
          ['field_1', 'x'],
          ['ccs', '1003'],
        ],
      ),
    ]);
    expect(JSON.stringify([prev, cur])).toBe(snapshot);
    expect(result.ticket.tags).toEqual(['a', 'b']);
    const none = evaluate(prev, cur, context({}), [rule(1, [{ source: 'status', operator: 'is', value: '0' }], [['tags', 'b']])]);
    expect(none.ticket).toBe(cur);
    expect(none.fired).toEqual([]);
  });
});
