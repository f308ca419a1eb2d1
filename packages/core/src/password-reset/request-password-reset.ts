import type { Auth } from '../auth.js';
import type { MailSender } from '../mail/mail-sender.js';
import type { AbstractUser } from '../models/abstract-user.js';
import { passwordResetLink } from './password-reset-link.js';

/** Input of {@link requestPasswordReset}. */
export interface PasswordResetRequest {
  /** The address typed into the form; compared as logins compare emails (case-insensitively). */
  email: string;
  /** Where the mail goes. */
  mailer: MailSender;
  /** Absolute URL of the reset page (see passwordResetPageUrl): never built from a request. */
  pageUrl: string;
  /** Told about a mail the mailer failed to send (the request itself has already succeeded). */
  onSendError?: (error: unknown) => void;
}

/** What {@link requestPasswordReset} started. */
export interface PasswordResetRequested {
  /**
   * Settles once every mail was handed to the mailer; never rejects (failures go to
   * `onSendError`). A transport must not wait for it before answering: the answer would take
   * longer when the account exists.
   */
  delivered: Promise<void>;
}

/**
 * Django's PasswordResetForm: finds the active user with this email whose password is usable
 * (an account without one, e.g. WeChat-only, gets no link) and mails them a one-time link to
 * `pageUrl` (see passwordResetLink). Resolves once the recipient is known, a database error
 * rejecting it; the mail is sent in the background (see `delivered`). Says nothing about
 * whether anybody was found, so the caller answers every request alike; throttling (one mail
 * per address per window) is the caller's.
 */
export async function requestPasswordReset(auth: Auth<AbstractUser>, request: PasswordResetRequest): Promise<PasswordResetRequested> {
  const found = await auth.users.findByIdentifier('email', request.email);
  const recipients = found?.isActive && found.email && auth.hashers.isPasswordUsable(found.password) ? [found] : [];
  const delivered = Promise.all(
    recipients.map(async (user) => {
      try {
        await request.mailer.send(passwordResetMail(user, passwordResetLink(auth, request.pageUrl, user)));
      } catch (error) {
        request.onSendError?.(error);
      }
    }),
  ).then(() => undefined);
  return { delivered };
}

function passwordResetMail(user: AbstractUser, link: string) {
  return {
    to: user.email!,
    subject: 'Password reset',
    text: `Someone asked to reset the password of ${user.username}.\nIf it was you, open: ${link}\nOtherwise ignore this mail.`,
  };
}
