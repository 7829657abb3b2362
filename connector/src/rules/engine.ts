import type { CompiledRule, MutableTicket, RuleState } from './compile.js';
import type { Evaluation, FiredRule, NotificationIntent, RuleContext, RuleTicket } from './types.js';

export { compileRule, type CompiledRule, type RuleDefinition } from './compile.js';

/** KF5's closed status: rules leave closed tickets alone. */
export const CLOSED = 4;

const draftOf = (ticket: RuleTicket): MutableTicket => ({ ...ticket, tags: [...ticket.tags], fields: { ...ticket.fields }, ccs: [...ticket.ccs] });

/**
 * Runs the rules on one change of a ticket. Pure: the same inputs give the same answer, and
 * nothing outside is touched.
 *
 * - `prev` is the ticket before the change (null when it is being created), `cur` after it.
 * - Rules are tried in the order given (the caller sorts them: sort descending, id ascending).
 *   When one matches it fires: its actions change the ticket at once, and the list is tried
 *   again from the top, skipping the rules that already fired. This ends when a pass fires
 *   nothing; each rule fires at most once per change, so it always ends.
 * - `changed` and friends compare with `prev`, the ticket before the change, while `is` and the
 *   rest read the ticket as the rules have left it so far: a rule can enable another.
 * - A closed ticket that stays closed is not touched (rules don't run on closed tickets); a
 *   change that closes a ticket runs them, and so may a rule that closes it.
 */
export function evaluate(prev: RuleTicket | null, cur: RuleTicket, ctx: RuleContext, rules: readonly CompiledRule[]): Evaluation {
  const rotations = new Map<number, number>();
  if (prev !== null && prev.status === CLOSED && cur.status === CLOSED) {
    return { ticket: cur, fired: [], notifications: [], rotations, skipped: 'closed' };
  }
  const state: RuleState = { cur, prev, ctx };
  const count = rules.length;
  /** Per rule: 1 fired, 2 did not match and nothing it reads has changed since, 0 to be tried. */
  let status: Uint8Array | undefined;
  let fired: FiredRule[] | undefined;
  let notifications: NotificationIntent[] | undefined;
  let draft: MutableTicket | undefined;

  let i = 0;
  while (i < count) {
    const rule = rules[i]!;
    if (status !== undefined && status[i] !== 0) {
      i++;
      continue;
    }
    if (!rule.matches(state)) {
      // Only worth remembering once something fired: before that, nothing is tried twice.
      if (status !== undefined) status[i] = 2;
      i++;
      continue;
    }
    if (status === undefined) {
      // The rules before this one did not match the ticket as it is: remember that.
      status = new Uint8Array(count);
      status.fill(2, 0, i);
    }
    fired ??= [];
    notifications ??= [];
    draft ??= draftOf(cur);
    status[i] = 1;
    fired.push({ id: rule.id, title: rule.title });
    const effects = { ticket: draft, ctx, rotations, notifications };
    for (const action of rule.actions) action(effects);
    // The ticket changed: conditions read the draft from now on. The list is tried again from
    // the top, but a rule that did not match, and reads nothing this rule may have changed,
    // still does not match: only those that read a changed field are tried again.
    state.cur = draft;
    state.lowerDescription = undefined;
    if (rule.writes !== 0) {
      for (let j = 0; j < count; j++) if (status[j] === 2 && (rules[j]!.reads & rule.writes) !== 0) status[j] = 0;
    }
    i = 0;
  }
  return { ticket: draft ?? cur, fired: fired ?? [], notifications: notifications ?? [], rotations };
}
