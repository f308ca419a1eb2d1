/**
 * The demo's Koa app: koaAuth()'s standard stack (typed-error handler, allowed hosts, sessions, the lazy user —
 * bearer tokens, then the session cookie; logout and password changes revoke JWTs through the
 * TokenService —, CSRF checks, tRPC at /trpc with the demo's routers), then WeChat's callback
 * route, the static files and the pages.
 */
import { ConsoleMailSender, type Auth, type User } from '@koa-auth/core';
import { ConsoleSmsSender, type SmsSender } from '@koa-auth/core/sms';
import { koaAuth, type TokenService } from '@koa-auth/koa';
import type { Wechat } from '@koa-auth/wechat';
import { pageRoutes } from '../pages/routes.js';
import { createAppRouters, PASSWORD_RESET_CONFIRM_PATH } from '../trpc/app-router.js';
import { Koa, type KoaApp } from './koa.js';
import { staticAssets } from './static-assets.js';

export interface DemoAppOptions {
  auth: Auth<User>;
  tokens: TokenService<User>;
  wechat: Wechat<User>;
  wechatOpenOrigin: string;
  publicDir: string;
  /** The origin browsers use (PUBLIC_URL): reset links in mail are built from it. */
  publicUrl: string;
  /** Host names the app answers to; any other Host is refused with 400. */
  allowedHosts: readonly string[];
  /** Koa's `app.proxy` (TRUST_PROXY): X-Forwarded-Proto/-Host/-For are believed. Default false. */
  trustProxy?: boolean;
  /** Serve the bundle's source map (not in production). Default true. */
  serveSourceMap?: boolean;
  /** Where SMS codes go. Default: ConsoleSmsSender (printed on the server's console; the demo has no SMS provider). */
  smsSender?: SmsSender;
}

export interface DemoApp {
  app: KoaApp;
  /** False when `pnpm build` has not produced the browser bundle yet. */
  hasBundle: boolean;
}

export function createDemoApp(options: DemoAppOptions): DemoApp {
  const { auth, tokens, wechat } = options;
  const stack = koaAuth({
    auth,
    allowedHosts: options.allowedHosts,
    tokens,
    // The demo lets visitors sign up (koaAuth warns about it at start-up).
    allowRegistration: true,
    // Password-reset mail (with its one-time link) is printed on the console.
    mailer: new ConsoleMailSender(),
    publicUrl: options.publicUrl,
    passwordResetUrl: PASSWORD_RESET_CONFIRM_PATH,
    // SMS codes (login, sign-up, verify your phone, reset by phone), printed on the console.
    sms: { sender: options.smsSender ?? new ConsoleSmsSender(), allowSignUp: true },
    routers: createAppRouters({ wechat }),
  });
  const assets = staticAssets(options.publicDir, { sourceMap: options.serveSourceMap ?? true });

  const app = new Koa();
  // Behind HTTPS termination, X-Forwarded-Proto is what makes cookies Secure.
  app.proxy = options.trustProxy ?? false;
  app.use(stack.middleware);
  app.use(wechat.routes);
  app.use(assets.middleware);
  app.use(pageRoutes({ auth, wechatOpenOrigin: options.wechatOpenOrigin, wechatOa: wechat.oa !== undefined }));
  // Koa's default reporter prints whole stacks of anything; keep to name and message (no
  // request data, which may hold credentials).
  app.on('error', (error: unknown) => {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`[demo] request failed: ${text}`);
  });
  return { app, hasBundle: assets.hasBundle };
}
