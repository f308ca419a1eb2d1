import type { AuthRouter, router } from '@koa-auth/koa';
import type { WechatRouter } from '@koa-auth/wechat';
import type { AnyRouter, inferRouterInputs, inferRouterOutputs } from '@trpc/server';

/**
 * The router of an app that mounts koa-auth's two routers under their usual names:
 * `router({ auth: createAuthRouter(…), wechat: createWechatRouter(…) })`. Type-only: the client
 * never loads server code. Apps with routers of their own pass `typeof appRouter` instead.
 */
export type DefaultAppRouter = ReturnType<typeof router<{ auth: AuthRouter; wechat: WechatRouter }>>;

/** Output of `auth.<name>` in TRouter (as JSON delivers it: dates are strings), or never. */
export type AuthOutput<TRouter extends AnyRouter, TName extends string> =
  inferRouterOutputs<TRouter> extends { auth: infer A } ? (A extends Record<TName, infer O> ? O : never) : never;

/** Input of `auth.<name>` in TRouter, or never. */
export type AuthInput<TRouter extends AnyRouter, TName extends string> =
  inferRouterInputs<TRouter> extends { auth: infer A } ? (A extends Record<TName, infer I> ? I : never) : never;

/** The user as the server shows it (`auth.me`'s answer when logged in). */
export type AuthUser<TRouter extends AnyRouter = DefaultAppRouter> = NonNullable<AuthOutput<TRouter, 'me'>>;

/** What `login` takes: `auth.token`'s input (`identifier`, `password`, `device?`; cookie mode ignores `device`). */
export type LoginInput<TRouter extends AnyRouter = DefaultAppRouter> = AuthInput<TRouter, 'token'>;
