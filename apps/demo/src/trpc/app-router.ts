/**
 * The demo's tRPC router, served at `/trpc`: koa-auth's `auth.*` and `wechat.*` under their
 * usual names (what the client SDK's helpers call), plus the demo's `profile.*` and `admin.*`.
 * The browser bundle imports `AppRouter` as a type only: calls are typed end to end.
 */
import type { User } from '@koa-auth/core';
import { createAuthRouter, router, type LoginThrottle, type MailSender, type TokenService } from '@koa-auth/koa';
import type { Wechat } from '@koa-auth/wechat';
import { createAdminRouter } from './admin-router.js';
import { createProfileRouter } from './profile-router.js';

export interface AppRouterDeps {
  tokens: TokenService<User>;
  throttle: LoginThrottle;
  mailer: MailSender;
  /** Public origin for links in mail (PUBLIC_URL). */
  publicUrl: string;
  wechat: Wechat<User>;
}

/** The page that takes the reset link's `uid` and `token`. */
export const PASSWORD_RESET_CONFIRM_PATH = '/reset-password';

export function createAppRouter(deps: AppRouterDeps) {
  return router({
    auth: createAuthRouter({ tokens: deps.tokens, throttle: deps.throttle, mailer: deps.mailer, publicUrl: deps.publicUrl, passwordResetUrl: PASSWORD_RESET_CONFIRM_PATH }),
    wechat: deps.wechat.router,
    profile: createProfileRouter(),
    admin: createAdminRouter(),
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;
