/**
 * Guards answering 403 to everyone (Django's raise_exception with permission_denied_message)
 * and update_session_auth_hash called for another user than the session's.
 */
import { ensurePermission, grantUserPermission, MixedLoginBackend, ModelBackend } from '@koa-auth/core';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp, type TestClient } from '@koa-auth/koa/testing';
import { loginRequired } from '../../src/guards/login-required.js';
import { permissionRequired } from '../../src/guards/permission-required.js';
import { userPassesTest } from '../../src/guards/user-passes-test.js';
import { updateSessionAuthHash } from '../../src/login/update-session-auth-hash.js';
import { HASH_SESSION_KEY } from '../../src/session/session-keys.js';

const PASSWORD = 'correct horse battery staple';
const HTML = 'text/html,application/xhtml+xml';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;

beforeAll(async () => {
  db = await createTestDb('koa/django-guards-session-hash');
  store = createTestStore('django-guards-session-hash');
  t = await startTestApp(db, {
    store,
    backends: [new MixedLoginBackend(), new ModelBackend()],
    extend(app, auth) {
      const routes: Record<string, ReturnType<typeof loginRequired>> = {
        '/editors': permissionRequired('blog.publish_post', { raise: true, message: 'Editors only.' }),
        '/members': loginRequired({ raise: true, message: 'Members only.' }),
        '/staff': userPassesTest((user) => user.isStaff, { raise: true }),
        '/plain': permissionRequired('blog.publish_post'),
      };
      app.use(async (ctx, next) => {
        const guard = routes[ctx.path];
        if (guard) {
          await guard(ctx, async () => {
            ctx.body = 'welcome';
          });
          return;
        }
        if (ctx.path === '/admin/set-password' && ctx.method === 'POST') {
          // An admin changes another user's password, then keeps their own session going.
          const target = (await auth.users.getByNaturalKey(String(ctx.query.username)))!;
          await auth.users.setPassword(target, 'a brand new passphrase');
          await updateSessionAuthHash(ctx, target);
          ctx.body = 'ok';
          return;
        }
        if (ctx.path === '/whoami') {
          const user = await ctx.state.user;
          ctx.body = { username: user.isAuthenticated ? user.username : null };
          return;
        }
        return next();
      });
    },
  });
  await ensurePermission(db.knex, 'blog.publish_post');
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});

async function loggedIn(username: string): Promise<TestClient> {
  const client = t.client();
  expect((await client.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
  return client;
}

async function expectForbidden(client: TestClient, path: string, accept: string, message: string): Promise<void> {
  const response = await client.fetch(path, { headers: { accept } });
  expect([path, accept, response.status, response.headers.get('location')]).toEqual([path, accept, 403, null]);
  expect(((await response.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'forbidden', message });
}

describe('guards with raise: true', () => {
  beforeAll(async () => {
    await t.auth.users.createUser({ username: 'reader', password: PASSWORD });
    const editor = await t.auth.users.createUser({ username: 'editor', password: PASSWORD });
    await grantUserPermission(db.knex, editor, 'blog.publish_post');
  });

  it('answer 403 with the custom message to anonymous users too, on page loads and API calls', async () => {
    const anonymous = t.client();
    for (const accept of [HTML, 'application/json']) {
      await expectForbidden(anonymous, '/editors', accept, 'Editors only.');
      await expectForbidden(anonymous, '/members', accept, 'Members only.');
      await expectForbidden(anonymous, '/staff', accept, 'You do not have permission to perform this action.');
    }
  });

  it('answer 403 with the custom message to logged-in users lacking the permission, and let holders through', async () => {
    const reader = await loggedIn('reader');
    await expectForbidden(reader, '/editors', HTML, 'Editors only.');
    await expectForbidden(reader, '/editors', 'application/json', 'Editors only.');
    expect(await (await reader.fetch('/members', { headers: { accept: HTML } })).text()).toBe('welcome');
    const editor = await loggedIn('editor');
    expect(await (await editor.fetch('/editors', { headers: { accept: HTML } })).text()).toBe('welcome');
  });

  it('without raise, anonymous page loads are still redirected to the login page', async () => {
    const response = await t.client().fetch('/plain', { headers: { accept: HTML } });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/login?next=%2Fplain');
  });
});

describe('updateSessionAuthHash(ctx, otherUser)', () => {
  it("rotates the session id without replacing the stored hash; the other user's sessions end", async () => {
    await t.auth.users.createUser({ username: 'admin-user', password: PASSWORD, isStaff: true });
    await t.auth.users.createUser({ username: 'target-user', password: PASSWORD });
    const admin = await loggedIn('admin-user');
    const target = await loggedIn('target-user');
    const adminId = admin.sessionId()!;
    const hashBefore = JSON.parse((await store.get(`sess:${adminId}`))!)[HASH_SESSION_KEY];

    // TestClient sends the site's Origin on POST: CSRF protection lets it through.
    const response = await admin.fetch('/admin/set-password?username=target-user', { method: 'POST' });
    expect(response.status).toBe(200);
    const newId = admin.sessionId()!;
    expect(newId).not.toBe(adminId);
    expect(await store.get(`sess:${adminId}`)).toBeNull();
    expect(JSON.parse((await store.get(`sess:${newId}`))!)[HASH_SESSION_KEY]).toBe(hashBefore);
    expect(await (await admin.fetch('/whoami')).json()).toEqual({ username: 'admin-user' });
    expect(await (await target.fetch('/whoami')).json()).toEqual({ username: null });
  });
});
