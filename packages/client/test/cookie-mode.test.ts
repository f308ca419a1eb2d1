import type { TestAppRouter } from './support/app-router.js';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { AuthClientError, createAuthClient, fieldError, isFieldError, isThrottled, isUnauthorized, toAuthClientError, type AuthClient } from '../src/index.js';
import { cookieJarFetch } from './support/cookie-jar-fetch.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;
let n = 0;

beforeAll(async () => {
  db = await createTestDb('client/cookie-mode');
  store = createTestStore('client-cookie-mode');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});

/** A cookie-mode client with its own cookie jar, like one browser. */
function browser(): { client: AuthClient<TestAppRouter>; cookies: Map<string, string> } {
  const jar = cookieJarFetch();
  return { client: createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'cookie', fetch: jar.fetch }), cookies: jar.cookies };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('cookie mode', () => {
  it('registers, sees itself, logs out, and is anonymous again', async () => {
    const { client, cookies } = browser();
    const username = `cookie${++n}`;
    const registered = await client.auth.register.mutate({ username, password: PASSWORD });
    expect(registered.username).toBe(username);
    expect(cookies.has('sessionid')).toBe(true);

    const me = await client.auth.me.query();
    expect(me?.username).toBe(username);

    await client.logout();
    expect(await client.auth.me.query()).toBeNull();
  });

  it('logs in through the helper and resolves to the user', async () => {
    const username = `cookie${++n}`;
    await t.auth.users.createUser({ username, password: PASSWORD });
    const { client } = browser();
    const user = await client.login({ identifier: username, password: PASSWORD });
    expect(user.username).toBe(username);
    expect((await client.auth.me.query())?.username).toBe(username);
  });

  it('rejects a wrong password with a typed unauthorized error', async () => {
    const username = `cookie${++n}`;
    await t.auth.users.createUser({ username, password: PASSWORD });
    const { client } = browser();
    const error = await rejection(client.auth.login.mutate({ identifier: username, password: 'wrong password' }));
    expect(error).toBeInstanceOf(AuthClientError);
    expect(isUnauthorized(error)).toBe(true);
    const e = error as AuthClientError;
    expect(e.status).toBe(401);
    expect(e.reason).toBe('invalid_credentials');
    // Still a TRPCClientError underneath.
    expect(e.data?.code).toBe('UNAUTHORIZED');

    const viaHelper = await rejection(client.login({ identifier: username, password: 'wrong password' }));
    expect(isUnauthorized(viaHelper)).toBe(true);
  });

  it('reports refused registrations field by field', async () => {
    const { client } = browser();
    const error = await rejection(client.auth.register.mutate({ username: `cookie${++n}`, password: '1' }));
    expect(isFieldError(error, 'password')).toBe(true);
    expect(fieldError(error, 'password')).toEqual(expect.any(String));
    const e = toAuthClientError(error);
    expect(e.code).toBe('validation');
    expect(e.status).toBe(400);
    expect(e.fieldErrors?.password?.[0]?.code).toEqual(expect.any(String));
    expect(isFieldError(error, 'username')).toBe(false);
  });

  it('reports input the schema refuses as field errors too', async () => {
    const { client } = browser();
    const error = await rejection(client.auth.login.mutate({ identifier: '', password: PASSWORD }));
    expect(isFieldError(error, 'identifier')).toBe(true);
  });

  it('gives throttled errors the seconds to wait', async () => {
    const username = `cookie${++n}`;
    await t.auth.users.createUser({ username, password: PASSWORD });
    const { client } = browser();
    let error: unknown;
    for (let i = 0; i < 10 && !isThrottled(error); i++) {
      error = await rejection(client.auth.login.mutate({ identifier: username, password: 'wrong password' }));
    }
    expect(isThrottled(error)).toBe(true);
    const e = error as AuthClientError;
    expect(e.status).toBe(429);
    expect(e.retryAfter).toBeGreaterThan(0);
  });

  it('reports an unreachable server as a network error', async () => {
    const client = createAuthClient<TestAppRouter>({ url: 'http://127.0.0.1:9/trpc', mode: 'cookie' });
    const error = await rejection(client.auth.me.query());
    expect(toAuthClientError(error).code).toBe('network');
    expect((error as AuthClientError).status).toBe(0);
  });

  it('refuses a relative URL outside browsers', () => {
    expect(() => createAuthClient<TestAppRouter>({ mode: 'cookie' })).toThrow(/absolute/);
  });
});
