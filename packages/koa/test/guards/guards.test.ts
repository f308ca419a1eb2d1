import { ensurePermission, grantUserPermission, type Auth, type User } from '@koa-auth/core';
import { request } from 'node:http';
import Koa, { type Middleware } from 'koa';
import { createTestAuth, type TestAuth } from '@koa-auth/core/testing';
import { authErrorHandler } from '../../src/guards/error-handler.js';
import { loginRequired } from '../../src/guards/login-required.js';
import { permissionRequired } from '../../src/guards/permission-required.js';
import { userPassesTest } from '../../src/guards/user-passes-test.js';
import { serve, type Served } from '../support/serve.js';
import { standInAuth, TEST_USER_HEADER } from '../support/stand-in-auth.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let testAuth: TestAuth;
let auth: Auth<User>;
let server: Served;
let plain: User;
let editor: User;
let superuser: User;
let staff: User;
let inactive: User;

/** GET `path` as `user` (anonymous when omitted) with the given Accept and extra headers. */
function get(path: string, user?: User, headers: Record<string, string> = {}): Promise<Response> {
  return server.fetch(path, {
    headers: { accept: HTML, ...(user ? { [TEST_USER_HEADER]: String(user.id) } : {}), ...headers },
  });
}

/** `guard` on `path`; the handler answers 200 `{ ok: true }`. */
function route(path: string, guard: Middleware): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    await guard(ctx, async () => {
      ctx.body = { ok: true };
    });
  };
}

beforeAll(async () => {
  testAuth = await createTestAuth({ name: 'koa/guards' });
  auth = testAuth.auth;
  const { knex } = testAuth;
  const make = (username: string, fields: Record<string, unknown> = {}) => auth.users.createUser({ username, ...fields }, { skipPasswordValidation: true });
  plain = await make('plain');
  editor = await make('editor');
  staff = await make('staff', { isStaff: true });
  inactive = await make('inactive', { isActive: false });
  superuser = await auth.users.createSuperuser({ username: 'root' }, { skipPasswordValidation: true });
  await ensurePermission(knex, 'blog.publish_post');
  await ensurePermission(knex, 'blog.delete_post');
  await grantUserPermission(knex, editor, 'blog.publish_post');
  await grantUserPermission(knex, editor, 'blog.delete_post');
  await grantUserPermission(knex, plain, 'blog.delete_post');

  const app = new Koa();
  app.use(authErrorHandler());
  app.use(standInAuth(auth as unknown as Auth));
  app.use(route('/private', loginRequired()));
  app.use(route('/api/private', loginRequired()));
  app.use(route('/trpc/private', loginRequired()));
  app.use(route('/custom-login', loginRequired({ loginUrl: '/accounts/login/?lang=en#form', redirectField: 'return_to' })));
  app.use(route('/no-next', loginRequired({ redirectField: null })));
  app.use(route('/rest/private', loginRequired({ apiPrefixes: ['/rest'] })));
  app.use(route('/publish', permissionRequired('blog.publish_post')));
  app.use(route('/publish-all', permissionRequired(['blog.publish_post', 'blog.delete_post'])));
  app.use(route('/publish-raise', permissionRequired('blog.publish_post', { raise: true })));
  app.use(
    route(
      '/staff',
      userPassesTest((user) => user.isStaff),
    ),
  );
  app.use(
    route(
      '/async-test',
      userPassesTest(async (user, ctx) => user.isAuthenticated && ctx.query.ok === '1'),
    ),
  );
  server = await serve(app);
});

afterAll(async () => {
  await server?.close();
  await testAuth?.close();
});

/** GET with a request target fetch() would normalise away (absolute-form, double slashes). */
function rawGet(base: string, target: string): Promise<{ status: number; location: string | undefined }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, headers: { accept: HTML } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

async function expectLoginRedirect(response: Response, location: string): Promise<void> {
  expect(response.status).toBe(302);
  expect(response.headers.get('location')).toBe(location);
  expect(response.headers.get('vary')).toMatch(/accept/i);
}

async function expectError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
}

describe('loginRequired', () => {
  it('lets logged-in users through', async () => {
    const response = await get('/private', plain);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('redirects an anonymous page load to the login page with the current path and query', async () => {
    await expectLoginRedirect(await get('/private?tab=a%20b&x=1'), `/login?next=${encodeURIComponent('/private?tab=a%20b&x=1')}`);
  });

  it('treats inactive users as anonymous (as the stand-in auth does)', async () => {
    await expectLoginRedirect(await get('/private', inactive), '/login?next=%2Fprivate');
  });

  it("keeps the login URL's own query and fragment and uses the configured field", async () => {
    await expectLoginRedirect(await get('/custom-login?a=1'), `/accounts/login/?lang=en&return_to=${encodeURIComponent('/custom-login?a=1')}#form`);
  });

  it('adds no parameter when redirectField is null', async () => {
    await expectLoginRedirect(await get('/no-next'), '/login');
  });

  it('never puts anything but a same-origin path into next', async () => {
    // A guard on every path; the request targets below are sent raw, as an attacker would.
    const app = new Koa();
    app.use(authErrorHandler());
    app.use(standInAuth(auth as unknown as Auth));
    app.use(loginRequired());
    const local = await serve(app);
    try {
      for (const target of ['//evil.com/private', 'http://evil.com/private', '/..//evil.com']) {
        const response = await rawGet(local.url, target);
        expect([target, response.status, response.location]).toEqual([target, 302, '/login?next=%2F']);
      }
    } finally {
      await local.close();
    }
  });

  it('answers anonymous API calls with 401 JSON and a WWW-Authenticate challenge', async () => {
    for (const [path, headers] of [
      ['/private', { accept: 'application/json' }],
      ['/private', { accept: '*/*' }], // fetch()'s default: not a navigation
      ['/private', { 'x-requested-with': 'XMLHttpRequest' }],
      ['/private', { 'content-type': 'application/json' }],
      ['/private', { 'content-type': 'application/vnd.api+json' }],
      ['/private', { accept: 'application/json, text/html;q=0.5' }],
      ['/api/private', {}],
      ['/trpc/private', {}],
      ['/rest/private', {}],
    ] as const) {
      const response = await get(path, undefined, headers);
      await expectError(response, 401, 'not_authenticated');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('matches API prefixes segment by segment', async () => {
    // With '/ap' as the only API prefix, '/api/private' is a page: '/ap' does not cover '/api'.
    const app = new Koa();
    app.use(authErrorHandler());
    app.use(standInAuth(auth as unknown as Auth));
    app.use(route('/api/private', loginRequired({ apiPrefixes: ['/ap'] })));
    const local = await serve(app);
    try {
      const response = await local.fetch('/api/private', { headers: { accept: HTML } });
      expect(response.status).toBe(302);
    } finally {
      await local.close();
    }
  });
});

describe('permissionRequired', () => {
  it('lets users with the permission, and superusers, through', async () => {
    expect((await get('/publish', editor)).status).toBe(200);
    expect((await get('/publish-all', editor)).status).toBe(200);
    expect((await get('/publish', superuser)).status).toBe(200);
  });

  it('redirects anonymous page loads to the login page without raise', async () => {
    await expectLoginRedirect(await get('/publish'), '/login?next=%2Fpublish');
  });

  it('needs every permission of a list', async () => {
    await expectLoginRedirect(await get('/publish-all', plain), '/login?next=%2Fpublish-all');
    await expectError(await get('/publish-all', plain, { accept: 'application/json' }), 403, 'forbidden');
  });

  it('redirects a logged-in user without the permission to the login page by default (Django)', async () => {
    await expectLoginRedirect(await get('/publish', plain), '/login?next=%2Fpublish');
  });

  it('answers 403 to a logged-in user without the permission when raise is set', async () => {
    const response = await get('/publish-raise', plain);
    await expectError(response, 403, 'forbidden');
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  it('answers API calls with 401 when anonymous and 403 when logged in, whatever raise says', async () => {
    await expectError(await get('/publish', undefined, { accept: 'application/json' }), 401, 'not_authenticated');
    await expectError(await get('/publish', plain, { accept: 'application/json' }), 403, 'forbidden');
    await expectError(await get('/publish-raise', plain, { accept: 'application/json' }), 403, 'forbidden');
  });

  it('refuses to be built without a permission', () => {
    expect(() => permissionRequired([])).toThrow(/at least one/);
    expect(() => permissionRequired(' ')).toThrow(/at least one/);
  });
});

describe('userPassesTest', () => {
  it('runs a synchronous test', async () => {
    expect((await get('/staff', staff)).status).toBe(200);
    await expectLoginRedirect(await get('/staff', plain), '/login?next=%2Fstaff');
    await expectLoginRedirect(await get('/staff'), '/login?next=%2Fstaff');
    await expectError(await get('/staff', plain, { accept: 'application/json' }), 403, 'forbidden');
    await expectError(await get('/staff', undefined, { accept: 'application/json' }), 401, 'not_authenticated');
  });

  it('awaits an asynchronous test that reads the context', async () => {
    expect((await get('/async-test?ok=1', plain)).status).toBe(200);
    await expectLoginRedirect(await get('/async-test?ok=0', plain), `/login?next=${encodeURIComponent('/async-test?ok=0')}`);
  });

  it('fails loudly without authMiddleware', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(route('/private', loginRequired()));
    const local = await serve(app);
    try {
      expect((await local.fetch('/private')).status).toBe(500);
    } finally {
      await local.close();
    }
  });
});
