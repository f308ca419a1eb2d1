import type { AbstractUser, Auth } from '@koa-auth/core';
import type { Context } from 'koa';

/** How a request was authenticated: 'session', 'bearer', 'basic', or another authenticator's name. */
export interface Authenticated<U extends AbstractUser = AbstractUser> {
  user: U;
  via: string;
  /** Extra facts of the authenticator (e.g. the token family of a bearer token). */
  details?: Record<string, unknown>;
}

/**
 * One way to recognise the user of a request (DRF's authentication classes). Authenticators
 * run in order when the user is first asked for: `null` means "not my kind of request, ask the
 * next"; throwing AuthenticationFailed means "my kind, but the credentials are bad" and stops.
 */
export interface RequestAuthenticator<U extends AbstractUser = AbstractUser> {
  readonly name: string;
  authenticate(ctx: Context, auth: Auth<U>): Promise<Authenticated<U> | null>;
}
