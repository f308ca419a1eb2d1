import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import {
  ModelBackend,
  MixedLoginBackend,
  MemoryStore,
  RedisStore,
  type Auth,
  type AuthBackend,
  type KeyValueStore,
  type User,
} from '@koa-auth/core';
import { authMiddleware } from '../../src/middleware/auth.js';
import { session } from '../../src/session/session.js';
import { csrfProtection } from '../../src/csrf/csrf-protection.js';
import { authErrorHandler } from '../../src/guards/error-handler.js';
import { koaTrpc } from '../../src/trpc/koa-trpc.js';
import { createAuthRouter, type AuthRouterOptions } from '../../src/trpc/auth-router.js';
import { router } from '../../src/trpc/trpc.js';
import { sessionAuthenticator } from '../../src/authenticators/session-authenticator.js';
import { bearerAuthenticator } from '../../src/authenticators/bearer-authenticator.js';
import { TokenService } from '../../src/tokens/token-service.js';
import { LoginThrottle } from '../../src/throttle/login-throttle.js';
import { MemoryMailSender } from '../../src/mail/memory-mail-sender.js';
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
  /** Extra routes, mounted after the auth middleware. */
  extend?(app: Koa, auth: Auth<User>): void;
  auth?: Auth<User>;
}

/** A full koa-auth app (session, lazy user, CSRF, tRPC auth router) listening on a free port. */
export async function startTestApp(db: TestDb, options: TestAppOptions): Promise<TestApp> {
  const { auth, counter } = options.auth
    ? { auth: options.auth, counter: undefined as unknown as HashCounter }
    : createTestAuth(db.knex, { store: options.store, backends: options.backends ?? [new MixedLoginBackend(), new ModelBackend()] });
  const tokens = new TokenService(auth);
  const mailer = new MemoryMailSender();
  const throttle = new LoginThrottle({ store: auth.store, perAccount: { points: 5, durationSeconds: 60, blockSeconds: 60 } });
  const app = new Koa();
  app.use(authErrorHandler());
  app.use(session({ auth }));
  app.use(authMiddleware(auth, { authenticators: [bearerAuthenticator(tokens), sessionAuthenticator()], revoker: tokens }));
  app.use(csrfProtection());
  options.extend?.(app, auth);
  app.use(koaTrpc({ router: router({ auth: createAuthRouter({ throttle, tokens, mailer, publicUrl: TEST_PUBLIC_URL, ...options.routerOptions }) }) }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    auth,
    counter,
    tokens,
    mailer,
    url,
    client: () => new TestClient(url),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
