/**
 * `wechatRoutes(options)`: the browser-facing routes as one Koa middleware. Mount it after
 * `session()` and `authMiddleware()` (the OA routes log in; the QR callback needs neither
 * cookie nor session: it trusts only the server-side state).
 *
 * - GET `qrCallbackPath` (default: the path of `qr.callbackUrl`, e.g. `/auth/wechat/callback`)
 * - `oa.startPath` (default `/auth/wechat/oa/start`): GET shows a page whose button POSTs there;
 *   POST (CSRF-checked) starts the authorization. And GET `oaCallbackPath` (default: the path
 *   of `oa.callbackUrl`, e.g. `/auth/wechat/oa/callback`). When `oa` is given.
 */
import { Router } from '@koa/router';
import type { AbstractUser } from '@koa-auth/core';
import type { Middleware } from 'koa';
import type { OaLogin } from '../oa-login/oa-login.js';
import type { QrLogin } from '../qr-login/qr-login.js';
import { qrCallbackHandler, type QrCallbackRouteOptions } from './qr-callback-route.js';

export interface WechatRoutesOptions<U extends AbstractUser = AbstractUser> extends QrCallbackRouteOptions {
  qr?: QrLogin<U>;
  oa?: OaLogin<U>;
  qrCallbackPath?: string;
  oaCallbackPath?: string;
}

/**
 * Koa middleware serving the browser-facing routes: GET QR callback when `qr` is given; the OA
 * start page (GET), start (POST, CSRF-checked) and callback (GET) when `oa` is. Mount after
 * session() and authMiddleware(); other paths pass through to the next middleware.
 */
export function wechatRoutes<U extends AbstractUser>(options: WechatRoutesOptions<U>): Middleware {
  const router = new Router();
  const { qr, oa } = options;
  if (qr) {
    router.get(options.qrCallbackPath ?? new URL(qr.callbackUrl).pathname, qrCallbackHandler(qr, options));
  }
  if (oa) {
    router.get(oa.startPath, (ctx) => oa.startPage(ctx));
    router.post(oa.startPath, (ctx) => oa.startFromForm(ctx));
    router.get(options.oaCallbackPath ?? new URL(oa.callbackUrl).pathname, (ctx) => oa.callback(ctx));
  }
  // @koa/router types its middleware with the `params`/`router` it adds to ctx itself; to Koa
  // it is an ordinary middleware.
  return router.routes() as unknown as Middleware;
}
