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
  let firedFlags: Uint8Array | undefined;
  let fired: FiredRule[] | undefined;
  let notifications: NotificationIntent[] | undefined;
  let draft: MutableTicket | undefined;

  let i = 0;
  while (i < count) {
    if (firedFlags?.[i] || !rules[i]!.matches(state)) {
      i++;
      continue;
    }
    const rule = rules[i]!;
    firedFlags ??= new Uint8Array(count);
    fired ??= [];
    notifications ??= [];
    draft ??= draftOf(cur);
    firedFlags[i] = 1;
    fired.push({ id: rule.id, title: rule.title });
    const effects = { ticket: draft, ctx, rotations, notifications };
    for (const action of rule.actions) action(effects);
    // The ticket changed: conditions read the draft from now on, from the top of the list.
    state.cur = draft;
    state.lowerDescription = undefined;
    i = 0;
  }
  return { ticket: draft ?? cur, fired: fired ?? [], notifications: notifications ?? [], rotations };
}
