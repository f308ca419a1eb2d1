/**
 * The demo's Koa app, assembled from the packages' public APIs in the order the koa README
 * gives: typed-error handler, allowed hosts (before anything reads the Host), sessions, the
 * lazy user (bearer tokens, then the session cookie; logout and password changes revoke JWTs
 * through the TokenService), CSRF checks, tRPC at /trpc, WeChat's callback route, the static
 * files and the pages.
 */
import type { Auth, User } from '@koa-auth/core';
import {
  allowedHosts,
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
  /** The origin browsers use (PUBLIC_URL): reset links in mail are built from it. */
  publicUrl: string;
  /** Host names the app answers to; any other Host is refused with 400. */
  allowedHosts: readonly string[];
  /** Koa's `app.proxy` (TRUST_PROXY): X-Forwarded-Proto/-Host/-For are believed. Default false. */
  trustProxy?: boolean;
  /** Serve the bundle's source map (not in production). Default true. */
  serveSourceMap?: boolean;
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
    publicUrl: options.publicUrl,
    wechat,
  });
  const assets = staticAssets(options.publicDir, { sourceMap: options.serveSourceMap ?? true });

  const app = new Koa();
  // Behind HTTPS termination, X-Forwarded-Proto is what makes cookies Secure.
  app.proxy = options.trustProxy ?? false;
  app.use(authErrorHandler());
  app.use(allowedHosts(options.allowedHosts));
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
