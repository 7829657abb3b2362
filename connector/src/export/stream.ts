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
  /** Rows per page (their ids and keys), per kind. */
  batchSize?: number;
  /** Documents are fetched in groups of at most this many characters (at least one document each). */
  groupChars?: number;
}

export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_GROUP_CHARS = 1_000_000;
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
 * queries. A page reads ids, keys and document sizes only; the documents follow in groups of at
 * most `groupChars` characters, so memory is bounded by that, not by how long conversations are.
 */
async function* conversationsOf(kind: ConversationKind, options: ExportOptions): AsyncGenerator<SupportExportConversation> {
  const { table, key } = sources[kind];
  const { db, scope } = options;
  const limit = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const groupChars = options.groupChars ?? DEFAULT_GROUP_CHARS;
  const sortKey = sql.ref<string>(key);
  // The first page starts at (since, ''): ids are never empty, so "> (since, '')" is "key >= since".
  let after = { key: options.since, id: '' };
  for (;;) {
    const page = after;
    const rows: { id: string; sort_key: string; size: number | string }[] = await db
      // Kysely's types cannot follow a union of tables through a query; the columns used exist on all three.
      .selectFrom(table as 'chats')
      .select(['id', sortKey.as('sort_key'), sql<number>`length(document)`.as('size')])
      .where('workspace_id', '=', scope.workspaceId)
      // One row-value comparison, which both databases answer from the (workspace_id, key, id)
      // index in its order, even on PostgreSQL without statistics (range conditions on the key,
      // estimated from defaults there, made it sort every candidate row instead, per page).
      .where(sql<boolean>`(${sortKey}, id) > (${page.key}, ${page.id})`)
      .orderBy(sortKey)
      .orderBy('id')
      .limit(limit)
      .execute();
    // In key order: past `until`, everything else is newer still.
    const due = rows.filter((row) => row.sort_key <= options.until);
    for (const group of groupsOf(due, groupChars)) {
      const documents = await db
        .selectFrom(table as 'chats')
        .select(['id', 'document'])
        .where('workspace_id', '=', scope.workspaceId)
        .where('id', 'in', group.map((row) => row.id))
        .execute();
      const byId = new Map(documents.map((d) => [d.id, d.document]));
      documents.length = 0;
      for (const row of group) {
        const document = byId.get(row.id);
        byId.delete(row.id);
        if (document === undefined) continue; // deleted since the page was read
        const conversation = toConversation(scope, kind, row.id, JSON.parse(document));
        // The document decides: a row whose column is stale (written by something that did not keep it) is judged by what it holds.
        if (conversation && conversation.lastMessageAt >= options.since) yield conversation;
      }
    }
    if (rows.length < limit || due.length < rows.length) return;
    const last = rows.at(-1)!;
    after = { key: String(last.sort_key), id: last.id };
  }
}

/** Consecutive rows whose documents add up to at most `chars` characters (a longer one alone). */
function* groupsOf<T extends { size: number | string }>(rows: T[], chars: number): Generator<T[]> {
  let group: T[] = [];
  let total = 0;
  for (const row of rows) {
    const size = Number(row.size);
    if (group.length > 0 && total + size > chars) {
      yield group;
      group = [];
      total = 0;
    }
    group.push(row);
    total += size;
  }
  if (group.length > 0) yield group;
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
