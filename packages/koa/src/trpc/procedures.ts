import { TRPCError } from '@trpc/server';
import { claimCredentialCheck } from '../throttle/credential-check.js';
import { publicProcedure, t } from './trpc.js';

/** A procedure that needs a logged-in user (401 otherwise); `ctx.user` is that user. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await ctx.getUser();
  if (!user.isAuthenticated) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Authentication credentials were not provided.' });
  return next({ ctx: { user } });
});

/** A procedure that needs every one of `perms` (401 when anonymous, 403 when lacking one). */
export function permissionProcedure(...perms: string[]) {
  return protectedProcedure.use(async ({ ctx, next }) => {
    if (!(await ctx.auth.hasPerms(ctx.user, perms))) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'You do not have permission to perform this action.' });
    }
    return next();
  });
}

/** Middleware: claims the request's one credential check (claimCredentialCheck) before the procedure runs. */
export const oneCredentialCheck = t.middleware(({ ctx, next }) => {
  claimCredentialCheck(ctx.koa);
  return next();
});

/**
 * The base of every public procedure that checks a secret — a password (`auth.login`,
 * `auth.token`), an SMS code, a Mini Program login code, a second factor, a WeChat login
 * completion: at most one such call per HTTP request, so a tRPC batch cannot multiply guesses
 * or hashing; the others in the batch answer BAD_REQUEST without being run. For logged-in
 * procedures (re-authentication, password change) use `protectedProcedure.use(oneCredentialCheck)`.
 */
export const credentialProcedure = publicProcedure.use(oneCredentialCheck);
