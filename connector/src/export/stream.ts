import { sql } from 'kysely';
import type { SupportExportConversation } from '../../../contract/index.js';
import type { Scope } from '../contact-centre/scope.js';
import type { Db } from '../storage/db.js';
import { toConversation, type ConversationKind } from './conversations.js';

export interface ExportOptions {
  db: Db;
  scope: Scope;
  /** Conversations whose last message is at or after this moment (toISOString form). */
  since: string;
  /**
   * ... and at or before this one: the moment the export started. A conversation that gets a
   * new message while the export runs moves past it and is left for the next export, instead of
   * appearing twice (once where it was, once where it moved to).
   */
  until: string;
  /** Most rows per page, per kind. */
  batchSize?: number;
  /** About how many characters of documents a page holds, per kind (pages shrink for long conversations). */
  pageChars?: number;
}

export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_PAGE_CHARS = 1_000_000;
/** The first page is small: the answer starts sooner, and nothing is known yet of document lengths. */
const FIRST_PAGE_ROWS = 20;
/** The JSON written is handed on in pieces of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/** Each kind's table and the column its conversations are ordered and filtered by. */
const sources: Record<ConversationKind, { table: 'chats' | 'tickets' | 'enquiries'; key: 'last_message_at' | 'created_at' }> = {
  chat: { table: 'chats', key: 'last_message_at' },
  ticket: { table: 'tickets', key: 'last_message_at' },
  // An enquiry's one message is its first, sent as it was created.
  enquiry: { table: 'enquiries', key: 'created_at' },
};

/**
 * One kind's conversations in (key, id) order, read in keyset-paginated pages: each query
 * continues after the last row of the one before, on the (workspace_id, key, id) index, so every
 * page costs the same however deep into the export it is, and no connection is held between
 * queries. Pages hold about `pageChars` characters of documents: the next page's row count
 * follows the length of the documents read so far (from 20 rows up to `batchSize`), so memory
 * follows the page size (two pages per kind: the next is read while one is written out), not
 * the number or the length of conversations.
 */
async function* conversationsOf(kind: ConversationKind, options: ExportOptions): AsyncGenerator<SupportExportConversation> {
  const { table, key } = sources[kind];
  const { db, scope } = options;
  const maxRows = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const pageChars = options.pageChars ?? DEFAULT_PAGE_CHARS;
  const sortKey = sql.ref<string>(key);
  const readPage = (after: { key: string; id: string }, limit: number): Promise<{ id: string; document: string; sort_key: string }[]> =>
    db
      // Kysely's types cannot follow a union of tables through a query; the columns used exist on all three.
      .selectFrom(table as 'chats')
      .select(['id', 'document', sortKey.as('sort_key')])
      .where('workspace_id', '=', scope.workspaceId)
      // One row-value comparison, which both databases answer from the (workspace_id, key, id)
      // index in its order, even on PostgreSQL without statistics (range conditions on the key,
      // estimated from defaults there, made it sort every candidate row instead, per page).
      .where(sql<boolean>`(${sortKey}, id) > (${after.key}, ${after.id})`)
      .orderBy(sortKey)
      .orderBy('id')
      .limit(limit)
      .execute();

  let seenRows = 0;
  let seenChars = 0;
  let limit = Math.min(FIRST_PAGE_ROWS, maxRows);
  // The first page starts at (since, ''): ids are never empty, so "> (since, '')" is "key >= since".
  let next: Promise<{ id: string; document: string; sort_key: string }[]> | null = readPage({ key: options.since, id: '' }, limit);
  try {
    while (next) {
      const rows = await next;
      next = null;
      for (const row of rows) {
        seenRows++;
        seenChars += row.document.length;
      }
      const last = rows.at(-1);
      if (last && rows.length === limit && last.sort_key <= options.until) {
        // Ask for the next page now, so the database works while this one is written out.
        limit = Math.max(1, Math.min(maxRows, Math.floor(pageChars / Math.max(1, seenChars / seenRows))));
        next = readPage({ key: String(last.sort_key), id: last.id }, limit);
      }
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        // In key order: past `until`, everything else is newer still.
        if (row.sort_key > options.until) return;
        const document = JSON.parse(row.document);
        rows[i] = undefined as never; // let the text go as soon as it is read
        const conversation = toConversation(scope, kind, row.id, document);
        // The document decides: a row whose column is stale (written by something that did not keep it) is judged by what it holds.
        if (conversation && conversation.lastMessageAt >= options.since) yield conversation;
      }
    }
  } finally {
    // Left early (the client went away, or past `until`): a page asked for in advance is not needed.
    next?.catch(() => undefined);
  }
}

const before = (a: SupportExportConversation, b: SupportExportConversation) =>
  a.lastMessageAt < b.lastMessageAt || (a.lastMessageAt === b.lastMessageAt && a.id < b.id);

/**
 * Every kind's conversations merged into one list, oldest last message first (ties by id):
 * at most one batch per kind is held at a time.
 */
export async function* exportConversations(options: ExportOptions): AsyncGenerator<SupportExportConversation> {
  const iterators = (Object.keys(sources) as ConversationKind[]).map((kind) => conversationsOf(kind, options));
  try {
    const heads = await Promise.all(iterators.map((it) => it.next()));
    for (;;) {
      let pick = -1;
      heads.forEach((head, i) => {
        if (!head.done && (pick < 0 || before(head.value, (heads[pick] as IteratorYieldResult<SupportExportConversation>).value))) pick = i;
      });
      if (pick < 0) return;
      yield (heads[pick] as IteratorYieldResult<SupportExportConversation>).value;
      heads[pick] = await iterators[pick]!.next();
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return(undefined)));
  }
}

/**
 * The export as JSON text, in pieces: `{"conversations":[` ... `]}`. The first piece is ready
 * only once the first batch of every kind has been read, so a caller that awaits it before
 * sending anything still answers a database failure with a proper error.
 */
export async function* exportJson(options: ExportOptions): AsyncGenerator<string> {
  let pending = '{"conversations":[';
  let first = true;
  for await (const conversation of exportConversations(options)) {
    pending += (first ? '' : ',') + JSON.stringify(conversation);
    first = false;
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  yield `${pending}]}`;
}
