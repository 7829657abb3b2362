import { hostname } from 'node:os';
import { createTransport } from 'nodemailer';
import type { Db, Storage } from '../storage/db.js';
import { newId } from '../ids.js';
import { onEmailsQueued } from './signal.js';

/** The tables emails wait in: helpdesk rules' notifications, and notices of stopped subscriptions. */
export type EmailQueue = 'trigger_notifications' | 'subscription_notices';

/**
 * Sends the emails waiting in a queue table (status pending: helpdesk rules' notifications, or
 * notices of stopped subscriptions; both have the same email columns) over SMTP with nodemailer. Like webhook delivery: claims due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
 * so several processes share the work), sends, records; a failure is retried on a schedule,
 * a permanent SMTP refusal (5xx) or a used-up schedule marks the email failed. Started only
 * when CONNECTOR_SMTP_URL is set; otherwise emails are recorded and never pending.
 */

/** Seconds before each retry. */
export const EMAIL_RETRY_SECONDS = [60, 300, 1800, 7200];
const POLL_MS = 1000;
const LOCK_MS = 120_000;
const BATCH = 10;

export interface MailerDeps {
  db: Db;
  storage: Storage;
  settings: { smtp: { url: string; from: string } | null };
  log: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
}

export interface Mailer {
  start(): void;
  stop(): Promise<void>;
  /** Sends what is due now; answers how many were attempted (tests call it directly). */
  sendDue(): Promise<number>;
}

interface Claimed {
  id: string;
  recipient_email: string | null;
  recipient_name: string;
  subject: string | null;
  body: string;
  attempts: number;
}

export function createMailer(deps: MailerDeps, options: { queue?: EmailQueue; retrySeconds?: number[] } = {}): Mailer {
  const queue = options.queue ?? 'trigger_notifications';
  if (!deps.settings.smtp) throw new Error('the mailer needs CONNECTOR_SMTP_URL');
  const { url, from } = deps.settings.smtp;
  const transport = createTransport(url);
  const retrySeconds = options.retrySeconds ?? EMAIL_RETRY_SECONDS;
  const workerId = `${hostname()}:${process.pid}:${newId('mail')}`;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let stopListening: (() => void) | undefined;
  let current: Promise<number> | undefined;

  async function claim(): Promise<Claimed[]> {
    const now = new Date().toISOString();
    const due = deps.db
      .selectFrom(queue)
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(BATCH)
      .$if(deps.storage.kind === 'postgres', (q) => q.forUpdate().skipLocked());
    return deps.db
      .updateTable(queue)
      .set({ locked_until: new Date(Date.now() + LOCK_MS).toISOString(), locked_by: workerId })
      .where('id', 'in', due)
      .returning(['id', 'recipient_email', 'recipient_name', 'subject', 'body', 'attempts'])
      .execute();
  }

  async function send(email: Claimed): Promise<void> {
    const attempts = Number(email.attempts) + 1;
    const update = () => deps.db.updateTable(queue);
    const mine = (q: ReturnType<typeof update>) => q.where('id', '=', email.id).where('locked_by', '=', workerId);
    try {
      await transport.sendMail({
        from,
        to: { name: email.recipient_name, address: email.recipient_email ?? '' },
        subject: email.subject ?? '',
        text: email.body,
      });
      await mine(
        update().set({ status: 'sent', attempts, sent_at: new Date().toISOString(), last_error: null, locked_until: null, locked_by: null }),
      ).execute();
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      const message = error instanceof Error ? error.message : String(error);
      const delay = retrySeconds[attempts - 1];
      const permanent = typeof code === 'number' && code >= 500;
      if (permanent || delay === undefined) {
        await mine(update().set({ status: 'failed', attempts, last_error: message.slice(0, 500), locked_until: null, locked_by: null })).execute();
        deps.log.warn({ queue, emailId: email.id, attempts, error: message }, 'email failed for good');
      } else {
        const next = new Date(Date.now() + delay * 1000).toISOString();
        await mine(update().set({ attempts, next_attempt_at: next, last_error: message.slice(0, 500), locked_until: null, locked_by: null })).execute();
        deps.log.info({ queue, emailId: email.id, attempts, error: message }, 'email failed; will retry');
      }
    }
  }

  async function sendDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await claim();
      for (const email of batch) await send(email);
      total += batch.length;
      if (batch.length < BATCH) return total;
    }
  }

  function pump(): void {
    if (!running || current) return;
    current = sendDue()
      .catch((error) => {
        deps.log.error({ err: error, queue }, 'sending emails failed; will try again');
        return 0;
      })
      .finally(() => (current = undefined));
  }

  return {
    sendDue,
    start() {
      if (running) return;
      running = true;
      stopListening = onEmailsQueued(() => setTimeout(pump, 20));
      const poll = () => {
        pump();
        if (running) timer = setTimeout(poll, POLL_MS);
      };
      poll();
    },
    async stop() {
      running = false;
      stopListening?.();
      clearTimeout(timer);
      await current;
      transport.close();
    },
  };
}
