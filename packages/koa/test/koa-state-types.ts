/**
 * Type-level test (checked by `pnpm typecheck`, not run by jest): importing @koa-auth/koa types
 * `ctx.state` of a plain `new Koa()`. A custom user model (KoaAuthTypes augmentation) is checked
 * by the packed-consumer test (test/packaging), whose program is the app's own.
 */
import type { AnonymousUser, Auth, User } from '@koa-auth/core';
import type {} from '@koa-auth/koa';
import Koa from 'koa';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

const app = new Koa();
app.use(async (ctx) => {
  const user = await ctx.state.user;
  const same = await ctx.state.getUser();
  const auth = ctx.state.auth;
  type Checks = [Expect<Equal<typeof user, User | AnonymousUser>>, Expect<Equal<typeof same, User | AnonymousUser>>, Expect<Equal<typeof auth, Auth<User>>>];
  if (user.isAuthenticated) ctx.body = user.username satisfies string;
  // @ts-expect-error the user is set by authMiddleware, never assigned by the app
  ctx.state.user = Promise.resolve(user);
  return [] as unknown as Checks;
});
