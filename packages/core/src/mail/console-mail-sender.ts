import type { MailMessage, MailSender } from './mail-sender.js';

/**
 * Development sender (Django's console email backend): prints the message, which for a reset
 * mail includes the one-time link. Never use it in production.
 */
export class ConsoleMailSender implements MailSender {
  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  /** Writes recipient, subject and body (the reset link included) to `write`, stdout by default. */
  async send(message: MailMessage): Promise<void> {
    this.write(`\n--- mail to ${message.to} ---\nSubject: ${message.subject}\n\n${message.text}\n--- end of mail ---\n`);
  }
}
