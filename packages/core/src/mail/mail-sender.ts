/** One message to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where password-reset (and other) mail goes: plug in SMTP or an email API in production. */
export interface MailSender {
  /** Deliver one message; resolves once it is handed over, rejects when it could not be (the caller reports that). */
  send(message: MailMessage): Promise<void>;
}
