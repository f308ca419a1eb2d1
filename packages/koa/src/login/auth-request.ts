import type { AuthRequest } from '@koa-auth/core';
import type { Context } from 'koa';
import { authStateOf } from '../middleware/auth-state.js';

/**
 * The request as core's backends see it: the current user (resolved only when a backend asks;
 * throws ImproperlyConfigured then when authMiddleware did not run), `ctx.ip` (which honours
 * `app.proxy`), and headers by name (undefined when absent or empty).
 */
export function authRequestOf(ctx: Context): AuthRequest {
  return {
    getUser: () => authStateOf(ctx).getUser(),
    ip: ctx.ip,
    header: (name: string) => ctx.get(name) || undefined,
  };
}
