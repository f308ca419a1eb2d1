/**
 * A complete koa-auth site as the README builds it — koaAuth()'s stack (sessions in the key-value
 * store, the lazy user (bearer, then session), CSRF, tRPC), the WeChat callback and OA routes, the `auth.*` and
 * `wechat.*` tRPC routers, and a login-protected page — listening on an ephemeral port.
 * Every piece is configurable where the fault, abuse and two-instance tests need it: the store,
 * the database, throttle limits, `app.proxy`, WeChat client timeouts.
 *
 * Hashing is real but cheap (scrypt logN 10) and counted (HashCounter).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { MixedLoginBackend, ModelBackend, type Auth, type createKnex, type AuthBackend, type KeyValueStore, type User } from '@koa-auth/core';
import { PhoneCodeBackend } from '@koa-auth/core/sms';
import {
  koaAuth,
  type koaTrpc,
  LoginThrottle,
  loginRequired,
  TokenService,
  type AuthRouterLimits,
  type LoginThrottleOptions,
  type SmsOptions,
} from '@koa-auth/koa';
import { MemoryMailSender, TestClient } from '@koa-auth/koa/testing';
import { testAuthOn, type HashCounter } from '@koa-auth/core/testing';
import { createWechat, WechatBackend, type QrLoginOptions, type Wechat, type WechatClientOptions } from '@koa-auth/wechat';
import { ALL_APPS } from '../../packages/wechat/test/support/wechat-emulator.js';
import { Koa, type KoaApp } from './koa.js';

/** knex's Knex (knex is a dependency of @koa-auth/core, not of this folder). */
export type Knex = ReturnType<typeof createKnex>;

/** A tRPC router, as far as these tests look at one (koaTrpc's own parameter type). */
export type AnyRouter = Parameters<typeof koaTrpc>[0]['router'];

export const PASSWORD = 'correct horse battery staple';

export interface FullAppOptions {
  knex: Knex;
  store: KeyValueStore;
  /** Base URL of a WeChat emulator: adds the WechatBackend, the callback/OA routes and `wechat.*`. */
  emulatorUrl?: string;
  /** WeChat API client settings (timeouts, retries). Default: retryDelayMs 5. */
  wechatClient?: Omit<WechatClientOptions, 'appid' | 'secret' | 'apiBaseUrl' | 'openBaseUrl'>;
  /** QR flow settings. */
  qr?: Partial<Omit<QrLoginOptions<User>, 'auth' | 'backend' | 'callbackUrl' | 'tokens'>>;
  /** Login throttle limits (on the app's store); `false` for none. Default: the library's defaults. */
  throttle?: Omit<LoginThrottleOptions, 'store'> | false;
  /** Trust X-Forwarded-* (app.proxy). */
  proxy?: boolean;
  /** The auth router's register / password-reset limits (createAuthRouter's `limits`). */
  limits?: AuthRouterLimits;
  /** koaTrpc's maxBatchSize. */
  maxBatchSize?: number;
  /** SMS codes (`auth.sms.*`): adds a PhoneCodeBackend and koaAuth's `sms` option. */
  sms?: SmsOptions;
}

export interface FullApp {
  app: KoaApp;
  url: string;
  callbackUrl: string;
  auth: Auth<User>;
  counter: HashCounter;
  tokens: TokenService<User>;
  throttle: LoginThrottle | undefined;
  mailer: MemoryMailSender;
  wechat: Wechat<User> | undefined;
  /** The tRPC router served at /trpc (`auth.*`, plus `wechat.*` with an emulator). */
  trpcRouter: AnyRouter;
  client(): TestClient;
  close(): Promise<void>;
}

export async function startFullApp(options: FullAppOptions): Promise<FullApp> {
  // Listen first: the WeChat callback URL must name the real port. Requests are served once
  // every middleware is in place (app.callback() composes what is there when it is called).
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callbackUrl = `${url}/auth/wechat/callback`;

  const backends: AuthBackend<any, User>[] = [new MixedLoginBackend(), new ModelBackend()];
  if (options.emulatorUrl) backends.push(new WechatBackend());
  if (options.sms) backends.push(new PhoneCodeBackend());
  const { auth, counter } = testAuthOn<User>(options.knex, { store: options.store, backends });
  const tokens = new TokenService(auth);
  const throttle = options.throttle === false ? undefined : new LoginThrottle({ store: auth.store, ...options.throttle });
  const mailer = new MemoryMailSender();
  const wechat = options.emulatorUrl
    ? createWechat<User>({
        auth,
        apps: ALL_APPS,
        apiBaseUrl: options.emulatorUrl,
        openBaseUrl: options.emulatorUrl,
        client: { retryDelayMs: 5, ...options.wechatClient },
        callbackUrl,
        tokens,
        qr: { pollIntervalMs: 200, ...options.qr },
      })
    : undefined;

  const app = new Koa();
  app.proxy = options.proxy ?? false;
  // Koa prints every 500 with its stack; the tests assert on statuses instead.
  app.silent = true;
  const stack = koaAuth({
    auth,
    allowedHosts: ['127.0.0.1'],
    tokens,
    throttle: throttle ?? false,
    mailer,
    publicUrl: url,
    // The abuse and fault suites register users through the API.
    allowRegistration: true,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.maxBatchSize ? { trpc: { maxBatchSize: options.maxBatchSize } } : {}),
    ...(options.sms ? { sms: options.sms } : {}),
    routers: wechat ? { wechat: wechat.router } : {},
    warn: () => undefined,
  });
  const trpcRouter: AnyRouter = stack.router;
  app.use(stack.middleware);
  if (wechat) app.use(wechat.routes);
  app.use(loginRequired());
  app.use(async (ctx) => {
    const user = await ctx.state.user;
    ctx.body = { hello: (user as User).username };
  });
  server.on('request', app.callback());

  return {
    app,
    url,
    callbackUrl,
    auth,
    counter,
    tokens,
    throttle,
    mailer,
    wechat,
    trpcRouter,
    client: () => new TestClient(url),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
