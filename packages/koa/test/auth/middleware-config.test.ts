import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { ImproperlyConfigured, MixedLoginBackend, ModelBackend, MemoryStore } from '@koa-auth/core';
import { authMiddleware } from '../../src/middleware/auth.js';
import { session } from '../../src/session/session.js';
import { login } from '../../src/login/login.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('koa/middleware-config');
});
afterAll(async () => {
  await db.destroy();
});

async function serve(app: Koa, path = '/'): Promise<{ status: number; error: unknown }> {
  let error: unknown;
  app.on('error', (e) => {
    error = e;
  });
  app.silent = true;
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    return { status: response.status, error };
  } finally {
    server.close();
  }
}

it('fails clearly when the session middleware is missing', async () => {
  const { auth } = testAuthOn(db.knex, { store: new MemoryStore() });
  const app = new Koa();
  app.use(authMiddleware(auth));
  app.use((ctx) => {
    ctx.body = 'unreachable';
  });
  const { status, error } = await serve(app);
  expect(status).toBe(500);
  expect(error).toBeInstanceOf(ImproperlyConfigured);
  expect((error as Error).message).toMatch(/session\(\{ auth \}\)/);
});

it('refuses to guess the backend of login() when several are configured', async () => {
  const { auth } = testAuthOn(db.knex, { store: new MemoryStore(), backends: [new MixedLoginBackend(), new ModelBackend()] });
  const user = await auth.users.createUser({ username: 'someone' });
  const app = new Koa();
  app.use(session({ auth }));
  app.use(authMiddleware(auth));
  app.use(async (ctx) => {
    await login(ctx, user); // loaded by id, not by authenticate(): no backend recorded on it
  });
  const { error } = await serve(app);
  expect(error).toBeInstanceOf(ImproperlyConfigured);
  expect((error as Error).message).toMatch(/Several authentication backends/);
});

it('makes the user lazy: nothing is resolved until asked, and the promise is memoised', async () => {
  const { auth } = testAuthOn(db.knex, { store: new MemoryStore() });
  const app = new Koa();
  let calls = 0;
  app.use(session({ auth }));
  app.use(
    authMiddleware(auth, {
      authenticators: [
        {
          name: 'counting',
          async authenticate() {
            calls += 1;
            return null;
          },
        },
      ],
    }),
  );
  app.use(async (ctx) => {
    if (ctx.path === '/ask') {
      const [a, b] = await Promise.all([ctx.state.user, ctx.state.getUser()]);
      ctx.body = String(a === b && a.isAuthenticated === false);
    } else ctx.body = 'no';
  });
  await serve(app, '/skip');
  expect(calls).toBe(0);
  await serve(app, '/ask');
  expect(calls).toBe(1);
});
