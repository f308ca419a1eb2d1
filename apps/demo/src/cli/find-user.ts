/**
 * The user a command names: by username, email or phone number (any format), the way the
 * login form finds them (MixedLoginBackend's lookup).
 */
import { MixedLoginBackend, type Auth, type User } from '@koa-auth/core';
import { CommandError } from './command-error.js';

export async function findUser(auth: Auth<User>, identifier: string | undefined): Promise<User> {
  if (!identifier) throw new CommandError('Name the user: a username, email address or phone number.');
  const user = await new MixedLoginBackend<User>().findUser(auth, identifier);
  if (!user) throw new CommandError(`No user matches ${JSON.stringify(identifier)}.`);
  return user;
}
