import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  db = await createTestDb('koa/api-security');
  store = createTestStore('api-security');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

let n = 0;
async function makeUser(): Promise<string> {
  const username = `user${++n}`;
  await t.auth.users.createUser({ username, password: PASSWORD });
  return username;
}

describe('CSRF', () => {
  it('refuses a cross-site cookie-authenticated mutation and accepts a same-origin one', async () => {
    const username = await makeUser();
    const client = t.client();
    expect((await client.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
    const crossSite = await client.mutation('auth.logout', undefined, { headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect((await client.query('auth.me')).data?.username).toBe(username);
    const fetchMetadata = await client.mutation('auth.logout', undefined, { headers: { origin: t.url, 'sec-fetch-site': 'cross-site' } });
    expect(fetchMetadata.status).toBe(403);
    expect((await client.mutation('auth.logout')).status).toBe(200);
    expect((await client.query('auth.me')).data).toBeNull();
  });

  it('protects the login mutation itself (login CSRF)', async () => {
    const username = await makeUser();
    const result = await t.client().mutation('auth.login', { identifier: username, password: PASSWORD }, { headers: { origin: 'https://evil.example' } });
    expect(result.status).toBe(403);
  });

  it('asks old browsers (no Origin, no Fetch-Metadata) for the token, and accepts it', async () => {
    const username = await makeUser();
    const client = t.client();
    await client.mutation('auth.login', { identifier: username, password: PASSWORD });
    const token = client.cookies.get('csrftoken');
    expect(token).toBeDefined();
    const bare = { origin: '' };
    const refused = await client.fetch('/trpc/auth.logout', { method: 'POST', headers: { ...bare, 'content-type': 'application/json' } });
    expect(refused.status).toBe(403);
    const accepted = await client.fetch('/trpc/auth.logout', {
      method: 'POST',
      headers: { ...bare, 'content-type': 'application/json', 'x-csrf-token': token! },
    });
    expect(accepted.status).toBe(200);
  });

  it('exempts bearer-token requests, which carry no ambient credentials', async () => {
    const username = await makeUser();
    const pair = (await t.client().mutation('auth.token', { identifier: username, password: PASSWORD })).data;
    const api = t.client();
    const result = await api.mutation('auth.logout', undefined, {
      headers: { authorization: `Bearer ${pair.accessToken}`, origin: 'https://elsewhere.example' },
    });
    expect(result.status).toBe(200);
  });

  it('never answers a mutation to GET (login and logout are POST only)', async () => {
    const client = t.client();
    const get = await client.fetch(`/trpc/auth.login?input=${encodeURIComponent(JSON.stringify({ identifier: 'a', password: 'b' }))}`);
    expect(get.status).toBe(405);
  });
});

describe('throttling', () => {
  it('locks an account after repeated failures and refuses the right password meanwhile', async () => {
    const username = await makeUser();
    for (let i = 0; i < 5; i++) {
      expect((await t.client().mutation('auth.login', { identifier: username, password: `wrong-${i}` })).status).toBe(401);
    }
    const locked = await t.client().mutation('auth.login', { identifier: username, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.error!.data.retryAfter).toBeGreaterThan(0);
    // Also through the bearer-token endpoint.
    expect((await t.client().mutation('auth.token', { identifier: username, password: PASSWORD })).status).toBe(429);
  });

  it('counts every spelling of one phone number against the same account', async () => {
    const username = await makeUser();
    const user = (await t.auth.users.getByNaturalKey(username))!;
    await t.auth.users.updateUser(user, { phone: '13800138123' });
    const spellings = ['13800138123', '138 0013 8123', '+86 138-0013-8123', '+8613800138123', '138-0013-8123'];
    for (const identifier of spellings) {
      expect((await t.client().mutation('auth.login', { identifier, password: 'wrong' })).status).toBe(401);
    }
    expect((await t.client().mutation('auth.login', { identifier: '(+86) 13800138123', password: PASSWORD })).status).toBe(429);
  });
});

describe('tokens', () => {
  it('authenticates bearer requests, and logout revokes the token at once', async () => {
    const username = await makeUser();
    const pair = (await t.client().mutation('auth.token', { identifier: username, password: PASSWORD, device: 'phone' })).data;
    expect(pair.tokenType).toBe('Bearer');
    const api = t.client();
    api.headers.authorization = `Bearer ${pair.accessToken}`;
    expect((await api.query('auth.me')).data.username).toBe(username);
    expect((await api.mutation('auth.logout')).status).toBe(200);
    const after = await api.query('auth.me');
    expect(after.status).toBe(401);
    expect((await t.client().mutation('auth.refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
  });

  it('rotates refresh tokens and revokes the family when an old one is reused', async () => {
    const username = await makeUser();
    const first = (await t.client().mutation('auth.token', { identifier: username, password: PASSWORD })).data;
    const second = (await t.client().mutation('auth.refresh', { refreshToken: first.refreshToken })).data;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reuse = await t.client().mutation('auth.refresh', { refreshToken: first.refreshToken });
    expect(reuse.status).toBe(401);
    // The thief's reuse killed the whole family, including the legitimate newer pair.
    expect((await t.client().mutation('auth.refresh', { refreshToken: second.refreshToken })).status).toBe(401);
    const api = t.client();
    api.headers.authorization = `Bearer ${second.accessToken}`;
    expect((await api.query('auth.me')).status).toBe(401);
  });

  it('revokes every token of the user on password change', async () => {
    const username = await makeUser();
    const pair = (await t.client().mutation('auth.token', { identifier: username, password: PASSWORD })).data;
    const browser = t.client();
    await browser.mutation('auth.login', { identifier: username, password: PASSWORD });
    expect((await browser.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: 'a different passphrase' })).status).toBe(200);
    const api = t.client();
    api.headers.authorization = `Bearer ${pair.accessToken}`;
    expect((await api.query('auth.me')).status).toBe(401);
  });
});

describe('bad input never becomes a 500', () => {
  const cases: [string, () => Promise<Response>][] = [
    ['a malformed session cookie', () => fetch(`${t.url}/trpc/auth.me`, { headers: { cookie: 'sessionid=%%%; sessionid.sig=zzz' } })],
    ['a forged session id', () => fetch(`${t.url}/trpc/auth.me`, { headers: { cookie: `sessionid=${'A'.repeat(43)}; sessionid.sig=abc` } })],
    ['a forged bearer token', () => fetch(`${t.url}/trpc/auth.me`, { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.' } })],
    ['a garbage Authorization header', () => fetch(`${t.url}/trpc/auth.me`, { headers: { authorization: 'Bearer' } })],
    ['a wrong content type', () => fetch(`${t.url}/trpc/auth.login`, { method: 'POST', headers: { origin: t.url, 'content-type': 'text/xml' }, body: '<a/>' })],
    [
      'invalid JSON',
      () => fetch(`${t.url}/trpc/auth.login`, { method: 'POST', headers: { origin: t.url, 'content-type': 'application/json' }, body: '{"identifier":' }),
    ],
    [
      'wrong input types',
      () =>
        fetch(`${t.url}/trpc/auth.login`, {
          method: 'POST',
          headers: { origin: t.url, 'content-type': 'application/json' },
          body: '{"identifier":42,"password":[]}',
        }),
    ],
    [
      'an oversized body',
      () =>
        fetch(`${t.url}/trpc/auth.login`, {
          method: 'POST',
          headers: { origin: t.url, 'content-type': 'application/json' },
          body: JSON.stringify({ identifier: 'a', password: 'x'.repeat(2 * 1024 * 1024) }),
        }),
    ],
    ['an unknown procedure', () => fetch(`${t.url}/trpc/auth.nothing`)],
    [
      'a 10 MB identifier under the limit of the JSON parser',
      () =>
        fetch(`${t.url}/trpc/auth.login`, {
          method: 'POST',
          headers: { origin: t.url, 'content-type': 'application/json' },
          body: JSON.stringify({ identifier: 'é'.repeat(400_000), password: 'x' }),
        }),
    ],
  ];
  it.each(cases)('answers 4xx (or anonymous 200) to %s', async (label, send) => {
    const response = await send();
    // A bad session cookie is simply no session: the request is anonymous, not an error.
    if (label.includes('session')) expect(response.status).toBe(200);
    else expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/); // no stack traces
  });

  it('names the field of a registration error', async () => {
    const result = await t.client().mutation('auth.register', { username: 'bad name', password: PASSWORD, email: 'not-mail' });
    expect(result.status).toBe(400);
    expect(Object.keys(result.error!.data.fieldErrors!).sort()).toEqual(['email', 'username']);
  });
});
