import { ImproperlyConfigured, type AbstractUser, type AnonymousUser, type Auth } from '@koa-auth/core';
import type { Context } from 'koa';

/** What guards read from `ctx.state`; set by `authMiddleware` (or a stand-in in tests). */
interface AuthState {
  getUser?: unknown;
  auth?: unknown;
}

/**
 * The request's user (or the anonymous user), through the memoised `ctx.state.getUser()` that
 * authMiddleware installs; throws ImproperlyConfigured when that middleware did not run.
 */
export async function requestUser(ctx: Context): Promise<AbstractUser | AnonymousUser> {
  const state = ctx.state as AuthState;
  if (typeof state.getUser !== 'function') {
    throw new ImproperlyConfigured('Guards need authMiddleware(auth) to run before them (ctx.state.getUser is missing).');
  }
  // Called as a method: AuthState keeps its memo on `this`.
  return (state.getUser as () => Promise<AbstractUser | AnonymousUser>).call(state);
}

/** The Auth object authMiddleware put on `ctx.state.auth`. */
export function requestAuth(ctx: Context): Auth {
  const { auth } = ctx.state as AuthState;
  if (typeof auth !== 'object' || auth === null || typeof (auth as Auth).hasPerms !== 'function') {
    throw new ImproperlyConfigured('Guards need authMiddleware(auth) to run before them (ctx.state.auth is missing).');
  }
  return auth as Auth;
}
