import type { SmsMessage, SmsSender } from './sms-sender.js';

/**
 * Keeps sent messages in memory (Django's locmem mail backend, for SMS), for tests. Set
 * `failing` to make every send reject, as a provider outage would.
 */
export class MemorySmsSender implements SmsSender {
  /** Every message accepted so far, oldest first. */
  readonly outbox: SmsMessage[] = [];
  /** When set, `send` rejects with this error and records nothing. */
  failing: Error | null = null;

  /** Records the message, or rejects with `failing`. */
  async send(message: SmsMessage): Promise<void> {
    if (this.failing) throw this.failing;
    this.outbox.push(message);
  }

  /** The messages sent to `phone` (E.164), oldest first. */
  sentTo(phone: string): SmsMessage[] {
    return this.outbox.filter((message) => message.phone === phone);
  }

  /** The code of the newest message to `phone`, or undefined when none was sent. */
  lastCode(phone: string): string | undefined {
    return this.sentTo(phone).at(-1)?.code;
  }
}
