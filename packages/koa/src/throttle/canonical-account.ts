import { toE164 } from '@koa-auth/core/internal';
import type { AbstractUser, Auth } from '@koa-auth/core';

/**
 * The throttling key of a login identifier: one account typed in different ways (`138 0013
 * 8000`, `+86 138-0013-8000`, `Alice@Example.com`) must share one counter, or an attacker
 * would get a fresh allowance per spelling. Phone numbers become E.164 in the auth's region,
 * emails and usernames take the canonical form the user table's unique indexes compare
 * (core's canonicalIdentifier: the site's case policy, one home for it).
 */
export function canonicalAccount(auth: Auth<AbstractUser>, identifier: string): string {
  const text = identifier.trim();
  if (text.includes('@')) return auth.users.canonicalIdentifier('email', text);
  const phone = toE164(text, auth.phoneRegion);
  if (phone) return phone;
  return auth.users.canonicalIdentifier('username', text);
}
