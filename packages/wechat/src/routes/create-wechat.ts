/**
 * `createWechat`: the whole WeChat set-up from one options object — backend configuration,
 * API clients, QR and OA flows, binding, the tRPC router and the Koa routes.
 *
 * The backend must be one of `auth`'s backends (core's `authenticate` only tries those), and
 * `auth` exists before this runs; so put a `WechatBackend` into `createAuth({ backends })`,
 * either configured (`new WechatBackend({ apps })`) or empty (`new WechatBackend()`), in which
 * case the `apps` given here configure it.
 */
import { ImproperlyConfigured, type AbstractUser, type Auth } from '@koa-auth/core';
import type { TokenService } from '@koa-auth/koa';
import type { Middleware } from 'koa';
import { WechatBackend, type WechatBackendOptions } from '../backend/wechat-backend.js';
import { WechatBinding } from '../binding/wechat-binding.js';
import { OaLogin, type OaLoginOptions } from '../oa-login/oa-login.js';
import { QrLogin, type QrLoginOptions } from '../qr-login/qr-login.js';
import { createWechatRouter } from '../trpc/wechat-router.js';
import { wechatRoutes } from './wechat-routes.js';

export interface CreateWechatOptions<U extends AbstractUser> extends Partial<WechatBackendOptions> {
  auth: Auth<U>;
  /** Absolute URL of the QR callback route, e.g. `https://app.example.com/auth/wechat/callback`. */
  callbackUrl: string;
  /**
   * Absolute URL of the OA callback route. Default: `callbackUrl` with `/oa` inserted before its
   * last path segment (`/auth/wechat/callback` → `/auth/wechat/oa/callback`).
   */
  oaCallbackUrl?: string;
  /** Token service for bearer-mode logins. */
  tokens?: TokenService<U>;
  /** Where the QR callback sends the browser after success (default: a "close this window" page). */
  successUrl?: string;
  /** The page where a QR login starts: "Start again" on the QR callback's failure pages. Default `/`. */
  loginUrl?: string;
  /** The WeChat pages' link home. Default `/`. */
  homeUrl?: string;
  /** Official Account settings: `scope`, `baseForReturningUsers`, `startPath`, TTL, store… */
  oa?: Omit<OaLoginOptions<U>, 'auth' | 'backend' | 'callbackUrl'>;
  /** More QR flow settings (TTLs, store, prefix, clock…). */
  qr?: Omit<QrLoginOptions<U>, 'auth' | 'backend' | 'callbackUrl' | 'tokens'>;
}

export interface Wechat<U extends AbstractUser> {
  backend: WechatBackend<U>;
  qr: QrLogin<U>;
  /** Present when an app of kind `oa` is configured. */
  oa: OaLogin<U> | undefined;
  binding: WechatBinding<U>;
  router: ReturnType<typeof createWechatRouter<U>>;
  /** The callback (and OA) routes, as one Koa middleware. */
  routes: Middleware;
}

/**
 * The whole WeChat set-up from one options object: configures `auth`'s WechatBackend (when
 * `apps` are given), and builds the QR flow, the OA flow (when an `oa` app exists), binding, the
 * tRPC router and the Koa routes. Throws ImproperlyConfigured when `auth` has no WechatBackend,
 * the backend gets apps twice or none, or a flow's settings are invalid.
 */
export function createWechat<U extends AbstractUser>(options: CreateWechatOptions<U>): Wechat<U> {
  const { auth } = options;
  const backend = auth.backends.find((b): b is WechatBackend<U> => b instanceof WechatBackend);
  if (!backend) {
    throw new ImproperlyConfigured('createWechat: auth has no WechatBackend. Pass `new WechatBackend()` in createAuth({ backends }).');
  }
  if (options.apps) {
    const { apps, apiBaseUrl, openBaseUrl, client, createClient } = options;
    backend.configure({ apps, apiBaseUrl, openBaseUrl, client, createClient });
  }
  const qr = new QrLogin<U>({ ...options.qr, auth, backend, callbackUrl: options.callbackUrl, ...(options.tokens ? { tokens: options.tokens } : {}) });
  const hasOa = backend.apps.list.some((app) => app.kind === 'oa');
  const oa = hasOa
    ? new OaLogin<U>({
        ...(options.homeUrl ? { homeUrl: options.homeUrl } : {}),
        ...options.oa,
        auth,
        backend,
        callbackUrl: options.oaCallbackUrl ?? defaultOaCallback(options.callbackUrl),
      })
    : undefined;
  const binding = new WechatBinding<U>(auth);
  return {
    backend,
    qr,
    oa,
    binding,
    router: createWechatRouter<U>({ qr, binding, ...(oa ? { oa } : {}) }),
    routes: wechatRoutes<U>({
      qr,
      ...(oa ? { oa } : {}),
      ...(options.successUrl ? { successUrl: options.successUrl } : {}),
      ...(options.loginUrl ? { loginUrl: options.loginUrl } : {}),
      ...(options.homeUrl ? { homeUrl: options.homeUrl } : {}),
    }),
  };
}

/** `https://h/auth/wechat/callback` → `https://h/auth/wechat/oa/callback`. */
function defaultOaCallback(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  const slash = url.pathname.lastIndexOf('/');
  url.pathname = `${url.pathname.slice(0, slash)}/oa${url.pathname.slice(slash)}`;
  url.search = '';
  return url.toString();
}
