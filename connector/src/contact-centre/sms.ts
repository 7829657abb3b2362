import type { z } from 'zod';
import type { SendSmsBody, SmsMessage } from '../../../contract/index.js';
import { recordEvent } from '../events/outbox.js';
import { ApiFailure, conflict } from '../errors.js';
import { newId } from '../ids.js';
import type { Db } from '../storage/db.js';
import { countryOfNumber } from './countries.js';
import { phoneField } from './phones.js';
import type { Scope } from './scope.js';
import { fromDocument, nowIso, toDocument } from '../storage/documents.js';
import { inTransaction } from '../storage/transactions.js';
import type { ProviderReport, SmsProvider } from './sms-provider.js';

/**
 * Sends an SMS from one of the workspace's SMS-capable numbers of the given type, to the
 * recipient in E.164 however it was typed ("+852 9123 4567" is sent to "+85291234567"). The provider
 * is called before the transaction (it is network I/O); the message, and the delivery report
 * the provider announced, are then stored together.
 */
export async function sendSms(db: Db, scope: Scope, provider: SmsProvider, input: z.output<typeof SendSmsBody>): Promise<SmsMessage> {
  const recipientNumber = phoneField('recipientNumber', input.recipientNumber, scope.phoneRegion);
  const sender = await db
    .selectFrom('service_numbers')
    .selectAll()
    .where('workspace_id', '=', scope.workspaceId)
    .where('type', '=', input.numberType)
    .where((eb) => eb.or([eb('number', '=', input.senderNumber), eb('id', '=', input.senderNumber)]))
    .executeTakeFirst();
  if (!sender) {
    throw new ApiFailure(
      404,
      'not_found',
      `No ${input.numberType} number "${input.senderNumber}" exists in this workspace; pick the sender from the Sender Number list.`,
    );
  }
  if (sender.sms_capable !== 1) throw conflict(`The number ${sender.number} (${sender.label}) cannot send SMS; choose an SMS-capable number.`);

  const id = newId('sms');
  const accepted = await provider.send({ id, senderNumber: sender.number, recipientNumber, text: input.text });
  const message: SmsMessage = {
    id,
    transactionId: id,
    numberType: input.numberType,
    senderNumber: sender.number,
    recipientNumber,
    recipientCountry: countryOfNumber(recipientNumber),
    text: input.text,
    status: accepted.status,
    responseCode: accepted.responseCode,
    exception: accepted.exception,
    provider: provider.name,
    createdAt: nowIso(),
  };
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto('sms_messages')
      .values({ id, workspace_id: scope.workspaceId, status: message.status, document: toDocument(message), created_at: message.createdAt })
      .execute();
    // Refused outright: that is the delivery status, reported at once.
    if (accepted.status === 'failed' || accepted.status === 'undelivered') await applyReport(trx, scope.workspaceId, message, accepted);
    if (accepted.laterReport) {
      const { afterMs, ...report } = accepted.laterReport;
      await trx
        .insertInto('sms_status_reports')
        .values({
          id: newId('smr'),
          workspace_id: scope.workspaceId,
          sms_id: id,
          status: report.status,
          response_code: report.responseCode,
          exception: report.exception,
          due_at: new Date(Date.parse(message.createdAt) + afterMs).toISOString(),
          processed_at: null,
        })
        .execute();
    }
    return message;
  });
}

/** Applies a delivery report to the stored message and records sms.status. */
async function applyReport(trx: Db, workspaceId: string, message: SmsMessage, report: ProviderReport): Promise<SmsMessage> {
  const updated: SmsMessage = { ...message, status: report.status, responseCode: report.responseCode, exception: report.exception };
  await trx
    .updateTable('sms_messages')
    .set({ status: updated.status, document: toDocument(updated) })
    .where('id', '=', message.id)
    .execute();
  await recordEvent(trx, workspaceId, 'sms.status', (meta) => ({
    ...meta,
    event: 'sms.status',
    id: updated.id,
    transactionId: updated.transactionId,
    recipientNumber: updated.recipientNumber,
    recipientCountry: updated.recipientCountry,
    responseCode: updated.responseCode,
    status: updated.status,
    exception: updated.exception,
  }));
  return updated;
}

/** A provider's delivery report for a message of this workspace (what a real provider's callback would call). */
export async function recordSmsStatusReport(db: Db, workspaceId: string, smsId: string, report: ProviderReport): Promise<SmsMessage | null> {
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('sms_messages').select('document').where('workspace_id', '=', workspaceId).where('id', '=', smsId).executeTakeFirst();
    return row ? applyReport(trx, workspaceId, fromDocument<SmsMessage>(row.document), report) : null;
  });
}

/**
 * Processes the stored reports that are due: each in its own transaction, claimed by setting
 * processed_at only if still unset, so two connector processes never report one twice.
 * Answers how many it processed.
 */
export async function processDueSmsReports(db: Db, now = new Date(), batch = 50): Promise<number> {
  const due = await db
    .selectFrom('sms_status_reports')
    .selectAll()
    .where('processed_at', 'is', null)
    .where('due_at', '<=', now.toISOString())
    .orderBy('due_at')
    .limit(batch)
    .execute();
  let processed = 0;
  for (const report of due) {
    const done = await db.transaction().execute(async (trx) => {
      const claim = await trx
        .updateTable('sms_status_reports')
        .set({ processed_at: nowIso() })
        .where('id', '=', report.id)
        .where('processed_at', 'is', null)
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) !== 1) return false;
      await recordSmsStatusReport(trx, report.workspace_id, report.sms_id, {
        status: report.status as ProviderReport['status'],
        responseCode: report.response_code,
        exception: report.exception,
      });
      return true;
    });
    if (done) processed++;
  }
  return processed;
}

export interface SmsReportPoller {
  start(): void;
  stop(): Promise<void>;
}

/** Looks for due delivery reports every `intervalMs`; stop() waits for the round in progress. */
export function createSmsReportPoller(db: Db, log: { error(obj: unknown, msg: string): void }, intervalMs = 250): SmsReportPoller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = true;
  const tick = () => {
    running = processDueSmsReports(db)
      .then(() => undefined)
      .catch((err: unknown) => log.error({ err }, 'processing SMS delivery reports failed; retrying on the next round'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
