import type { z } from 'zod';
import { STATUS_CODES } from 'node:http';
import {
  TRIGGER_TARGET_EVENT,
  type CreateWebhookTargetBody,
  type UpdateWebhookTargetBody,
  type WebhookTarget,
  type WebhookTargetTestResult,
} from '../../../contract/index.js';
import { hashSecret } from '../accounts/secrets.js';
import { nowIso } from '../storage/documents.js';
import { inTransaction, nextInSequence } from '../storage/transactions.js';
import { sendWebhook, type AttemptResult } from '../delivery/sender.js';
import { TargetRefusedError, vetTarget, type HostResolver } from '../delivery/ssrf.js';
import { endSubscription } from '../delivery/store.js';
import { newSigningSecret } from '../delivery/subscriptions.js';
import { recordDirectMessage } from '../events/outbox.js';
import { ApiFailure, conflict, notFound } from '../errors.js';
import { newId, randomSecret } from '../ids.js';
import type { Db } from '../storage/db.js';
import { rulesUsingTarget, type RuleScope } from './store.js';

/**
 * Webhook targets of the `target` action. A target is delivered to exactly like a Zapier
 * REST hook: signed (Standard Webhooks, its own secret), retried on the same schedule, 410
 * ends it, failing for days disables it, every attempt is in the delivery log. To get all that
 * from the one delivery pipeline, each target owns a subscription row (event `trigger.target`).
 *
 * Subscriptions belong to a Zapier account; a target's belongs to the workspace's reserved
 * account `rules_<workspace>`, which is created deleted: it never appears in the account list,
 * never counts towards the 10, and can never authenticate (its token was never known).
 */
export const rulesAccountId = (workspaceId: string) => `rules_${workspaceId}`;

async function ensureRulesAccount(trx: Db, workspaceId: string): Promise<string> {
  const appId = rulesAccountId(workspaceId);
  const now = nowIso();
  await trx
    .insertInto('zapier_accounts')
    .values({
      app_id: appId,
      workspace_id: workspaceId,
      name: 'Trigger rule targets (reserved)',
      token_hash: hashSecret(randomSecret(32)),
      previous_token_hash: null,
      created_at: now,
      token_regenerated_at: null,
      deleted_at: now,
    })
    .onConflict((oc) => oc.column('app_id').doNothing())
    .execute();
  return appId;
}

function targetQuery(db: Db, scope: RuleScope) {
  return db
    .selectFrom('trigger_targets as t')
    .innerJoin('subscriptions as s', 's.id', 't.subscription_id')
    .select(['t.id', 't.title', 't.subscription_id', 't.created_at', 's.target_url', 's.status'])
    .where('t.workspace_id', '=', scope.workspaceId)
    .where('t.deleted_at', 'is', null);
}

type TargetRow = Awaited<ReturnType<ReturnType<typeof targetQuery>['executeTakeFirstOrThrow']>>;

const toTarget = (row: TargetRow): WebhookTarget => ({
  id: Number(row.id),
  title: row.title,
  url: row.target_url,
  status: row.status,
  subscriptionId: row.subscription_id,
  createdAt: row.created_at,
});

const targetId = (id: string) => (/^[0-9]{1,10}$/.test(id) ? Number(id) : null);

async function targetRow(db: Db, scope: RuleScope, id: string): Promise<TargetRow> {
  const number = targetId(id);
  const row = number === null ? undefined : await targetQuery(db, scope).where('t.id', '=', number).executeTakeFirst();
  if (!row) throw notFound('webhook target', id);
  return row;
}

export async function listTargets(db: Db, scope: RuleScope): Promise<WebhookTarget[]> {
  return (await targetQuery(db, scope).orderBy('t.id').execute()).map(toTarget);
}

export async function getTarget(db: Db, scope: RuleScope, id: string): Promise<WebhookTarget> {
  return toTarget(await targetRow(db, scope, id));
}

/** The same address policy as Zapier hooks: refused up front with a reason. */
async function refuseUnsafeUrl(url: string, policy: TargetPolicy): Promise<void> {
  try {
    await vetTarget(url, policy);
  } catch (error) {
    if (!(error instanceof TargetRefusedError)) throw error;
    if (error.transient)
      throw new ApiFailure(503, 'unavailable', `The URL could not be checked right now: ${error.reason} Try again in a moment.`, undefined, {
        'retry-after': '5',
      });
    throw new ApiFailure(422, 'validation_failed', `The URL was refused. ${error.reason}`, [{ field: 'url', message: error.reason }]);
  }
}

export interface TargetPolicy {
  allowPrivateTargets: boolean;
  /** Stands in for DNS (tests); the system resolver by default. */
  resolveHost?: HostResolver;
}

/** What sending a test needs besides the address policy. */
export interface TargetSendPolicy extends TargetPolicy {
  /** How long a test request waits for an answer: the deliveries' timeout. */
  timeoutMs: number;
}

export async function createTarget(
  db: Db,
  scope: RuleScope,
  input: z.output<typeof CreateWebhookTargetBody>,
  policy: TargetPolicy,
): Promise<WebhookTarget & { secret: string }> {
  await refuseUnsafeUrl(input.url, policy);
  return inTransaction(db, async (trx) => {
    const appId = await ensureRulesAccount(trx, scope.workspaceId);
    const now = nowIso();
    const subscription = {
      id: newId('sub'),
      workspace_id: scope.workspaceId,
      app_id: appId,
      event: TRIGGER_TARGET_EVENT,
      target_url: input.url,
      filters: '{}',
      secret: newSigningSecret(),
      status: 'active' as const,
      ended_reason: null,
      created_at: now,
      failing_since: null,
    };
    await trx.insertInto('subscriptions').values(subscription).execute();
    const id = await nextInSequence(trx, scope.workspaceId, 'trigger_target_id', 1);
    await trx
      .insertInto('trigger_targets')
      .values({ workspace_id: scope.workspaceId, id, title: input.title, subscription_id: subscription.id, created_at: now, deleted_at: null })
      .execute();
    return { id, title: input.title, url: input.url, status: 'active', subscriptionId: subscription.id, createdAt: now, secret: subscription.secret };
  });
}

export async function updateTarget(
  db: Db,
  scope: RuleScope,
  id: string,
  input: z.output<typeof UpdateWebhookTargetBody>,
  policy: TargetPolicy,
): Promise<WebhookTarget> {
  if (input.url) await refuseUnsafeUrl(input.url, policy);
  return inTransaction(db, async (trx) => {
    const row = await targetRow(trx, scope, id);
    if (input.title !== undefined)
      await trx
        .updateTable('trigger_targets')
        .set({ title: input.title })
        .where('workspace_id', '=', scope.workspaceId)
        .where('id', '=', Number(row.id))
        .execute();
    if (input.url !== undefined) await trx.updateTable('subscriptions').set({ target_url: input.url }).where('id', '=', row.subscription_id).execute();
    if (input.enabled) {
      if (row.status === 'ended') throw conflict(`Webhook target ${row.id} has ended (its receiver answered 410 Gone); delete it and register the URL again.`);
      await trx
        .updateTable('subscriptions')
        .set({ status: 'active', ended_reason: null, failing_since: null })
        .where('id', '=', row.subscription_id)
        .where('status', '=', 'disabled')
        .execute();
    }
    return toTarget(await targetRow(trx, scope, id));
  });
}

/** Deleting a target in use would break the triggers that send to it: they must let go first. */
export async function deleteTarget(db: Db, scope: RuleScope, id: string): Promise<WebhookTarget> {
  return inTransaction(db, async (trx) => {
    const row = await targetRow(trx, scope, id);
    const users = await rulesUsingTarget(trx, scope, Number(row.id));
    if (users.length > 0)
      throw conflict(
        `Webhook target ${row.id} is used by trigger${users.length > 1 ? 's' : ''} ${users.join(', ')}; remove it from ${users.length > 1 ? 'them' : 'it'} first.`,
      );
    await trx
      .updateTable('trigger_targets')
      .set({ deleted_at: nowIso() })
      .where('workspace_id', '=', scope.workspaceId)
      .where('id', '=', Number(row.id))
      .execute();
    await endSubscription(trx, row.subscription_id, 'unsubscribed', 'the webhook target was deleted');
    return toTarget({ ...row, status: 'ended' });
  });
}

/** How much of a failing answer's body a test's sentence quotes. */
const QUOTED_BODY_CHARS = 200;

/** "200 OK", "500 Internal Server Error"; the number alone for a code without a name. */
const statusWords = (statusCode: number) => [statusCode, STATUS_CODES[statusCode]].filter(Boolean).join(' ');

/** One attempt in a sentence for a person, e.g. "The target answered 200 OK in 35 ms." */
function describeTestAttempt(result: AttemptResult): string {
  const { statusCode, durationMs } = result;
  if (result.refused) return `Refused: ${result.error}`;
  if (result.timedOut) return `Timed out after ${durationMs >= 1000 ? `${Math.round(durationMs / 1000)} s` : `${durationMs} ms`}`;
  if (statusCode === null) return `Could not connect: ${result.error}`;
  if (statusCode >= 200 && statusCode < 300) return `The target answered ${statusWords(statusCode)} in ${durationMs} ms.`;
  // redirects are not followed: the sender's words say where it pointed
  if (statusCode >= 300 && statusCode < 400) return `The target answered ${statusCode}: ${result.error?.replace(/^HTTP \d+: /, '')}`;
  const quoted = result.responseExcerpt?.slice(0, QUOTED_BODY_CHARS);
  return quoted ? `The target answered ${statusCode}: ${quoted}` : `The target answered ${statusWords(statusCode)}.`;
}

/**
 * Sends the target one signed test request now, the way its deliveries are sent (same address
 * policy, signature and timeout), and says how it answered. Nothing is recorded: a test is not
 * a delivery, and it neither disables nor revives the target.
 */
export async function testTarget(db: Db, scope: RuleScope, id: string, policy: TargetSendPolicy): Promise<WebhookTargetTestResult> {
  const row = await targetRow(db, scope, id);
  const subscription = await db.selectFrom('subscriptions').select('secret').where('id', '=', row.subscription_id).executeTakeFirstOrThrow();
  const body = JSON.stringify({
    type: 'test',
    message: `A test from the contact centre connector for webhook target ${row.id} ("${row.title}"). It was sent by hand; nothing happened to a ticket.`,
    targetId: Number(row.id),
    sentAt: nowIso(),
  });
  const result = await sendWebhook({ id: newId('test'), body, targetUrl: row.target_url, secret: subscription.secret }, policy);
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  return { ok, statusCode: result.statusCode, durationMs: result.durationMs, message: describeTestAttempt(result) };
}

/** Active targets by id: what the `target` actions of one ticket change can send to. */
export async function activeTargets(db: Db, scope: RuleScope, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await targetQuery(db, scope)
    .where('t.id', 'in', [...new Set(ids)])
    .where('s.status', '=', 'active')
    .execute();
  return new Map(rows.map((row) => [Number(row.id), row.subscription_id]));
}

/** Queues one message to a target, in the transaction of the ticket change. */
export const sendToTarget = (trx: Db, workspaceId: string, subscriptionId: string, payload: string) =>
  recordDirectMessage(trx, workspaceId, TRIGGER_TARGET_EVENT, subscriptionId, payload);
