import type { AnyRouter, inferRouterInputs, inferRouterOutputs } from '@trpc/server';

// Everything here is derived from the app's router type (`typeof appRouter`, passed to
// createAuthClient): the client's published types import no server package, so an app that
// installs only core, koa and client type-checks (and so does a front end with the client alone).

/** Whether TRouter is the untyped AnyRouter (createAuthClient without a type argument). */
type IsUntyped<TRouter extends AnyRouter> = string extends keyof TRouter['_def']['record'] ? true : false;

/** Output of `auth.<name>` in TRouter (as JSON delivers it: dates are strings); unknown when untyped, never when absent. */
export type AuthOutput<TRouter extends AnyRouter, TName extends string> =
  IsUntyped<TRouter> extends true ? unknown : inferRouterOutputs<TRouter> extends { auth: infer A } ? (A extends Record<TName, infer O> ? O : never) : never;

/** Input of `auth.<name>` in TRouter; unknown when untyped, never when absent. */
export type AuthInput<TRouter extends AnyRouter, TName extends string> =
  IsUntyped<TRouter> extends true ? unknown : inferRouterInputs<TRouter> extends { auth: infer A } ? (A extends Record<TName, infer I> ? I : never) : never;

/** The user as the server shows it (`auth.me`'s answer when logged in). */
export type AuthUser<TRouter extends AnyRouter = AnyRouter> = NonNullable<AuthOutput<TRouter, 'me'>>;

/** What `login` takes: `auth.token`'s input (`identifier`, `password`, `device?`; cookie mode ignores `device`). */
export type LoginInput<TRouter extends AnyRouter = AnyRouter> = AuthInput<TRouter, 'token'>;

/**
 * Whether TRouter mounts the WeChat router at `wechat` (true for an untyped AnyRouter): the
 * `loginWithWechat` helper exists only then.
 */
export type HasWechat<TRouter extends AnyRouter> =
  IsUntyped<TRouter> extends true ? true : TRouter['_def']['record'] extends { wechat: unknown } ? true : false;
