import type { AbstractUser, Auth } from '@koa-auth/core';

/**
 * The throttling key of a login identifier: one account typed in different ways (`138 0013
 * 8000`, `+86 138-0013-8000`, `Alice@Example.com`) must share one counter, or an attacker
 * would get a fresh allowance per spelling. The canonical form of core's classifyIdentifier
 * (E.164 for phones in the auth's region, the case policy of the user table's unique indexes for
 * emails and usernames): the same reading MixedLoginBackend looks accounts up by.
 */
export function canonicalAccount(auth: Auth<AbstractUser>, identifier: string): string {
  return auth.users.classifyIdentifier(identifier).canonical;
}
