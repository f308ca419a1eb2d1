import type { Auth } from '../auth.js';
import { ValidationError } from '../errors.js';
import type { AbstractUser } from '../models/abstract-user.js';
import { passwordMismatch } from '../password-validation/password-confirmation.js';
import { passwordResetLinkUser } from './password-reset-link.js';

/** Input of {@link confirmPasswordReset}: the link's `uid` and `token`, and the new password. */
export interface PasswordResetConfirmation {
  uid: unknown;
  token: unknown;
  newPassword: string;
  /** The new password typed a second time; left out by clients that compare it themselves. */
  newPassword2?: string;
}

/**
 * Django's PasswordResetConfirmView with SetPasswordForm: when `uid` and `token` make a valid
 * link (passwordResetLinkUser), checks the new password — a differing confirmation
 * (`newPassword2`) and the configured validators, every problem in one ValidationError — then
 * stores it and returns the user; the token dies with the old password, so a link works once.
 * Null when the link is invalid, used or expired (nothing changed): the transport answers that
 * as it answers bad credentials. Ending the user's sessions and tokens is the transport's.
 */
export async function confirmPasswordReset<U extends AbstractUser>(auth: Auth<U>, confirmation: PasswordResetConfirmation): Promise<U | null> {
  const user = await passwordResetLinkUser(auth, confirmation.uid, confirmation.token);
  if (!user) return null;
  await ValidationError.collect([
    () => {
      const mismatch = passwordMismatch('newPassword2', confirmation.newPassword, confirmation.newPassword2);
      if (mismatch) throw mismatch;
    },
    () => auth.validatePassword(confirmation.newPassword, user),
  ]);
  await auth.changePassword(user, confirmation.newPassword);
  return user;
}
