import { eventSamples } from '../../../contract/index.js';
import { onEventsRecorded, recordEvent } from '../../src/events/outbox.js';
import { forEachDatabase } from '../support/databases.js';
import { deliveryRows, record, seedAccount, subscribe } from '../support/delivery-fixtures.js';

/** The outbox on both databases: an event commits with its change, or neither does. */
forEachDatabase((database) => {
  it('records the event with one pending delivery per matching active subscription', async () => {
    const storage = await database.open();
    const owner = await seedAccount(storage);
    const elsewhere = await seedAccount(storage, 'Other');
    const web = await subscribe(storage, owner, { event: 'enquiry.created', targetUrl: 'https://a.example/1', filters: { channel: 'web' } });
    const all = await subscribe(storage, owner, { event: 'enquiry.created', targetUrl: 'https://a.example/2' });
    await subscribe(storage, owner, { event: 'enquiry.created', targetUrl: 'https://a.example/3', filters: { channel: 'phone' } });
    await subscribe(storage, owner, { event: 'enquiry.closed', targetUrl: 'https://a.example/4' });
    await subscribe(storage, elsewhere, { event: 'enquiry.created', targetUrl: 'https://a.example/5' });
    const disabled = await subscribe(storage, owner, { event: 'enquiry.created', targetUrl: 'https://a.example/6' });
    await storage.db.updateTable('subscriptions').set({ status: 'disabled' }).where('id', '=', disabled.id).execute();

    const payload = await record(storage, owner, 'enquiry.created', { channel: 'web' });
    const event = await storage.db.selectFrom('events').selectAll().executeTakeFirstOrThrow();
    expect(event).toMatchObject({ id: payload.eventId, workspace_id: owner.workspaceId, type: 'enquiry.created', occurred_at: payload.occurredAt });
    expect(JSON.parse(event.payload)).toEqual(payload);
    const deliveries = await deliveryRows(storage);
    expect(deliveries.map((d) => d.subscription_id).sort()).toEqual([web.id, all.id].sort());
    expect(deliveries.every((d) => d.status === 'pending' && d.attempts === 0 && d.event_id === payload.eventId)).toBe(true);
  });

  it('loses the event together with the change when the transaction rolls back', async () => {
    const storage = await database.open();
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: 'https://a.example/1' });

    await expect(
      storage.db.transaction().execute(async (trx) => {
        await trx.insertInto('workspaces').values({ id: 'ws_change', name: 'the change', created_at: new Date().toISOString() }).execute();
        await recordEvent(trx, owner.workspaceId, 'tag.created', (meta) => ({ ...eventSamples['tag.created'], ...meta }));
        throw new Error('the change failed after recording its event');
      }),
    ).rejects.toThrow('the change failed');

    expect(await storage.db.selectFrom('workspaces').select('id').where('id', '=', 'ws_change').execute()).toEqual([]);
    expect(await storage.db.selectFrom('events').select('id').execute()).toEqual([]);
    expect(await deliveryRows(storage)).toEqual([]);
  });

  it('refuses a payload that does not match the contract and writes nothing', async () => {
    const storage = await database.open();
    const owner = await seedAccount(storage);
    await expect(
      storage.db
        .transaction()
        .execute((trx) =>
          recordEvent(trx, owner.workspaceId, 'tag.created', (meta) => ({ ...eventSamples['tag.created'], ...meta, name: 42 as unknown as string })),
        ),
    ).rejects.toThrow();
    expect(await storage.db.selectFrom('events').select('id').execute()).toEqual([]);
  });

  it('wakes listeners once something is to be delivered', async () => {
    const storage = await database.open();
    const owner = await seedAccount(storage);
    await subscribe(storage, owner, { event: 'tag.created', targetUrl: 'https://a.example/1' });
    // On SQLite nothing here waits for I/O, so earlier tests' wake-ups may still be queued.
    await new Promise((resolve) => setImmediate(resolve));
    let woken = 0;
    const stop = onEventsRecorded(() => woken++);
    database.afterThisTest(stop);

    await record(storage, owner, 'tag.created');
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toBe(1);
  });
});
