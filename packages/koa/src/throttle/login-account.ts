import { ModelBackend, type AbstractUser, type Auth } from '@koa-auth/core';
import { loginCredentials } from '../login/login-credentials.js';
import { canonicalAccount } from './canonical-account.js';

/** A backend that can say whom an identifier designates without checking a password (MixedLoginBackend). */
interface FindsUser {
  findUser(auth: Auth<AbstractUser>, identifier: string): Promise<AbstractUser | null>;
}

/**
 * The throttle account of a login identifier: `user:<id>` when it designates a user, so every
 * spelling of one account (username, email, phone) shares one counter; otherwise
 * `identifier:<canonical spelling>` (canonicalAccount), so identifiers of nobody are limited
 * alike and answers do not tell known from unknown. The user is found with the lookup of the
 * first backend that takes identifier + password (MixedLoginBackend's `findUser`, or
 * ModelBackend's natural key): the query that backend runs anyway, for known and unknown
 * identifiers alike, so the lookup adds no timing difference between them.
 */
export async function loginAccount(auth: Auth<AbstractUser>, identifier: string): Promise<string> {
  const user = await findLoginUser(auth, identifier);
  return user ? userAccount(user) : `identifier:${canonicalAccount(auth, identifier)}`;
}

/** The throttle account of a known user (what login failures by any spelling count against). */
export function userAccount(user: AbstractUser): string {
  return `user:${user.id}`;
}

async function findLoginUser(auth: Auth<AbstractUser>, identifier: string): Promise<AbstractUser | null> {
  const credentials = loginCredentials(auth, identifier, '');
  for (const backend of auth.backends) {
    if (!backend.accepts(credentials)) continue;
    if (typeof (backend as Partial<FindsUser>).findUser === 'function') return (backend as unknown as FindsUser).findUser(auth, identifier);
    if (backend instanceof ModelBackend) return auth.users.getByNaturalKey(identifier);
    // A backend that cannot say whom the identifier designates: its canonical spelling it is.
    return null;
  }
  return null;
}
