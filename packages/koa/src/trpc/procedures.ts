import { TRPCError } from '@trpc/server';
import { publicProcedure } from './trpc.js';

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
