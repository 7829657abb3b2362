// Lets Kysely's SqliteDialect run on Node's built-in `node:sqlite` (Node >= 22.16)
// instead of better-sqlite3. Kysely expects a better-sqlite3-like database object.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

// node:sqlite binds only null/number/bigint/string/bytes; Kysely may pass booleans.
function toSqlParams(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map((p) => {
    if (p === undefined) return null;
    if (typeof p === 'boolean') return p ? 1 : 0;
    return p as SQLInputValue;
  });
}

class NodeSqliteStatement implements SqliteStatement {
  readonly reader: boolean;

  constructor(private readonly stmt: StatementSync) {
    // A statement that returns columns (SELECT, ... RETURNING, some PRAGMAs) is a reader.
    this.reader = stmt.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.stmt.all(...toSqlParams(parameters));
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.stmt.run(...toSqlParams(parameters));
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.stmt.iterate(...toSqlParams(parameters)) as IterableIterator<unknown>;
  }
}

/** How many prepared statements a database keeps for reuse (the connector's queries are far fewer; bulk inserts vary). */
const STATEMENT_CACHE_SIZE = 500;

export class NodeSqliteDatabase implements SqliteDatabase {
  /**
   * Prepared statements by SQL text, least recently used first. Kysely prepares every query
   * anew, and preparing costs about as much as running a short statement. Reuse is safe: the
   * dialect runs one query at a time on its one connection, and SQLite re-prepares a statement
   * by itself when the schema changes.
   */
  private readonly statements = new Map<string, NodeSqliteStatement>();

  constructor(readonly db: DatabaseSync) {}

  prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = new NodeSqliteStatement(this.db.prepare(sql));
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/** A Kysely dialect backed by `node:sqlite`; `path` is a file name or ':memory:'. */
export function createNodeSqliteDialect(path: string): SqliteDialect {
  return new SqliteDialect({ database: new NodeSqliteDatabase(new DatabaseSync(path)) });
}
