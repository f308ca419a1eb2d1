import type { Auth } from '../auth.js';
import type { AbstractUser } from '../models/abstract-user.js';

/**
 * The link mailed for a password reset: `pageUrl` (an absolute URL built from the site's
 * configured public origin, never from a request's Host) with `?uid=<base64url id>&token=<reset
 * token>` (Django's urlsafe_base64_encode(pk) and PasswordResetTokenGenerator). The token is
 * bound to the user as they are now (see PasswordResetTokenGenerator).
 */
export function passwordResetLink(auth: Auth<AbstractUser>, pageUrl: string, user: AbstractUser): string {
  const { uid, token } = passwordResetGrant(auth, user);
  return `${pageUrl}?uid=${uid}&token=${token}`;
}

/**
 * What a reset link carries, without the link: `uid` (base64url of the id) and a reset token for
 * the user as they are now. Handed out once a person proved the account another way (an SMS
 * code sent to its phone); confirmPasswordReset takes it exactly like a mailed link's values.
 */
export function passwordResetGrant(auth: Auth<AbstractUser>, user: AbstractUser): { uid: string; token: string } {
  return { uid: Buffer.from(String(user.id)).toString('base64url'), token: auth.passwordResetTokens.makeToken(user) };
}

/**
 * The user a password-reset link (`?uid=…&token=…`) was made for, or null when the link is
 * bogus, used (the password changed since), expired or for an account that is gone. The one
 * check behind confirmPasswordReset and any page that wants to say so before the form is
 * filled in (Django's PasswordResetConfirmView checks the link on GET). Never throws for bad
 * input: anything but two short strings is null.
 */
export async function passwordResetLinkUser<U extends AbstractUser>(auth: Auth<U>, uid: unknown, token: unknown): Promise<U | null> {
  if (typeof uid !== 'string' || typeof token !== 'string' || uid.length > 64 || token.length > 128) return null;
  const id = Buffer.from(uid, 'base64url').toString('utf8');
  const user = /^\d{1,15}$/.test(id) ? await auth.users.getById(id) : null;
  return user && auth.passwordResetTokens.checkToken(user, token) ? user : null;
}
