/**
 * `profile.*`: the logged-in user edits their own profile. Everything else on the profile page
 * uses koa-auth's routers (`auth.changePassword`, `auth.sessions.*`, `wechat.bind/unbind/profiles`).
 */
import { protectedProcedure, publicUser, router, throttledAction } from '@koa-auth/koa';
import { parseProfilePatch } from './input.js';

const HOUR = 60 * 60;

/**
 * An update answers "this phone number is taken", so it is an existence oracle: every call
 * counts, 30 per user and 60 per address (a household or office behind one NAT) per hour.
 */
const updateThrottle = throttledAction({
  name: 'profile-update',
  perUser: { points: 30, durationSeconds: HOUR },
  perAddress: { points: 60, durationSeconds: HOUR },
});

export function createProfileRouter() {
  return router({
    /** Nickname, avatar URL and phone, validated and checked for uniqueness by `auth.users.updateUser`. */
    update: protectedProcedure
      .use(updateThrottle)
      .input(parseProfilePatch)
      .mutation(async ({ ctx, input }) => {
        const user = await ctx.auth.users.updateUser(ctx.user, { ...input });
        // Stored in E.164; `phoneDisplay` is how the page shows it.
        return { ...publicUser(ctx.auth, user), phoneDisplay: user.phone ? ctx.auth.users.formatPhone(user.phone) : null };
      }),
  });
}
