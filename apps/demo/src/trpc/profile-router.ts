/**
 * `profile.*`: the logged-in user edits their own profile. Everything else on the profile page
 * uses koa-auth's routers (`auth.changePassword`, `auth.sessions.*`, `wechat.bind/unbind/profiles`).
 */
import { protectedProcedure, publicUser, router } from '@koa-auth/koa';
import { parseProfilePatch } from './input.js';

export function createProfileRouter() {
  return router({
    /** Nickname, avatar URL and phone, validated and checked for uniqueness by `auth.users.updateUser`. */
    update: protectedProcedure.input(parseProfilePatch).mutation(async ({ ctx, input }) => {
      const user = await ctx.auth.users.updateUser(ctx.user, { ...input });
      // Stored in E.164; `phoneDisplay` is how the page shows it.
      return { ...publicUser(ctx.auth, user), phoneDisplay: user.phone ? ctx.auth.users.formatPhone(user.phone) : null };
    }),
  });
}
