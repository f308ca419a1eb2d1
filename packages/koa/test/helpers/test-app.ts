import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import {
  ModelBackend,
  MixedLoginBackend,
  MemoryMailSender,
  MemoryStore,
  RedisStore,
  type Auth,
  type AuthBackend,
  type KeyValueStore,
  type User,
} from '@koa-auth/core';
import { type AuthRouterOptions } from '../../src/trpc/auth-router.js';
import { koaAuth } from '../../src/stack/koa-auth.js';
import type { KoaAuthOptions } from '../../src/stack/koa-auth-options.js';
import { TokenService } from '../../src/jwt/token-service.js';
import { LoginThrottle } from '../../src/throttle/login-throttle.js';
import { createTestAuth, type HashCounter } from '../../../core/test/helpers/test-auth.js';
import type { TestDb } from '../../../core/test/helpers/test-db.js';
import { TestClient } from './http-client.js';

/** The public origin the test app's reset links are built on. */
export const TEST_PUBLIC_URL = 'https://auth.example.test';

/** The store for a test file: Redis (own prefix) when REDIS_URL is set, else memory. */
export function createTestStore(name: string): KeyValueStore {
  const url = process.env.REDIS_URL;
  if (url) return RedisStore.fromUrl(url, { prefix: `koa-auth-test:${name}:${process.pid}:${Date.now()}:` });
  return new MemoryStore();
}

export interface TestApp {
  app: Koa;
  auth: Auth<User>;
  counter: HashCounter;
  tokens: TokenService<User>;
  mailer: MemoryMailSender;
  url: string;
  client(): TestClient;
  close(): Promise<void>;
}

export interface TestAppOptions {
  store: KeyValueStore;
  backends?: AuthBackend<any, User>[];
  routerOptions?: Partial<AuthRouterOptions>;
  /** Extra routes, mounted after the standard stack (koaAuth). */
  extend?(app: Koa, auth: Auth<User>): void;
  /** More koaAuth options, once the app's URL is known (e.g. routers that need a callback URL). */
  stack?(url: string, auth: Auth<User>): Partial<KoaAuthOptions<User, any>>;
  auth?: Auth<User>;
}

/** A full koa-auth app (session, lazy user, CSRF, tRPC auth router) listening on a free port. */
export async function startTestApp(db: TestDb, options: TestAppOptions): Promise<TestApp> {
  const { auth, counter } = options.auth
    ? { auth: options.auth, counter: undefined as unknown as HashCounter }
    : createTestAuth(db.knex, { store: options.store, backends: options.backends ?? [new MixedLoginBackend(), new ModelBackend()] });
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
    // The API tests register users; koaAuth's own default (closed) has a test of its own.
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
