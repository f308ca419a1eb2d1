/**
 * The user a command names: by the model's natural key (username), else by username, email or
 * phone number (any format), the way the login form finds them (MixedLoginBackend's lookup).
 */
import { MixedLoginBackend, type AbstractUser, type Auth } from '@koa-auth/core';
import { CommandError } from './command-error.js';

/**
 * The user `identifier` names (natural key first, then username, email or phone as the login
 * form finds them). Throws CommandError when `identifier` is missing or matches nobody.
 */
export async function findUser(auth: Auth<AbstractUser>, identifier: string | undefined): Promise<AbstractUser> {
  if (!identifier) throw new CommandError('Name the user: a username, email address or phone number.');
  const user = (await auth.users.getByNaturalKey(identifier)) ?? (await new MixedLoginBackend<AbstractUser>().findUser(auth, identifier));
  if (!user) throw new CommandError(`No user matches ${JSON.stringify(identifier)}.`);
  return user;
}
