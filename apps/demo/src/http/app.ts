/**
 * The demo's Koa app, assembled from the packages' public APIs in the order the koa README
 * gives: typed-error handler, sessions, the lazy user (bearer tokens, then the session cookie;
 * logout and password changes revoke JWTs through the TokenService), CSRF checks, tRPC at
 * /trpc, WeChat's callback route, the static files and the pages.
 */
import type { Auth, User } from '@koa-auth/core';
import {
  authErrorHandler,
  authMiddleware,
  bearerAuthenticator,
  ConsoleMailSender,
  csrfProtection,
  koaTrpc,
  LoginThrottle,
  session,
  sessionAuthenticator,
  type TokenService,
} from '@koa-auth/koa';
import type { Wechat } from '@koa-auth/wechat';
import { pageRoutes } from '../pages/routes.js';
import { createAppRouter } from '../trpc/app-router.js';
import { Koa, type KoaApp } from './koa.js';
import { staticAssets } from './static-assets.js';

export interface DemoAppOptions {
  auth: Auth<User>;
  tokens: TokenService<User>;
  wechat: Wechat<User>;
  wechatOpenOrigin: string;
  publicDir: string;
}

export interface DemoApp {
  app: KoaApp;
  /** False when `pnpm build` has not produced the browser bundle yet. */
  hasBundle: boolean;
}

export function createDemoApp(options: DemoAppOptions): DemoApp {
  const { auth, tokens, wechat } = options;
  const appRouter = createAppRouter({
    tokens,
    throttle: new LoginThrottle({ store: auth.store }),
    // Password-reset mail (with its one-time link) is printed on the console.
    mailer: new ConsoleMailSender(),
    wechat,
  });
  const assets = staticAssets(options.publicDir);

  const app = new Koa();
  app.use(authErrorHandler());
  app.use(session({ auth }));
  app.use(authMiddleware(auth, { authenticators: [bearerAuthenticator(tokens), sessionAuthenticator()], revoker: tokens }));
  app.use(csrfProtection());
  app.use(koaTrpc({ router: appRouter }));
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
