/**
 * The typed client from Node with no hand-written fetch: cookie mode keeps the API's cookies in
 * a jar of its own (Node's fetch keeps none), bearer mode needs nothing at all.
 */
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { createAuthClient } from '../src/index.js';
import { cookieJarFetch } from '../src/links/cookie-jar.js';
import type { AuthOnlyRouter } from './support/app-router.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;
let n = 0;

beforeAll(async () => {
  db = await createTestDb('client/node-client');
  store = createTestStore('client-node-client');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});

async function newUser(): Promise<string> {
  const username = `node${++n}`;
  await t.auth.users.createUser({ username, password: PASSWORD });
  return username;
}

describe('the client from Node, no fetch given', () => {
  it('cookie mode: login, auth.me sees the user, logout ends it', async () => {
    const username = await newUser();
    const client = createAuthClient<AuthOnlyRouter>({ url: `${t.url}/trpc`, mode: 'cookie' });
    const user = await client.login({ identifier: username, password: PASSWORD });
    expect(user.username).toBe(username);
    expect((await client.auth.me.query())?.username).toBe(username);
    await client.logout();
    expect(await client.auth.me.query()).toBeNull();
  });

  it('cookie mode: two clients are two browsers (each has its own jar)', async () => {
    const username = await newUser();
    const a = createAuthClient<AuthOnlyRouter>({ url: `${t.url}/trpc`, mode: 'cookie' });
    const b = createAuthClient<AuthOnlyRouter>({ url: `${t.url}/trpc`, mode: 'cookie' });
    await a.login({ identifier: username, password: PASSWORD });
    expect((await a.auth.me.query())?.username).toBe(username);
    expect(await b.auth.me.query()).toBeNull();
  });

  it('bearer mode: login, auth.me, logout', async () => {
    const username = await newUser();
    const client = createAuthClient<AuthOnlyRouter>({ url: `${t.url}/trpc`, mode: 'bearer' });
    const user = await client.login({ identifier: username, password: PASSWORD });
    expect(user.username).toBe(username);
    expect((await client.auth.me.query())?.username).toBe(username);
    await client.logout();
    expect(await client.getTokens()).toBeNull();
    expect(await client.auth.me.query()).toBeNull();
  });
});

describe('the client cookie jar', () => {
  /** A fake server: answers each request with `setCookies`, recording the Cookie header sent. */
  function fakeServer(setCookies: string[][]) {
    const sent: (string | null)[] = [];
    let i = 0;
    const base = async (_input: string | URL | Request, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get('cookie'));
      const headers = new Headers({ 'content-type': 'application/json' });
      for (const line of setCookies[i++] ?? []) headers.append('set-cookie', line);
      return new Response('{}', { headers });
    };
    return { jar: cookieJarFetch(base), sent };
  }

  it('sends cookies back only to the origin that set them', async () => {
    const { jar, sent } = fakeServer([['sessionid=abc; Path=/; HttpOnly; SameSite=Lax']]);
    await jar.fetch('http://api.test/trpc/auth.login');
    await jar.fetch('http://api.test/trpc/auth.me');
    await jar.fetch('http://other.test/trpc/auth.me');
    await jar.fetch('http://api.test:8080/trpc/auth.me');
    expect(sent).toEqual([null, 'sessionid=abc', null, null]);
  });

  it('deletes on Max-Age=0 or a past Expires, and drops cookies once expired', async () => {
    const { jar, sent } = fakeServer([
      ['a=1', 'b=2', 'c=3; Max-Age=1'],
      ['a=; Max-Age=0', 'b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'],
    ]);
    await jar.fetch('http://api.test/x');
    await jar.fetch('http://api.test/x');
    expect(sent[1]).toBe('a=1; b=2; c=3');
    await jar.fetch('http://api.test/x');
    expect(sent[2]).toBe('c=3');
    const realNow = Date.now;
    Date.now = () => realNow() + 1500;
    try {
      await jar.fetch('http://api.test/x');
    } finally {
      Date.now = realNow;
    }
    expect(sent[3]).toBeNull();
  });

  it('keeps Secure cookies off plain http (except loopback), like a browser', async () => {
    const { jar, sent } = fakeServer([['s=1; Secure'], [], ['s=2; Secure'], []]);
    await jar.fetch('http://api.test/x'); // refused: a non-secure origin cannot set Secure
    await jar.fetch('http://api.test/x');
    await jar.fetch('https://api.test/x');
    await jar.fetch('https://api.test/x');
    expect(sent).toEqual([null, null, null, 's=2']);
    expect(jar.cookies('http://api.test').size).toBe(0);
  });
});
