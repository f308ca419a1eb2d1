import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import { MemoryStore, ModelBackend, MixedLoginBackend, type Auth, type AuthBackend, type KeyValueStore, type User } from '@koa-auth/core';
import { MemoryMailSender, testAuthOn, type HashCounter, type TestDb } from '@koa-auth/core/testing';
import type { AuthRouterOptions } from '../trpc/auth-router.js';
import { koaAuth } from '../stack/koa-auth.js';
import type { KoaAuthOptions } from '../stack/koa-auth-options.js';
import { TokenService } from '../jwt/token-service.js';
import { LoginThrottle } from '../throttle/login-throttle.js';
import { TestClient } from './test-client.js';

/** The public origin the test app's password-reset links are built on. */
export const TEST_PUBLIC_URL = 'https://auth.example.test';

/** A running app from {@link startTestApp}. */
export interface TestApp {
  app: Koa;
  auth: Auth<User>;
  /** Counts hashing (undefined when `options.auth` was given). */
  counter: HashCounter;
  tokens: TokenService<User>;
  /** Every mail the app sent (password-reset links). */
  mailer: MemoryMailSender;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** A new TestClient (empty cookie jar) for this app. */
  client(): TestClient;
  close(): Promise<void>;
}

/** Options of {@link startTestApp}. */
export interface TestAppOptions {
  /** The key-value store. Default: a new MemoryStore. */
  store?: KeyValueStore;
  /** Default: MixedLoginBackend, then ModelBackend. */
  backends?: AuthBackend<any, User>[];
  /** createAuthRouter's options (registration is open unless `allowRegistration: false`). */
  routerOptions?: Partial<AuthRouterOptions>;
  /** Extra routes, mounted after the standard stack (koaAuth). */
  extend?(app: Koa, auth: Auth<User>): void;
  /** More koaAuth options, once the app's URL is known (e.g. routers that need a callback URL). */
  stack?(url: string, auth: Auth<User>): Partial<KoaAuthOptions<User, any>>;
  /** Use this auth instead of one made with testAuthOn. */
  auth?: Auth<User>;
}

/**
 * A full koa-auth app on `db` — koaAuth()'s stack (session, lazy user, CSRF, tRPC auth router,
 * registration open, login throttling 5 per account per minute, a MemoryMailSender) —
 * listening on a free port of 127.0.0.1. `close()` stops it (the database stays).
 */
export async function startTestApp(db: Pick<TestDb, 'knex'>, options: TestAppOptions = {}): Promise<TestApp> {
  const store = options.store ?? new MemoryStore();
  const { auth, counter } = options.auth
    ? { auth: options.auth, counter: undefined as unknown as HashCounter }
    : testAuthOn<User>(db.knex, { store, backends: options.backends ?? [new MixedLoginBackend(), new ModelBackend()] });
  const mailer = new MemoryMailSender();
  const throttle = new LoginThrottle({ store: auth.store, perAccount: { points: 5, durationSeconds: 60, blockSeconds: 60 } });
  // Listen first: stack options may need the URL.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { allowRegistration = true, ...routerOptions } = options.routerOptions ?? {};
  const stack = koaAuth({
    auth,
    allowedHosts: ['127.0.0.1'],
    tokens: new TokenService(auth),
    throttle,
    mailer,
    publicUrl: TEST_PUBLIC_URL,
    // Tests register users through the API; koaAuth's own default (closed) has a test of its own.
    allowRegistration,
    warn: () => undefined,
    ...routerOptions,
    ...options.stack?.(url, auth),
  });
  const tokens = stack.tokens!;
  const app = new Koa();
  app.use(stack.middleware);
  options.extend?.(app, auth);
  server.on('request', app.callback());
  return {
    app,
    auth,
    counter,
    tokens,
    mailer,
    url,
    client: () => new TestClient(url),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
