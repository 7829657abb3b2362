import type { SelectQueryBuilder } from 'kysely';
import { invalidField } from '../errors.js';

/** One page of a list endpoint (contract `pageOf`). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** What a list endpoint's query says about paging (contract `PageQuery`, after its defaults). */
export interface PageRequest {
  cursor?: string;
  limit: number;
}

type KeyValue = string | number;

/**
 * A list's order: columns whose values never change once a record exists, the last ones
 * unique together (a keyset), e.g. (created_at desc, id desc). A page ends after a record;
 * the next one starts after that record's key, whatever was added or removed in between.
 */
export interface Keyset<Row> {
  /** Which list a cursor belongs to: one list's cursor is refused by another. */
  list: string;
  /** `toKey` only where the row's value is not the key as it is (a number read as text). */
  columns: { column: keyof Row & string; direction: 'asc' | 'desc'; toKey?: (row: Row) => KeyValue }[];
}

/** At most this many rows are read for one page when rows are also filtered after reading. */
export const MAX_ROWS_READ_PER_PAGE = 5000;

const encodeCursor = (list: string, key: KeyValue[]) => Buffer.from(JSON.stringify({ l: list, k: key })).toString('base64url');

const badCursor = () =>
  invalidField('cursor', 'is not a cursor of this list: pass the nextCursor of the previous page unchanged, or leave cursor out to start from the first page');

/** The key a cursor holds; a 400 naming `cursor` for anything this list did not hand out. */
export function decodeCursor<Row>(keyset: Keyset<Row>, cursor: string): KeyValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const { l, k } = (parsed ?? {}) as { l?: unknown; k?: unknown };
  const fits =
    l === keyset.list &&
    Array.isArray(k) &&
    k.length === keyset.columns.length &&
    k.every((value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)));
  if (!fits) throw badCursor();
  return k as KeyValue[];
}

// Kysely cannot type a helper over any table's columns; the callers' queries are typed, and
// readPage looks at them here as a query over tables of unknown columns.
type AnySelect<Row> = SelectQueryBuilder<Record<string, Record<string, unknown>>, string, Row>;

/** Rows after `key` in the keyset's order: (a > x) or (a = x and b > y) ..., each by its direction. */
function after<Row>(select: AnySelect<Row>, keyset: Keyset<Row>, key: KeyValue[]): AnySelect<Row> {
  return select.where((eb) =>
    eb.or(
      keyset.columns.map((column, i) =>
        eb.and([
          ...keyset.columns.slice(0, i).map((earlier, j) => eb(eb.ref(earlier.column as string), '=', key[j]!)),
          eb(eb.ref(column.column as string), column.direction === 'asc' ? '>' : '<', key[i]!),
        ]),
      ),
    ),
  );
}

const ordered = <Row>(select: AnySelect<Row>, keyset: Keyset<Row>) =>
  keyset.columns.reduce((query, column) => query.orderBy(column.column, column.direction), select);

const keyOf = <Row>(keyset: Keyset<Row>, row: Row) => keyset.columns.map((column) => column.toKey?.(row) ?? (row[column.column] as KeyValue));

export interface ReadPageOptions<Row, Item> {
  toItem: (row: Row) => Item;
  /** Filters the database cannot apply (values inside stored documents); rows are then read in batches. */
  keep?: (item: Item) => boolean;
  /** Rows read at most for one page when filtering with `keep` (tests lower it). */
  maxRowsRead?: number;
}

/**
 * One page of `select` (already filtered to the workspace and the request's filters) in the
 * keyset's order. Without `keep`, one query of limit + 1 rows. With it, rows are read in
 * batches until limit + 1 kept ones are found, the rows end, or MAX_ROWS_READ_PER_PAGE were
 * read; in that last case the page may be short, and its cursor goes on after the last row read.
 */
export async function readPage<DB, TB extends keyof DB, Row, Item>(
  typed: SelectQueryBuilder<DB, TB, Row>,
  keyset: Keyset<Row>,
  page: PageRequest,
  { toItem, keep, maxRowsRead = MAX_ROWS_READ_PER_PAGE }: ReadPageOptions<Row, Item>,
): Promise<Page<Item>> {
  const select = typed as unknown as AnySelect<Row>;
  let position = page.cursor === undefined ? undefined : decodeCursor(keyset, page.cursor);
  const batchSize = keep ? Math.min(Math.max(page.limit + 1, 500), maxRowsRead) : page.limit + 1;
  const found: { row: Row; item: Item }[] = [];
  let read = 0;
  for (;;) {
    const rows = await ordered(position ? after(select, keyset, position) : select, keyset)
      .limit(batchSize)
      .execute();
    read += rows.length;
    for (const row of rows) {
      const item = toItem(row);
      if (!keep || keep(item)) found.push({ row, item });
    }
    const last = rows.at(-1);
    if (found.length > page.limit) break;
    if (rows.length < batchSize || !last) return { data: found.map((f) => f.item), nextCursor: null };
    position = keyOf(keyset, last);
    if (read >= maxRowsRead) return { data: found.map((f) => f.item), nextCursor: encodeCursor(keyset.list, position) };
  }
  const data = found.slice(0, page.limit);
  return { data: data.map((f) => f.item), nextCursor: encodeCursor(keyset.list, keyOf(keyset, data.at(-1)!.row)) };
}
