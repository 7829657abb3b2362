/**
 * `startDate` as Ferndesk sends it ("2025-01-01"), or an ISO 8601 date-time. Returns the
 * moment in `toISOString()` form (what the database columns hold), or null when it is not one.
 *
 * - "2025-01-01": midnight UTC of that day.
 * - "2025-01-01T08:00", "2025-01-01T08:00:00.5Z", "2025-01-01T08:00:00+08:00": that moment;
 *   without a zone, UTC.
 * Impossible dates (2025-02-30, 24:00) and years outside 0001–9999 are refused.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

export function parseStartDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const date = DATE.exec(text);
  if (date) return validDay(date[1]!, date[2]!, date[3]!) ? `${date[1]}-${date[2]}-${date[3]}T00:00:00.000Z` : null;
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime) return null;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone = 'Z'] = dateTime;
  if (!validDay(y!, mo!, d!) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (zone.toUpperCase() !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return null;
  const millis = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${zone.toUpperCase()}`);
  if (Number.isNaN(millis)) return null;
  const moment = new Date(millis);
  // A zone can push a date across year 0 or 9999; the columns' text order only holds within four-digit years.
  return moment.getUTCFullYear() >= 1 && moment.getUTCFullYear() <= 9999 ? moment.toISOString() : null;
}

function validDay(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/**
 * Without a startDate the export has no lower bound: everything. Ferndesk's first import (or a
 * pasted URL without one) asks for all conversations; the answer streams, so size is no reason
 * to cut it short.
 */
export const EVERYTHING = '0001-01-01T00:00:00.000Z';

/** The query's startDate resolved to one moment, or which value is wrong. */
export type StartDateQuery = { ok: true; since: string } | { ok: false; given: string };

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;

/**
 * `startDate` as the query parser hands it over: absent (everything), once, or repeated. A
 * pasted URL may carry one and Ferndesk appends its own (`&startDate=`), so the URL has two:
 * each must be a valid date, and every one is a lower bound, so the latest wins (whatever their
 * order). `given` says what was wrong, for the 400's sentence ("it was …", "the URL has 2 … the 2nd was …").
 */
export function startDateFromQuery(value: unknown): StartDateQuery {
  if (value === undefined) return { ok: true, since: EVERYTHING };
  if (!Array.isArray(value)) {
    const since = parseStartDate(value);
    return since ? { ok: true, since } : { ok: false, given: `it was ${JSON.stringify(value)}` };
  }
  let latest = EVERYTHING;
  for (const [i, item] of value.entries()) {
    const since = parseStartDate(item);
    if (!since) return { ok: false, given: `the URL has ${value.length} startDate values and the ${ordinal(i + 1)} was ${JSON.stringify(item)}` };
    if (since > latest) latest = since;
  }
  return { ok: true, since: latest };
}
