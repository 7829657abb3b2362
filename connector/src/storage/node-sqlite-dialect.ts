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

export class NodeSqliteDatabase implements SqliteDatabase {
  constructor(readonly db: DatabaseSync) {}

  prepare(sql: string): SqliteStatement {
    return new NodeSqliteStatement(this.db.prepare(sql));
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/** A Kysely dialect backed by `node:sqlite`; `path` is a file name or ':memory:'. */
export function createNodeSqliteDialect(path: string): SqliteDialect {
  return new SqliteDialect({ database: new NodeSqliteDatabase(new DatabaseSync(path)) });
}
