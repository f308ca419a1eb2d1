/**
 * A full app as a site would build it: sessions, lazy user (bearer then session), CSRF, the
 * WeChat routes and the `auth.*` + `wechat.*` tRPC routers, on an ephemeral port. Built with
 * the public APIs of @koa-auth/core, @koa-auth/koa and the wechat package only.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import { MixedLoginBackend, ModelBackend, type Auth, type KeyValueStore, type User } from '@koa-auth/core';
import {
  authErrorHandler,
  authMiddleware,
  bearerAuthenticator,
  createAuthRouter,
  csrfProtection,
  koaTrpc,
  router,
  session,
  sessionAuthenticator,
  TokenService,
} from '@koa-auth/koa';
import { testAuthOn, type TestDb } from '@koa-auth/core/testing';
import { TestClient } from '@koa-auth/koa/testing';
import { createWechat, WechatBackend, type CreateWechatOptions, type QrLoginOptions, type Wechat } from '@koa-auth/wechat';
import { ALL_APPS } from './wechat-emulator.js';

export interface WechatTestApp {
  url: string;
  callbackUrl: string;
  auth: Auth<User>;
  tokens: TokenService<User>;
  wechat: Wechat<User>;
  client(): TestClient;
  close(): Promise<void>;
}

export interface WechatTestAppOptions {
  db: TestDb;
  store: KeyValueStore;
  emulatorUrl: string;
  successUrl?: string;
  qr?: Partial<Omit<QrLoginOptions<User>, 'auth' | 'backend' | 'callbackUrl' | 'tokens'>>;
  oa?: CreateWechatOptions<User>['oa'];
  /** Log in with username, email or phone + password (MixedLoginBackend) instead of ModelBackend. */
  mixedLogin?: boolean;
}

export async function startWechatApp(options: WechatTestAppOptions): Promise<WechatTestApp> {
  const app = new Koa();
  // Listen first (the callback URL must name the real port); requests are handled once the
  // middleware is in place, since app.callback() composes the middleware present when called.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callbackUrl = `${url}/auth/wechat/callback`;

  const passwordBackend = options.mixedLogin ? new MixedLoginBackend() : new ModelBackend();
  const { auth } = testAuthOn<User>(options.db.knex, { store: options.store, backends: [passwordBackend, new WechatBackend()] });
  const tokens = new TokenService(auth);
  const wechat = createWechat<User>({
    auth,
    apps: ALL_APPS,
    apiBaseUrl: options.emulatorUrl,
    openBaseUrl: options.emulatorUrl,
    client: { retryDelayMs: 5 },
    callbackUrl,
    tokens,
    ...(options.successUrl ? { successUrl: options.successUrl } : {}),
    qr: { pollIntervalMs: 200, ...options.qr },
    ...(options.oa ? { oa: options.oa } : {}),
  });

  app.use(authErrorHandler());
  app.use(session({ auth }));
  app.use(authMiddleware(auth, { authenticators: [bearerAuthenticator(tokens), sessionAuthenticator()], revoker: tokens }));
  app.use(csrfProtection());
  app.use(wechat.routes);
  app.use(koaTrpc({ router: router({ auth: createAuthRouter({ tokens }), wechat: wechat.router }) }));
  server.on('request', app.callback());

  return {
    url,
    callbackUrl,
    auth,
    tokens,
    wechat,
    client: () => new TestClient(url),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
