import type { SmsMessage, SmsSender } from './sms-sender.js';

/**
 * Development sender (the SMS twin of Django's console email backend): prints one line per
 * message, `SMS to +8613900000000: 123456 is your login code`, so a developer (or a browser
 * test reading the server's output) can type the code. It prints codes: never use it in
 * production.
 */
export class ConsoleSmsSender implements SmsSender {
  /** `write` receives each line (default: standard output). */
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  /** Prints the message's line; never fails. */
  async send(message: SmsMessage): Promise<void> {
    this.write(`SMS to ${message.phone}: ${message.text}`);
  }
}
