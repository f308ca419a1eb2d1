import type { TestAppRouter } from './support/app-router.js';
import { jest } from '@jest/globals';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { createAuthClient, isUnauthorized, memoryTokenStorage, type TokenPair } from '../src/index.js';
import { startClientApp, type ClientTestApp } from './support/client-app.js';
import { countingFetch } from './support/counting-fetch.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let t: TestApp;
/** Pairs issued and refreshed with access tokens of 1 s. */
let short: ClientTestApp;
let n = 0;

beforeAll(async () => {
  db = await createTestDb('client/bearer-mode');
  store = createTestStore('client-bearer-mode');
  t = await startTestApp(db, { store });
  short = await startClientApp(db, { store, tokenOptions: { accessTtlSeconds: 1 } });
});
afterAll(async () => {
  await short.close();
  await t.close();
  await store.close();
  await db.destroy();
});

async function newUser(): Promise<string> {
  const username = `bearer${++n}`;
  await t.auth.users.createUser({ username, password: PASSWORD });
  return username;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pair with an access token the server refuses (a 401, as for one that expired on the server's clock) the client believes valid for an hour. */
function refusedAccess(pair: TokenPair): TokenPair {
  const [header, payload, signature = ''] = pair.accessToken.split('.');
  const forged = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  return { ...pair, accessToken: forged, accessExpiresAt: new Date(Date.now() + 3600_000) };
}

describe('bearer mode', () => {
  it('gets a token pair, stores it and is authenticated by it', async () => {
    const username = await newUser();
    const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'bearer' });
    expect(await client.auth.me.query()).toBeNull();

    const pair = await client.auth.token.mutate({ identifier: username, password: PASSWORD });
    expect(pair.tokenType).toBe('Bearer');
    const stored = await client.getTokens();
    expect(stored?.accessToken).toBe(pair.accessToken);
    expect(stored?.accessExpiresAt).toBeInstanceOf(Date);

    expect((await client.auth.me.query())?.username).toBe(username);
  });

  it('logs in through the helper, which resolves to the user', async () => {
    const username = await newUser();
    const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'bearer' });
    const user = await client.login({ identifier: username, password: PASSWORD, device: 'jest' });
    expect(user.username).toBe(username);
    expect(await client.getTokens()).not.toBeNull();
  });

  it('drops the tokens at logout, and the server revokes them', async () => {
    const username = await newUser();
    const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'bearer' });
    await client.login({ identifier: username, password: PASSWORD });
    const pair = (await client.getTokens())!;

    await client.logout();
    expect(await client.getTokens()).toBeNull();
    expect(await client.auth.me.query()).toBeNull();

    // The old access token no longer works, even sent by hand.
    const other = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'bearer', storage: memoryTokenStorage(pair) });
    const error = await other.auth.me.query().catch((e: unknown) => e);
    expect(isUnauthorized(error)).toBe(true);
  });

  it('refreshes an expired access token once for many concurrent calls', async () => {
    const username = await newUser();
    const counter = countingFetch();
    const client = createAuthClient<TestAppRouter>({ url: `${short.url}/trpc`, mode: 'bearer', fetch: counter.fetch });
    await client.login({ identifier: username, password: PASSWORD });
    const before = (await client.getTokens())!;
    await sleep(1100);

    // (Logging in may have refreshed already: the 1 s token can expire within the margin.)
    const refreshes = counter.count('auth.refresh');
    const users = await Promise.all(Array.from({ length: 6 }, () => client.auth.me.query()));
    expect(users.map((u) => u?.username)).toEqual(Array(6).fill(username));
    expect(counter.count('auth.refresh') - refreshes).toBe(1);
    const after = (await client.getTokens())!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });

  it('after a 401, refreshes once for all failed calls and retries each once', async () => {
    const username = await newUser();
    const counter = countingFetch();
    const storage = memoryTokenStorage();
    const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'bearer', fetch: counter.fetch, storage });
    await client.login({ identifier: username, password: PASSWORD });
    await storage.set(refusedAccess((await client.getTokens())!));

    const calls = counter.calls.length;
    const users = await Promise.all(Array.from({ length: 4 }, () => client.auth.me.query()));
    expect(users.map((u) => u?.username)).toEqual(Array(4).fill(username));
    expect(counter.count('auth.refresh')).toBe(1);
    // One batch refused, one refresh, one batch retried.
    expect(counter.calls.length - calls).toBe(3);
  });

  it('drops the tokens and reports the session expired when the server detects refresh-token reuse', async () => {
    const username = await newUser();
    const counter = countingFetch();
    const storage = memoryTokenStorage();
    const expired = jest.fn();
    const client = createAuthClient<TestAppRouter>({ url: `${short.url}/trpc`, mode: 'bearer', fetch: counter.fetch, storage, onSessionExpired: expired });
    const listener = jest.fn();
    client.onSessionExpired(listener);
    await client.login({ identifier: username, password: PASSWORD });
    const stolen: TokenPair = (await client.getTokens())!;
    // Someone else spends the refresh token first: when the client spends it too, the server
    // sees the reuse and revokes the whole family.
    await short.tokens.refresh(stolen.refreshToken);
    await sleep(1100);

    // The access token expired, so the client refreshes first; refused, it calls anonymously.
    const refreshes = counter.count('auth.refresh');
    expect(await client.auth.me.query()).toBeNull();
    expect(await client.getTokens()).toBeNull();
    await sleep(0);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(counter.count('auth.refresh') - refreshes).toBe(1);

    // The thief's pair died with the family.
    await expect(short.tokens.refresh(stolen.refreshToken)).rejects.toThrow();
  });

  it('fails a protected call with 401 when its refresh is refused after the 401', async () => {
    const username = await newUser();
    const storage = memoryTokenStorage();
    const expired = jest.fn();
    const client = createAuthClient<TestAppRouter>({ url: `${t.url}/trpc`, mode: 'bearer', storage, onSessionExpired: expired });
    await client.login({ identifier: username, password: PASSWORD });
    const pair = (await client.getTokens())!;
    await t.tokens.refresh(pair.refreshToken);
    await storage.set(refusedAccess(pair));

    const error = await client.auth.sessions.list.query().catch((e: unknown) => e);
    expect(isUnauthorized(error)).toBe(true);
    expect(await client.getTokens()).toBeNull();
    await sleep(0);
    expect(expired).toHaveBeenCalledTimes(1);
  });
});
