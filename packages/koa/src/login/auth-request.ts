import type { AuthRequest } from '@koa-auth/core';
import type { Context } from 'koa';
import { authStateOf } from '../middleware/auth-state.js';

/** The request as core's backends see it: lazy current user, client address, headers. */
export function authRequestOf(ctx: Context): AuthRequest {
  return {
    getUser: () => authStateOf(ctx).getUser(),
    ip: ctx.ip,
    header: (name: string) => ctx.get(name) || undefined,
  };
}
