import type { AuthRequest } from '@koa-auth/core';
import type { Context } from 'koa';
import { authStateOf } from '../middleware/auth-state.js';

/**
 * The request as core's backends see it once authMiddleware ran: client address, headers, and
 * the lazy current user (`getUser`, for backends and event handlers that need to know who is
 * logged in already). Needs authMiddleware before it for `getUser`.
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
