/**
 * koaAuth(): the standard stack in one call. Each secure default is checked by behaviour (a
 * request that would succeed if the default were off), the order by what each layer needs from
 * the one before, and the start-up warnings line by line.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { ImproperlyConfigured, MixedLoginBackend, type Auth, type User } from '@koa-auth/core';
import { testAuthOn, createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { TestClient } from '@koa-auth/koa/testing';
import { koaAuth } from '../../src/stack/koa-auth.js';
import type { KoaAuthOptions } from '../../src/stack/koa-auth-options.js';
import { protectedProcedure } from '../../src/trpc/procedures.js';
import { router as trpcRouter } from '../../src/trpc/trpc.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let auth: Auth<User>;
const servers: Server[] = [];

beforeAll(async () => {
  db = await createTestDb('koa/koa-auth-stack');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
  // A store per test: throttle counters must not carry over.
  store = createTestStore('koa-auth-stack');
  auth = testAuthOn<User>(db.knex, { store, backends: [new MixedLoginBackend()] }).auth;
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await store.close();
});

const hello = trpcRouter({ hello: protectedProcedure.query(({ ctx }) => `hello ${ctx.user.username}`) });

/** An app made of koaAuth(options) and one route of its own after it; resolves to a client. */
async function start(options: Partial<KoaAuthOptions<User, { app: typeof hello }>> = {}) {
  const warnings: string[] = [];
  const stack = koaAuth<User, { app: typeof hello }>({
    auth,
    allowedHosts: ['127.0.0.1'],
    routers: { app: hello },
    warn: (line) => warnings.push(line),
    ...options,
  });
  const app = new Koa();
  app.use(stack.middleware);
  app.use(async (ctx) => {
    const user = await ctx.state.user;
    ctx.body = { after: true, authenticated: user.isAuthenticated };
  });
  const server = createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new TestClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return { stack, client, warnings };
}

async function makeUser(username = 'alice'): Promise<User> {
  return auth.users.createUser({ username, password: PASSWORD });
}

describe('koaAuth()', () => {
  it("serves auth.* and the app's routers at /trpc, and hands every other request on to the app", async () => {
    await makeUser();
    const { client, warnings } = await start();
    expect(warnings).toEqual([]);
    expect((await client.query('app.hello')).status).toBe(401);
    expect((await client.mutation('auth.login', { identifier: 'alice', password: PASSWORD })).data.username).toBe('alice');
    expect((await client.query('app.hello')).data).toBe('hello alice');
    // The app's own middleware after the stack sees the lazy user of the session.
    expect(await (await client.fetch('/anything')).json()).toEqual({ after: true, authenticated: true });
  });

  it('keeps registration closed unless allowRegistration is true (and then warns)', async () => {
    const closed = await start();
    const refused = await closed.client.mutation('auth.register', { username: 'mallory', password: PASSWORD });
    expect(refused.status).toBe(403);
    expect(await auth.users.getByNaturalKey('mallory')).toBeNull();

    const open = await start({ allowRegistration: true });
    expect(open.warnings).toEqual(['koa-auth: registration is open (allowRegistration: true): anyone can create an account.']);
    expect((await open.client.mutation('auth.register', { username: 'bob', password: PASSWORD })).status).toBe(200);
    expect(await auth.users.getByNaturalKey('bob')).not.toBeNull();
  });

  it('answers private tRPC calls and logout with Cache-Control: no-store, and batches of more than 10 calls with 400', async () => {
    await makeUser('heidi');
    const { client } = await start();
    const login = await client.mutation('auth.login', { identifier: 'heidi', password: PASSWORD });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const me = await client.query('auth.me');
    expect(me.data.username).toBe('heidi');
    expect(me.headers.get('cache-control')).toBe('no-store');
    const batch = await client.fetch(`/trpc/${Array.from({ length: 11 }, () => 'auth.me').join(',')}?batch=1&input=${encodeURIComponent('{}')}`);
    expect(batch.status).toBe(400);
    expect((await client.mutation('auth.logout')).headers.get('cache-control')).toBe('no-store');
  });

  it('throttles logins per account by default: after 5 failures even the right password is refused', async () => {
    await makeUser('carol');
    const { client } = await start();
    for (let i = 0; i < 5; i++) expect((await client.mutation('auth.login', { identifier: 'carol', password: 'wrong' })).status).toBe(401);
    const locked = await client.mutation('auth.login', { identifier: 'carol', password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // auth.token checks credentials under the same throttle.
    expect((await client.mutation('auth.token', { identifier: 'carol', password: PASSWORD })).status).toBe(429);
  });

  it('throttles logins per address by default: 50 failures over many accounts lock the address out', async () => {
    await makeUser('dave');
    const { client } = await start();
    for (let i = 0; i < 50; i++) expect((await client.mutation('auth.login', { identifier: `nobody${i}`, password: 'wrong' })).status).toBe(401);
    expect((await client.mutation('auth.login', { identifier: 'dave', password: PASSWORD })).status).toBe(429);
  });

  it('throttle: false turns throttling off, with a warning', async () => {
    await makeUser('erin');
    const { client, warnings } = await start({ throttle: false });
    expect(warnings).toEqual(['koa-auth: login throttling is off (throttle: false): passwords can be guessed without limit.']);
    for (let i = 0; i < 6; i++) await client.mutation('auth.login', { identifier: 'erin', password: 'wrong' });
    expect((await client.mutation('auth.login', { identifier: 'erin', password: PASSWORD })).status).toBe(200);
  });

  it('serves bearer tokens by default; logout through the token revokes it', async () => {
    await makeUser('frank');
    const { client, stack } = await start();
    expect(stack.tokens).not.toBeNull();
    const pair = await client.mutation('auth.token', { identifier: 'frank', password: PASSWORD });
    expect(pair.status).toBe(200);
    const bearer = { headers: { authorization: `Bearer ${pair.data.accessToken}` } };
    const app = new TestClient(client.baseUrl); // no cookies: the token alone
    expect((await app.query('auth.me', undefined, bearer)).data.username).toBe('frank');
    expect((await app.query('app.hello', undefined, bearer)).data).toBe('hello frank');
    expect((await app.mutation('auth.logout', undefined, bearer)).status).toBe(200);
    expect((await app.query('auth.me', undefined, bearer)).status).toBe(401);
  });

  it('tokens: false serves cookie sessions only', async () => {
    const user = await makeUser('grace');
    const { client, stack } = await start({ tokens: false });
    expect(stack.tokens).toBeNull();
    expect((await client.mutation('auth.token', { identifier: 'grace', password: PASSWORD })).status).toBe(404);
    // A token of another service on the same auth is not looked at: the request is anonymous.
    const other = await koaAuth({ auth, allowedHosts: false, warn: () => undefined }).tokens!.issue(user);
    expect((await client.query('auth.me', undefined, { headers: { authorization: `Bearer ${other.accessToken}` } })).data).toBeNull();
  });

  it('runs CSRF after the session and answers its refusal through the error handler (JSON 403)', async () => {
    await makeUser('heidi');
    const { client } = await start();
    await client.mutation('auth.login', { identifier: 'heidi', password: PASSWORD });
    const response = await client.fetch('/trpc/auth.logout', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    // Unsafe requests to the app's own routes are checked too, before they reach it.
    expect((await client.fetch('/anything', { method: 'POST', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    // Old browsers: the token of the session (set at login) passes.
    const token = client.cookies.get('csrftoken')!;
    const withToken = await client.fetch('/trpc/auth.logout', {
      method: 'POST',
      headers: { origin: '', 'content-type': 'application/json', 'x-csrf-token': token },
    });
    expect(withToken.status).toBe(200);
  });

  it('refuses a Host outside allowedHosts with 400, before a session is read or the app runs', async () => {
    await makeUser('ivan');
    const { client } = await start();
    await client.mutation('auth.login', { identifier: 'ivan', password: PASSWORD });
    // fetch() will not send a forged Host; a raw request does.
    const { request } = await import('node:http');
    const url = new URL(client.baseUrl);
    const answer = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: '/trpc/auth.me', headers: { host: 'evil.example', cookie: client.cookieHeader() } },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'disallowed_host' } });
    expect(answer.headers['set-cookie']).toBeUndefined();
    // The same session with the right Host is served.
    expect((await client.query('auth.me')).data.username).toBe('ivan');
  });

  it('warns once per weakened default, one line each, on console.warn unless told otherwise', async () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const stack = koaAuth({ auth, allowedHosts: ['example.com'] });
      expect(stack.warnings).toEqual([]);
      expect(spy).not.toHaveBeenCalled();
      const weak = koaAuth({
        auth,
        allowedHosts: false,
        throttle: false,
        allowRegistration: true,
        session: { sameSite: 'none' },
        csrf: { exempt: () => false },
      });
      expect(weak.warnings).toHaveLength(5);
      expect(spy.mock.calls).toEqual(weak.warnings.map((line) => [line]));
      for (const line of weak.warnings) expect(line).toMatch(/^koa-auth: [^\n]+$/);
      expect(weak.warnings.join('\n')).toMatch(/allowedHosts[\s\S]*throttle[\s\S]*allowRegistration[\s\S]*sameSite[\s\S]*csrf\.exempt/);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a configuration without allowedHosts, or with a router named auth', () => {
    expect(() => koaAuth({ auth } as unknown as KoaAuthOptions<User, Record<never, never>>)).toThrow(ImproperlyConfigured);
    expect(() => koaAuth({ auth, allowedHosts: ['x'], routers: { auth: hello } })).toThrow(/must not be named "auth"/);
  });
});
