import type { AbstractUser, Auth } from '@koa-auth/core';

/**
 * The user a password-reset link (`?uid=…&token=…`) was made for, or null when the link is
 * bogus, used (the password changed since), expired or for an account that is gone. The one
 * check behind `passwordReset.confirm` and any page that wants to say so before the form is
 * filled in (Django's PasswordResetConfirmView checks the link on GET).
 */
export async function passwordResetLinkUser<U extends AbstractUser>(auth: Auth<U>, uid: unknown, token: unknown): Promise<U | null> {
  if (typeof uid !== 'string' || typeof token !== 'string' || uid.length > 64 || token.length > 128) return null;
  const id = Buffer.from(uid, 'base64url').toString('utf8');
  const user = /^\d{1,15}$/.test(id) ? await auth.users.getById(id) : null;
  return user && auth.passwordResetTokens.checkToken(user, token) ? user : null;
}
