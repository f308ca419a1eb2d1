import type { AuthBackend } from '@koa-auth/core';

/**
 * The credential shape for "identifier + password" with the configured backends, for every
 * password login over HTTP (tRPC `auth.login`/`auth.token`, HTTP Basic) and for the login
 * throttle's account lookup: `{ identifier, password }` when any configured backend takes it
 * (MixedLoginBackend), else the classic `{ username, password }` that ModelBackend reads
 * through USERNAME_FIELD.
 *
 * Why the mixed shape wins when both are taken: it designates a superset of accounts (the
 * identifier may be a username, an email or a phone number, and MixedLoginBackend falls back to
 * the username), so whoever can log in on the login form can log in the same way everywhere
 * else; and the throttle counts against the account the same backend will check, so one
 * account never gets two counters because two transports picked different shapes.
 */
export function loginCredentials(
  auth: { readonly backends: readonly Pick<AuthBackend, 'accepts'>[] },
  identifier: string,
  password: string,
): Record<string, string> {
  const mixed = { identifier, password };
  if (auth.backends.some((backend) => backend.accepts(mixed))) return mixed;
  return { username: identifier, password };
}
