import type { AuthRequest } from '@koa-auth/core';
import type { Context } from 'koa';
import { authStateOf } from '../middleware/auth-state.js';

/**
 * The request as core's backends see it once authMiddleware ran: the current user (`getUser`,
 * resolved only when a backend asks; throws ImproperlyConfigured then when authMiddleware did
 * not run), `ctx.ip` (which honours `app.proxy`), and headers by name (undefined when absent or
 * empty).
 */
export function authRequestOf(ctx: Context): AuthRequest {
  return { ...authRequestWithoutUser(ctx), getUser: () => authStateOf(ctx).getUser() };
}

/**
 * The request as backends see it while the request's user is still being determined (inside a
 * RequestAuthenticator): client address and headers, and no `getUser`, since asking for the
 * user from there would run the authenticators again and recurse.
 */
export function authRequestWithoutUser(ctx: Context): AuthRequest {
  return { ip: ctx.ip, header: (name: string) => ctx.get(name) || undefined };
}
