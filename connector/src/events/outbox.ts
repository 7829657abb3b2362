import { eventPayloads, matchesFilters, type EventPayload, type EventType } from '../../../contract/index.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';

type Listener = () => void;
const listeners = new Set<Listener>();

/** The delivery worker subscribes here to wake as soon as something was recorded. */
export function onEventsRecorded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Wakes this process's delivery workers: deliveries became due (recorded, or made due again by a
 * recovery). Once the caller's transaction has had the chance to commit; other processes find
 * them at their next poll.
 */
export function announceDueDeliveries(): void {
  setImmediate(() => {
    for (const listener of listeners) listener();
  });
}

/**
 * Records an event in the outbox, with one pending delivery per matching subscription.
 * Call it with the transaction that makes the change, so the change and its event commit
 * together or not at all. The payload is checked against the contract: what is delivered is
 * always exactly the documented shape.
 */
export async function recordEvent<T extends EventType>(
  trx: Db,
  workspaceId: string,
  type: T,
  build: (meta: { eventId: string; occurredAt: string }) => EventPayload<T>,
): Promise<EventPayload<T>> {
  const now = new Date();
  const meta = { eventId: newId('evt', now.getTime()), occurredAt: now.toISOString() };
  const payload = eventPayloads[type].parse(build(meta)) as EventPayload<T>;

  await trx
    .insertInto('events')
    .values({ id: meta.eventId, workspace_id: workspaceId, type, payload: JSON.stringify(payload), occurred_at: meta.occurredAt })
    .execute();

  const subscriptions = await trx
    .selectFrom('subscriptions')
    .select(['id', 'filters'])
    .where('workspace_id', '=', workspaceId)
    .where('event', '=', type)
    .where('status', '=', 'active')
    .execute();
  const matching = subscriptions.filter((s) => matchesFilters(type, payload, JSON.parse(s.filters)));
  if (matching.length > 0) {
    await trx
      .insertInto('deliveries')
      .values(
        matching.map((s) => ({
          id: newId('dlv', now.getTime()),
          event_id: meta.eventId,
          subscription_id: s.id,
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: meta.occurredAt,
          created_at: meta.occurredAt,
        })),
      )
      .execute();
    announceDueDeliveries();
  }
  return payload;
}

/**
 * Records a message for one subscription only, outside the event catalogue: a trigger rule's
 * `target` action. The payload is the JSON text to send, as is. Like recordEvent, call it with
 * the transaction of the change; the delivery worker sends it, signed, with retries.
 */
export async function recordDirectMessage(trx: Db, workspaceId: string, type: string, subscriptionId: string, payload: string): Promise<string> {
  const now = new Date();
  const eventId = newId('evt', now.getTime());
  const occurredAt = now.toISOString();
  await trx.insertInto('events').values({ id: eventId, workspace_id: workspaceId, type, payload, occurred_at: occurredAt }).execute();
  await trx
    .insertInto('deliveries')
    .values({
      id: newId('dlv', now.getTime()),
      event_id: eventId,
      subscription_id: subscriptionId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: occurredAt,
      created_at: occurredAt,
    })
    .execute();
  announceDueDeliveries();
  return eventId;
}
