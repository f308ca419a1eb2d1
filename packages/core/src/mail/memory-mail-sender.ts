import type { MailMessage, MailSender } from './mail-sender.js';

/** Keeps sent messages in memory (Django's locmem backend), for tests. */
export class MemoryMailSender implements MailSender {
  readonly outbox: MailMessage[] = [];

  /** Appends the message to `outbox`; never fails. */
  async send(message: MailMessage): Promise<void> {
    this.outbox.push(message);
  }
}
