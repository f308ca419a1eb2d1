/**
 * Type-level contract (checked by `pnpm typecheck`, not run by jest): the wire types the client
 * spells out (so that its published types import no server package) are exactly what the
 * server's routers answer. A server change that breaks the client fails the type-check here.
 */
import type { TokenPair as ServerTokenPair } from '@koa-auth/koa';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AuthClient, AuthUser, TokenPair, WechatLoginMode, WechatLoginRef, WechatStart, WechatStatusView } from '../src/index.js';
import type { AuthOnlyRouter, TestAppRouter } from './support/app-router.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assignable<A, B> = [A] extends [B] ? true : false;
type Expect<T extends true> = T;

type Out = inferRouterOutputs<TestAppRouter>['wechat'];
type In = inferRouterInputs<TestAppRouter>['wechat'];

export type Contract = [
  Expect<Equal<TokenPair, ServerTokenPair>>,
  // Each side accepts the other: the client reads every field the server sends, no more.
  Expect<Assignable<Out['start'], WechatStart>>,
  Expect<Assignable<Required<WechatStart>, Out['start']>>,
  Expect<Assignable<Out['status'], WechatStatusView>>,
  Expect<Assignable<Required<WechatStatusView>, Out['status']>>,
  Expect<Equal<WechatLoginMode, NonNullable<Exclude<In['start'], void | undefined>['mode']>>>,
  Expect<Assignable<WechatLoginRef, In['status']>>,
  Expect<Assignable<WechatLoginRef, In['complete']>>,
  // The user type comes from the app's router.
  Expect<Equal<AuthUser<TestAppRouter>, NonNullable<inferRouterOutputs<TestAppRouter>['auth']['me']>>>,
  // loginWithWechat exists only when the router mounts `wechat`.
  Expect<Equal<'loginWithWechat' extends keyof AuthClient<TestAppRouter> ? true : false, true>>,
  Expect<Equal<'loginWithWechat' extends keyof AuthClient<AuthOnlyRouter> ? true : false, false>>,
];
