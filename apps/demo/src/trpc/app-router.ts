/**
 * The demo's tRPC routers, served at `/trpc` by koaAuth() next to koa-auth's `auth.*`:
 * `wechat.*` under its usual name (what the client SDK's helpers call), plus the demo's
 * `profile.*` and `admin.*`.
 * The browser bundle imports `AppRouter` as a type only: calls are typed end to end.
 */
import type { User } from '@koa-auth/core';
import type { KoaAuthRouter } from '@koa-auth/koa';
import type { Wechat } from '@koa-auth/wechat';
import { createAdminRouter } from './admin-router.js';
import { createProfileRouter } from './profile-router.js';

export interface AppRouterDeps {
  wechat: Wechat<User>;
}

/** The page that takes the reset link's `uid` and `token`. */
export const PASSWORD_RESET_CONFIRM_PATH = '/reset-password';

/** The demo's routers, served by koaAuth() next to `auth.*`. */
export function createAppRouters(deps: AppRouterDeps) {
  return {
    wechat: deps.wechat.router,
    profile: createProfileRouter(),
    admin: createAdminRouter(),
  };
}

export type AppRouter = KoaAuthRouter<ReturnType<typeof createAppRouters>>;
