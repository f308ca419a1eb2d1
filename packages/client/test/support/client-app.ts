/**
 * A koa-auth app for the client tests: @koa-auth/koa's startTestApp (the koaAuth() stack), with
 * its own TokenService options and, optionally, the WeChat router and callback route against
 * an emulator. (Built through startTestApp's hooks because this package cannot import Koa itself.)
 */
import { MixedLoginBackend, ModelBackend, type Auth, type KeyValueStore, type User } from '@koa-auth/core';
import { LoginThrottle, TokenService, type TokenServiceOptions } from '@koa-auth/koa';
import { createWechat, WechatBackend, type QrLoginOptions, type Wechat, type WechatAppConfig } from '@koa-auth/wechat';
import type { TestDb } from '@koa-auth/core/testing';
import { startTestApp } from '@koa-auth/koa/testing';

export interface ClientTestApp {
  url: string;
  auth: Auth<User>;
  /** Issues, refreshes and verifies the pairs. */
  tokens: TokenService<User>;
  close(): Promise<void>;
}

export interface ClientTestAppOptions {
  store: KeyValueStore;
  tokenOptions?: TokenServiceOptions;
  /** Mount `wechat.*` and the QR callback route, with WeChat's side at `emulatorUrl`. */
  wechat?: {
    emulatorUrl: string;
    app: WechatAppConfig;
    /** More apps (e.g. a Mini Program). */
    extraApps?: WechatAppConfig[];
    qr?: Partial<Omit<QrLoginOptions<User>, 'auth' | 'backend' | 'callbackUrl' | 'tokens'>>;
  };
}

export async function startClientApp(db: TestDb, options: ClientTestAppOptions): Promise<ClientTestApp> {
  let wechat: Wechat<User> | undefined;
  const t = await startTestApp(db, {
    store: options.store,
    backends: [new MixedLoginBackend(), new ModelBackend(), ...(options.wechat ? [new WechatBackend<User>()] : [])],
    // The routes need the app's URL (WeChat's callback), known only once it listens.
    stack(url, auth) {
      const tokens = new TokenService(auth, options.tokenOptions);
      const throttle = new LoginThrottle({ store: auth.store, perAccount: { points: 5, durationSeconds: 60, blockSeconds: 60 } });
      if (!options.wechat) return { tokens, throttle };
      wechat = createWechat<User>({
        auth,
        apps: [options.wechat.app, ...(options.wechat.extraApps ?? [])],
        apiBaseUrl: options.wechat.emulatorUrl,
        openBaseUrl: options.wechat.emulatorUrl,
        callbackUrl: `${url}/auth/wechat/callback`,
        tokens,
        qr: { pollIntervalMs: 200, ...options.wechat.qr },
      });
      return { tokens, throttle, routers: { wechat: wechat.router } };
    },
    extend: (app) => {
      if (wechat) app.use(wechat.routes);
    },
  });
  return { url: t.url, auth: t.auth, tokens: t.tokens, close: () => t.close() };
}
