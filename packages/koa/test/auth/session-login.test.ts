import { ModelBackend, grantUserPermission, ensurePermission, type User } from '@koa-auth/core';
import { countQueries, createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp, type TestClient } from '@koa-auth/koa/testing';
import { loginRequired } from '../../src/guards/login-required.js';
import { permissionRequired } from '../../src/guards/permission-required.js';
import { logout } from '../../src/login/logout.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  db = await createTestDb('koa/session-login');
  store = createTestStore('session-login');
  t = await startTestApp(db, {
    store,
    extend(app) {
      app.use(async (ctx, next) => {
        if (ctx.path === '/note' && ctx.method === 'GET') {
          if (ctx.query.set) ctx.session!.note = String(ctx.query.set);
          ctx.body = { note: ctx.session!.note ?? null };
          return;
        }
        if (ctx.path === '/logout' && ctx.method === 'POST') {
          await logout(ctx);
          ctx.body = { ok: true };
          return;
        }
        if (ctx.path === '/ping') {
          ctx.body = 'pong'; // never asks for the user
          return;
        }
        if (ctx.path === '/private') {
          await loginRequired()(ctx, async () => {
            ctx.body = 'secret';
          });
          return;
        }
        if (ctx.path === '/staff') {
          await permissionRequired('auth.view_user', { raise: true })(ctx, async () => {
            ctx.body = 'staff only';
          });
          return;
        }
        if (ctx.path === '/whoami') {
          const user = await ctx.state.user;
          ctx.body = { id: user.id };
          return;
        }
        return next();
      });
    },
  });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

async function user(username: string, fields: Record<string, unknown> = {}): Promise<User> {
  return t.auth.users.createUser({ username, email: `${username}@example.com`, password: PASSWORD, ...fields });
}

async function loggedIn(identifier: string): Promise<TestClient> {
  const client = t.client();
  const result = await client.mutation('auth.login', { identifier, password: PASSWORD });
  expect(result.status).toBe(200);
  return client;
}

describe('login', () => {
  it('changes the session id at login and kills the old one (session fixation)', async () => {
    await user('alice');
    const client = t.client();
    await client.fetch('/note?set=cart-42');
    const before = client.sessionId();
    expect(before).toBeDefined();
    const result = await client.mutation('auth.login', { identifier: 'alice', password: PASSWORD });
    expect(result.data.username).toBe('alice');
    const after = client.sessionId();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The anonymous visitor's data is kept across the login…
    expect(await (await client.fetch('/note')).json()).toEqual({ note: 'cart-42' });
    // …but the planted id is dead: replaying it is anonymous.
    const attacker = t.client();
    attacker.cookies.set('sessionid', before!);
    attacker.cookies.set('sessionid.sig', client.cookies.get('sessionid.sig')!);
    expect((await attacker.query('auth.me')).data).toBeNull();
  });

  it('flushes the session of another user instead of carrying it over', async () => {
    await user('alice');
    await user('bob');
    const client = await loggedIn('alice');
    await client.fetch('/note?set=alice-secret');
    await client.mutation('auth.login', { identifier: 'bob', password: PASSWORD });
    expect((await client.query('auth.me')).data.username).toBe('bob');
    expect(await (await client.fetch('/note')).json()).toEqual({ note: null });
  });

  it('updates last_login and emits userLoggedIn / userLoggedOut without the password', async () => {
    const alice = await user('alice');
    const events: string[] = [];
    const off1 = t.auth.events.on('userLoggedIn', (p) => void events.push(`in:${p.user.username}:${p.backend}`));
    const off2 = t.auth.events.on('userLoggedOut', (p) => void events.push(`out:${p.user?.username}`));
    const client = await loggedIn('alice@example.com');
    expect((await t.auth.users.getById(alice.id))!.lastLogin).toBeInstanceOf(Date);
    await client.mutation('auth.logout');
    off1();
    off2();
    expect(events).toEqual(['in:alice:MixedLoginBackend', 'out:alice']);
    expect((await client.query('auth.me')).data).toBeNull();
  });

  it('logout() outside tRPC ends the session and marks the answer no-store', async () => {
    await user('alice');
    const client = await loggedIn('alice@example.com');
    const response = await client.fetch('/logout', { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await client.query('auth.me')).data).toBeNull();
  });

  it('answers one generic message for a wrong password and an unknown account', async () => {
    await user('alice');
    const wrong = await t.client().mutation('auth.login', { identifier: 'alice', password: 'nope' });
    const unknown = await t.client().mutation('auth.login', { identifier: 'nobody', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.error!.message).toBe(unknown.error!.message);
  });
});

describe('session validity', () => {
  it('keeps the current session and logs out every other one on password change', async () => {
    await user('alice');
    const laptop = await loggedIn('alice');
    const phone = await loggedIn('alice');
    const change = await laptop.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: 'another good passphrase' });
    expect(change.status).toBe(200);
    expect((await laptop.query('auth.me')).data?.username).toBe('alice');
    expect((await phone.query('auth.me')).data).toBeNull();
    const sessions = await laptop.query('auth.sessions.list');
    expect(sessions.data).toHaveLength(1);
    expect(sessions.data[0].current).toBe(true);
  });

  it('refuses the old password and names the field', async () => {
    await user('alice');
    const client = await loggedIn('alice');
    const result = await client.mutation('auth.changePassword', { oldPassword: 'wrong', newPassword: 'another good passphrase' });
    expect(result.status).toBe(400);
    expect(result.error!.data.fieldErrors!.oldPassword![0]!.code).toBe('password_incorrect');
    const weak = await client.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: '123' });
    expect(Object.keys(weak.error!.data.fieldErrors!)).toEqual(['password']);
  });

  it('logs out a deactivated user', async () => {
    const alice = await user('alice');
    const client = await loggedIn('alice');
    await t.auth.users.updateUser(alice, { isActive: false });
    expect((await client.query('auth.me')).data).toBeNull();
    expect(client.sessionId()).toBeUndefined(); // the session was flushed, cookie cleared
  });

  it('logs out a session whose backend is no longer configured', async () => {
    await user('alice');
    const client = await loggedIn('alice'); // through MixedLoginBackend
    const other = await startTestApp(db, { store, backends: [new ModelBackend()] });
    try {
      const elsewhere = other.client();
      for (const [k, v] of client.cookies) elsewhere.cookies.set(k, v);
      expect((await elsewhere.query('auth.me')).data).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('lists and revokes the user’s own sessions', async () => {
    await user('alice');
    const laptop = await loggedIn('alice');
    const phone = await loggedIn('alice');
    const list = (await laptop.query('auth.sessions.list')).data as { id: string; current: boolean }[];
    expect(list).toHaveLength(2);
    const other = list.find((s) => !s.current)!;
    expect(other.id).not.toContain(phone.sessionId());
    expect((await laptop.mutation('auth.sessions.revoke', { id: other.id })).status).toBe(200);
    expect((await phone.query('auth.me')).data).toBeNull();
    expect((await laptop.mutation('auth.sessions.revoke', { id: 'not-a-session' })).status).toBe(404);
  });
});

describe('the lazy user', () => {
  it('costs no database query and one store read when a request never asks for it', async () => {
    await user('alice');
    const client = await loggedIn('alice');
    const reads = countStoreReads();
    const { queries } = await countQueries(db.knex, async () => {
      expect(await (await client.fetch('/ping')).text()).toBe('pong');
    });
    expect(queries).toHaveLength(0);
    expect(reads.stop()).toBe(1); // koa-session's own load of the session
    const asked = await countQueries(db.knex, async () => {
      expect(((await (await client.fetch('/whoami')).json()) as { id: number }).id).toBeGreaterThan(0);
    });
    expect(asked.queries).toHaveLength(1); // one query: the user row
  });
});

describe('guards on top of the real middleware', () => {
  it('answers 401/403 to API calls and lets the right user through', async () => {
    const anonymous = await t.client().fetch('/private', { headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
    const page = await t.client().fetch('/private?x=1', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fprivate%3Fx%3D1');
    const alice = await user('alice');
    const client = await loggedIn('alice');
    expect(await (await client.fetch('/private')).text()).toBe('secret');
    expect((await client.fetch('/staff', { headers: { accept: 'application/json' } })).status).toBe(403);
    await ensurePermission(db.knex, 'auth.view_user');
    await grantUserPermission(db.knex, alice, 'auth.view_user');
    expect(await (await client.fetch('/staff')).text()).toBe('staff only');
  });
});

describe('permissions through tRPC guards', () => {
  it('is covered in guards tests; here: a granted permission is visible on the next request', async () => {
    const alice = await user('alice');
    await ensurePermission(db.knex, 'auth.view_user');
    await grantUserPermission(db.knex, alice, 'auth.view_user');
    expect(await t.auth.hasPerm((await t.auth.users.getById(alice.id))!, 'auth.view_user')).toBe(true);
  });
});

function countStoreReads() {
  const original = store.get.bind(store);
  let reads = 0;
  store.get = async (key: string) => {
    reads += 1;
    return original(key);
  };
  return {
    stop() {
      store.get = original;
      return reads;
    },
  };
}
