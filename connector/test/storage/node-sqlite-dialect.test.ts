import { Kysely, sql, type Generated } from 'kysely';
import { createNodeSqliteDialect } from '../../src/storage/node-sqlite-dialect.js';

interface Db {
  person: { id: Generated<number>; name: string; active: number };
}

describe('Kysely on node:sqlite', () => {
  let db: Kysely<Db>;

  beforeEach(async () => {
    db = new Kysely<Db>({ dialect: createNodeSqliteDialect(':memory:') });
    await db.schema
      .createTable('person')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .execute();
  });

  afterEach(() => db.destroy());

  it('inserts, selects and returns', async () => {
    const res = await db.insertInto('person').values({ name: 'Ada', active: 1 }).executeTakeFirstOrThrow();
    expect(res.insertId).toBe(1n);
    const inserted = await db.insertInto('person').values({ name: 'Bob', active: 0 }).returning(['id', 'name']).executeTakeFirstOrThrow();
    expect(inserted).toEqual({ id: 2, name: 'Bob' });
    const rows = await db.selectFrom('person').selectAll().where('active', '=', 1).execute();
    expect(rows).toEqual([{ id: 1, name: 'Ada', active: 1 }]);
    const upd = await db.updateTable('person').set({ active: 1 }).executeTakeFirstOrThrow();
    expect(upd.numUpdatedRows).toBe(2n);
    const { rows: raw } = await sql<{ n: number }>`select count(*) as n from person where active = ${true}`.execute(db);
    expect(raw[0]?.n).toBe(2);
  });

  it('rolls back a failed transaction', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('person').values({ name: 'Carol', active: 1 }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.selectFrom('person').selectAll().execute()).toEqual([]);

    await db.transaction().execute((trx) => trx.insertInto('person').values({ name: 'Dan', active: 1 }).execute());
    expect(await db.selectFrom('person').select('name').execute()).toEqual([{ name: 'Dan' }]);
  });

  it('streams selects', async () => {
    await db
      .insertInto('person')
      .values([
        { name: 'A', active: 1 },
        { name: 'B', active: 1 },
      ])
      .execute();
    const names: string[] = [];
    for await (const row of db.selectFrom('person').select('name').orderBy('id').stream()) names.push(row.name);
    expect(names).toEqual(['A', 'B']);
  });
});
