/**
 * A koa-auth app for the client tests: @koa-auth/koa's startTestApp (session, lazy user with
 * bearer then session authenticators, CSRF), whose tRPC endpoint is taken over by one built
 * here — with its own TokenService options and, optionally, the WeChat router and callback
 * route against an emulator. (Composed through startTestApp's `extend` hook because this
 * package cannot import Koa itself.)
 */
import { MixedLoginBackend, ModelBackend, type Auth, type KeyValueStore, type User } from '@koa-auth/core';
import { createAuthRouter, koaTrpc, LoginThrottle, router, TokenService, type TokenServiceOptions } from '@koa-auth/koa';
import { createWechat, WechatBackend, type QrLoginOptions, type WechatAppConfig } from '@koa-auth/wechat';
import type { TestDb } from '../../../core/test/helpers/test-db.js';
import { startTestApp } from '../../../koa/test/helpers/test-app.js';

type Middleware = Parameters<Parameters<NonNullable<Parameters<typeof startTestApp>[1]['extend']>>[0]['use']>[0];

export interface ClientTestApp {
  url: string;
  auth: Auth<User>;
  /** Issues and refreshes the pairs (access tokens are verified by startTestApp's own service, same store and keys). */
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
    qr?: Partial<Omit<QrLoginOptions<User>, 'auth' | 'backend' | 'callbackUrl' | 'tokens'>>;
  };
}

export async function startClientApp(db: TestDb, options: ClientTestAppOptions): Promise<ClientTestApp> {
  // The routes need the app's URL (WeChat's callback), known only once it listens.
  let routes: Middleware[] = [];
  const late: Middleware = (ctx, next) => {
    const chain = [...routes];
    const step = (i: number): Promise<void> => (i < chain.length ? Promise.resolve(chain[i]!(ctx, () => step(i + 1))) : next());
    return step(0);
  };
  const t = await startTestApp(db, {
    store: options.store,
    backends: [new MixedLoginBackend(), new ModelBackend(), ...(options.wechat ? [new WechatBackend<User>()] : [])],
    extend: (app) => app.use(late),
  });
  const tokens = new TokenService(t.auth, options.tokenOptions);
  const throttle = new LoginThrottle({ store: t.auth.store, perAccount: { points: 5, durationSeconds: 60, blockSeconds: 60 } });
  const authRouter = createAuthRouter({ throttle, tokens });
  if (options.wechat) {
    const wechat = createWechat<User>({
      auth: t.auth,
      apps: [options.wechat.app],
      apiBaseUrl: options.wechat.emulatorUrl,
      openBaseUrl: options.wechat.emulatorUrl,
      callbackUrl: `${t.url}/auth/wechat/callback`,
      tokens,
      qr: { pollIntervalMs: 200, ...options.wechat.qr },
    });
    routes = [wechat.routes, koaTrpc({ router: router({ auth: authRouter, wechat: wechat.router }) })];
  } else {
    routes = [koaTrpc({ router: router({ auth: authRouter }) })];
  }
  return { url: t.url, auth: t.auth, tokens, close: () => t.close() };
}
