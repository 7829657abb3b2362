import type { SmsStatus } from '../../../contract/index.js';
import type { z } from 'zod';
import type { Settings } from '../settings.js';

type Status = z.infer<typeof SmsStatus>;

/** One SMS to hand to a provider. */
export interface OutgoingSms {
  id: string;
  senderNumber: string;
  recipientNumber: string;
  text: string;
}

/** A delivery report, from the provider's point of view. */
export interface ProviderReport {
  status: Status;
  responseCode: string;
  exception: string | null;
}

/** What the provider said when it was handed the message. */
export interface ProviderAcceptance extends ProviderReport {
  /**
   * A report the provider will give later, and when. The sandbox announces its simulated report
   * this way; it is stored with a due time and processed by the SMS poller, so a restart in
   * between does not lose it. A real provider would instead call back with `recordSmsStatusReport`.
   */
  laterReport?: ProviderReport & { afterMs: number };
}

/** Something that sends SMS. The connector's only implementation so far is the sandbox. */
export interface SmsProvider {
  /** Shown as `provider` on every SmsMessage, so nobody mistakes a sandbox SMS for a real one. */
  readonly name: string;
  send(sms: OutgoingSms): Promise<ProviderAcceptance>;
}

/** Recipient numbers ending in this always fail in the sandbox, so Zaps can be tested against failures. */
export const SANDBOX_FAILING_SUFFIX = '0000';

/**
 * The default provider: sends nothing. It accepts every message (status queued, response code
 * "0") and reports "delivered" a moment later, or "failed" for numbers ending in 0000.
 */
export class SandboxSmsProvider implements SmsProvider {
  readonly name = 'sandbox';

  constructor(private readonly reportDelayMs: number) {}

  async send(sms: OutgoingSms): Promise<ProviderAcceptance> {
    const fails = sms.recipientNumber.endsWith(SANDBOX_FAILING_SUFFIX);
    return {
      status: 'queued',
      responseCode: '0',
      exception: null,
      laterReport: fails
        ? {
            status: 'failed',
            responseCode: '30003',
            exception: `Sandbox: the handset ${sms.recipientNumber} is unreachable (sandbox numbers ending in ${SANDBOX_FAILING_SUFFIX} always fail).`,
            afterMs: this.reportDelayMs,
          }
        : { status: 'delivered', responseCode: '0', exception: null, afterMs: this.reportDelayMs },
    };
  }
}

export function createSmsProvider(settings: Settings['sms']): SmsProvider {
  switch (settings.provider) {
    case 'sandbox':
      return new SandboxSmsProvider(settings.sandboxReportDelayMs);
  }
}
