/**
 * Django's RemoteUserMiddleware / PersistentRemoteUserMiddleware behaviours
 * (tests/auth_tests/test_remote_user.py), driven through real HTTP requests.
 */
import Koa from 'koa';
import {
  AllowAllUsersRemoteUserBackend,
  ImproperlyConfigured,
  MixedLoginBackend,
  ModelBackend,
  RemoteUserBackend,
  type AuthBackend,
  type User,
} from '@koa-auth/core';
import { createTestDb, type TestDb, createTestStore, testAuthOn } from '@koa-auth/core/testing';
import { startTestApp, type TestApp, type TestClient } from '@koa-auth/koa/testing';
import { persistentRemoteUserMiddleware, remoteUserMiddleware, type RemoteUserOptions } from '../../src/middleware/remote-user.js';
import { session } from '../../src/session/session.js';
import { authMiddleware } from '../../src/middleware/auth.js';
import { authErrorHandler } from '../../src/guards/error-handler.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
const apps: TestApp[] = [];

beforeAll(async () => {
  db = await createTestDb('koa/remote-user');
  store = createTestStore('remote-user');
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await store.close();
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

interface Setup {
  backend?: AuthBackend<any, User>;
  persistent?: boolean;
  middleware?: false;
  options?: RemoteUserOptions;
}

async function start(setup: Setup = {}): Promise<TestApp> {
  const remote = setup.backend ?? new RemoteUserBackend<User>();
  const app = await startTestApp(db, {
    store,
    backends: [new MixedLoginBackend(), new ModelBackend(), remote],
    extend(koa) {
      if (setup.middleware !== false) koa.use((setup.persistent ? persistentRemoteUserMiddleware : remoteUserMiddleware)(setup.options));
      koa.use(async (ctx, next) => {
        if (ctx.path !== '/whoami') return next();
        const user = await ctx.state.user;
        ctx.body = { username: user.isAuthenticated ? user.username : null };
      });
    },
  });
  apps.push(app);
  return app;
}

async function whoami(client: TestClient, remoteUser?: string, header = 'x-remote-user'): Promise<string | null> {
  const response = await client.fetch('/whoami', { headers: remoteUser === undefined ? {} : { [header]: remoteUser } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { username: string | null }).username;
}

async function userCount(): Promise<number> {
  const row = await db.knex('auth_user').count({ n: '*' }).first();
  return Number(row?.n);
}

describe('remoteUserMiddleware', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await start();
  });

  it('no header or an empty header: anonymous, and no user is created', async () => {
    const client = t.client();
    expect(await whoami(client)).toBeNull();
    expect(await whoami(client, '')).toBeNull();
    expect(await userCount()).toBe(0);
  });

  it('an unknown name is created once and logged in, not created again on the next request', async () => {
    const created: string[] = [];
    const off = t.auth.events.on('userLoggedIn', (p) => void created.push(p.user.username));
    const client = t.client();
    expect(await whoami(client, 'newuser')).toBe('newuser');
    expect(await whoami(client, 'newuser')).toBe('newuser');
    expect(await whoami(client, 'newuser')).toBe('newuser');
    off();
    expect(created).toEqual(['newuser']);
    expect(await userCount()).toBe(1);
    const row = await t.auth.users.getByNaturalKey('newuser');
    expect(t.auth.hashers.isPasswordUsable(row!.password)).toBe(false);
  });

  it('an unknown name sent by many first requests at once is created exactly once', async () => {
    const names = await Promise.all(Array.from({ length: 8 }, () => whoami(t.client(), 'racer')));
    expect(names).toEqual(Array(8).fill('racer'));
    expect(await userCount()).toBe(1);
  });

  it('a known user is logged in and stays logged in through the session', async () => {
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    const client = t.client();
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
    const sessionId = client.sessionId();
    expect(sessionId).toBeDefined();
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
    expect(client.sessionId()).toBe(sessionId);
  });

  it('the header switching to another known user logs the new one in', async () => {
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    await t.auth.users.createUser({ username: 'knownuser2', password: PASSWORD });
    const client = t.client();
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
    const first = client.sessionId();
    expect(await whoami(client, 'knownuser2')).toBe('knownuser2');
    expect(client.sessionId()).not.toBe(first);
    expect(await whoami(client, 'knownuser2')).toBe('knownuser2');
  });

  it('lastLogin is set on the first request of the session only', async () => {
    const user = await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    const past = new Date('2020-01-01T00:00:00Z');
    await db.knex('auth_user').where('id', user.id).update({ last_login: past });
    const client = t.client();
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
    const first = (await t.auth.users.getById(user.id))!.lastLogin!;
    expect(first.getTime()).toBeGreaterThan(past.getTime());
    await db.knex('auth_user').where('id', user.id).update({ last_login: past });
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
    expect((await t.auth.users.getById(user.id))!.lastLogin!.getTime()).toBe(past.getTime());
  });

  it('the header disappearing logs the remote user out', async () => {
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    const client = t.client();
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
    expect(await whoami(client)).toBeNull();
    expect(await whoami(client)).toBeNull();
  });

  it('the header disappearing keeps a user who logged in through another backend', async () => {
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    const client = t.client();
    expect((await client.mutation('auth.login', { identifier: 'knownuser', password: PASSWORD })).status).toBe(200);
    expect(await whoami(client)).toBe('knownuser');
    expect(await whoami(client)).toBe('knownuser');
  });

  it('an inactive user stays anonymous', async () => {
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD, isActive: false });
    expect(await whoami(t.client(), 'knownuser')).toBeNull();
  });

  it('the header is honoured only where the middleware is installed, under its configured name', async () => {
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    const without = await start({ middleware: false });
    expect(await whoami(without.client(), 'knownuser')).toBeNull();
    const custom = await start({ options: { header: 'X-Auth-User' } });
    expect(await whoami(custom.client(), 'knownuser')).toBeNull();
    expect(await whoami(custom.client(), 'knownuser', 'x-auth-user')).toBe('knownuser');
  });
});

describe('RemoteUserBackend options and variants', () => {
  it('createUnknownUser: false leaves an unknown name anonymous and creates nobody', async () => {
    const t = await start({ backend: new RemoteUserBackend<User>({ createUnknownUser: false }) });
    expect(await whoami(t.client(), 'newuser')).toBeNull();
    expect(await userCount()).toBe(0);
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    expect(await whoami(t.client(), 'knownuser')).toBe('knownuser');
  });

  it('the persistent variant keeps the remote user when the header disappears', async () => {
    const t = await start({ persistent: true });
    const client = t.client();
    expect(await whoami(client, 'newuser')).toBe('newuser');
    expect(await whoami(client)).toBe('newuser');
    expect(await whoami(client)).toBe('newuser');
  });

  it('AllowAllUsersRemoteUserBackend logs an inactive user in and keeps the session', async () => {
    const t = await start({ backend: new AllowAllUsersRemoteUserBackend<User>() });
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD, isActive: false });
    const client = t.client();
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
    expect(await whoami(client, 'knownuser')).toBe('knownuser');
  });

  it('cleanUsername and configureUser(created) hooks run as in Django', async () => {
    const calls: [string, boolean][] = [];
    let t: TestApp | undefined;
    const backend = new RemoteUserBackend<User>({
      cleanUsername: (value) => value.split('@')[0]!,
      async configureUser(_request, user, created) {
        calls.push([user.username, created]);
        await t!.auth.users.updateUser(user as User, created ? { email: 'user@example.com', lastName: user.username } : { lastName: user.username });
      },
    });
    t = await start({ backend });
    await t.auth.users.createUser({ username: 'knownuser', password: PASSWORD });
    const client = t.client();
    expect(await whoami(client, 'newuser@example.com')).toBe('newuser');
    // The cleaned name matches the session's user: no second authentication.
    expect(await whoami(client, 'newuser@example.com')).toBe('newuser');
    expect(await whoami(t.client(), 'knownuser@example.com')).toBe('knownuser');
    expect(calls).toEqual([
      ['newuser', true],
      ['knownuser', false],
    ]);
    const created = (await t.auth.users.getByNaturalKey('newuser'))!;
    expect(created.email).toBe('user@example.com');
    expect(created.lastName).toBe('newuser');
    const known = (await t.auth.users.getByNaturalKey('knownuser'))!;
    expect(known.email).toBeNull();
    expect(known.lastName).toBe('knownuser');
  });

  it('refuses to run without a RemoteUserBackend configured', async () => {
    const { auth } = testAuthOn(db.knex, { store: store, backends: [new ModelBackend()] });
    const app = new Koa();
    app.use(authErrorHandler());
    app.use(session({ auth }));
    app.use(authMiddleware(auth));
    const middleware = remoteUserMiddleware();
    let error: unknown;
    app.use(async (ctx, next) => {
      try {
        await middleware(ctx, next);
      } catch (e) {
        error = e;
        ctx.body = 'caught';
      }
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-remote-user': 'x' } });
    await new Promise((resolve) => server.close(resolve));
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect(() => remoteUserMiddleware({ header: 'bad header' })).toThrow(ImproperlyConfigured);
  });
});
