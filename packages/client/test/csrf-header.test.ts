import type { TestAppRouter } from './support/app-router.js';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { createAuthClient, isForbidden, type AuthClientError } from '../src/index.js';
import { cookieJarFetch } from './support/cookie-jar-fetch.js';

// Old browsers send neither Origin nor Sec-Fetch-Site: the server then wants the session's CSRF
// token in x-csrf-token, which cookie mode copies from the readable `csrftoken` cookie.
const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;
const g = globalThis as { document?: { cookie: string } };

beforeAll(async () => {
  db = await createTestDb('client/csrf-header');
  store = createTestStore('client-csrf-header');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  delete g.document;
  await t.close();
  await store.close();
  await db.destroy();
});

it('echoes the csrftoken cookie of the page in x-csrf-token', async () => {
  await t.auth.users.createUser({ username: 'oldbrowser', password: PASSWORD });
  const jar = cookieJarFetch();
  // A page: document.cookie mirrors the jar (the client only reads it). No Origin is sent then.
  g.document = {
    get cookie() {
      return [...jar.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    },
  };
  // Log in with the koa test client (it sends Origin); login sets the csrftoken cookie.
  const loggedIn = t.client();
  await loggedIn.mutation('auth.login', { identifier: 'oldbrowser', password: PASSWORD });
  for (const [k, v] of loggedIn.cookies) jar.cookies.set(k, v);
  expect(jar.cookies.get('csrftoken')).toBeDefined();

  const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'cookie', fetch: jar.fetch });
  expect((await client.auth.me.query())?.username).toBe('oldbrowser');

  const token = jar.cookies.get('csrftoken')!;
  jar.cookies.set('csrftoken', 'not-the-token');
  const refused = await client.auth.logout.mutate().catch((e: unknown) => e);
  expect(isForbidden(refused)).toBe(true);
  expect((refused as AuthClientError).reason).toBe('csrf_failed');
  jar.cookies.set('csrftoken', token);
  await client.auth.logout.mutate();
  expect(await client.auth.me.query()).toBeNull();
});
