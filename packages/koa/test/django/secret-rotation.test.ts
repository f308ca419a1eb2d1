/**
 * Rotating the secret without logging everyone out (Django's SECRET_KEY_FALLBACKS,
 * tests/auth_tests/test_basic.py test_get_user_fallback_secret): cookies, session auth hashes,
 * JWTs and reset tokens made under a fallback verify; new ones use the current secret.
 */
import { createRequire } from 'node:module';
import { jest } from '@jest/globals';
import { matchSessionAuthHash, MixedLoginBackend, ModelBackend, sessionAuthHash, type User } from '@koa-auth/core';
import { createTestAuth, TEST_SECRET } from '../../../core/test/helpers/test-auth.js';
import { createTestDb, type TestDb } from '../../../core/test/helpers/test-db.js';
import { createTestStore, startTestApp, type TestApp } from '../helpers/test-app.js';
import type { TestClient } from '../helpers/http-client.js';
import { cookieSigningKeys } from '../../src/session/session.js';
import { HASH_SESSION_KEY } from '../../src/session/session-keys.js';
import { TokenService } from '../../src/jwt/token-service.js';

const PASSWORD = 'correct horse battery staple';
const NEW_SECRET = 'the-new-secret-the-new-secret-the-new-secret-0001';
const UNKNOWN_SECRET = 'an-unknown-secret-an-unknown-secret-an-unknown-02';

// The Keygrip that Koa's cookies module signs and verifies with (not a dependency of ours).
const requireFrom = (from: string) => createRequire(from);
const cookiesPath = requireFrom(requireFrom(import.meta.url).resolve('koa')).resolve('cookies');
const Keygrip = requireFrom(cookiesPath)('keygrip') as new (keys: string[]) => { sign(data: string): string; index(data: string, digest: string): number };

let db: TestDb;
let store: ReturnType<typeof createTestStore>;
const apps: TestApp[] = [];

beforeAll(async () => {
  db = await createTestDb('koa/secret-rotation');
  store = createTestStore('secret-rotation');
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await store.close();
  await db.destroy();
});

/** An app instance on the shared database and store, configured with these secrets. */
async function instance(secret: string, secretFallbacks: string[] = []): Promise<TestApp> {
  const { auth } = createTestAuth<User>(db.knex, { store, secret, secretFallbacks, backends: [new MixedLoginBackend(), new ModelBackend()] });
  const app = await startTestApp(db, {
    store,
    auth,
    extend(koa) {
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

/** A client of `to` carrying `from`'s cookies (the browser keeps them across a deploy). */
function carry(from: TestClient, to: TestApp): TestClient {
  const client = to.client();
  for (const [name, value] of from.cookies) client.cookies.set(name, value);
  return client;
}

async function whoami(client: TestClient): Promise<string | null> {
  return ((await (await client.fetch('/whoami')).json()) as { username: string | null }).username;
}

async function storedSession(id: string): Promise<Record<string, unknown> | null> {
  const raw = await store.get(`sess:${id}`);
  return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
}

it('a session made under a fallback secret: cookie verifies, id rotated, hash rewritten, and it survives removing the fallback', async () => {
  const old = await instance(TEST_SECRET);
  await old.auth.users.createUser({ username: 'rotating', password: PASSWORD });
  const browser = old.client();
  expect((await browser.mutation('auth.login', { identifier: 'rotating', password: PASSWORD })).status).toBe(200);
  const oldId = browser.sessionId()!;
  expect(await whoami(browser)).toBe('rotating');

  // Deploy 1: new secret, old one kept as a fallback. The cookie signed with the old key verifies…
  const rotated = await instance(NEW_SECRET, [TEST_SECRET]);
  const client = carry(browser, rotated);
  expect(await whoami(client)).toBe('rotating');
  // …and the session, verified with the fallback, got a new id and the current secret's hash.
  const newId = client.sessionId()!;
  expect(newId).not.toBe(oldId);
  expect(await storedSession(oldId)).toBeNull();
  const user = (await rotated.auth.users.getByNaturalKey('rotating'))!;
  expect((await storedSession(newId))?.[HASH_SESSION_KEY]).toBe(sessionAuthHash(user.password, NEW_SECRET));
  // The next request is on the current secret already: no further rotation.
  expect(await whoami(client)).toBe('rotating');
  expect(client.sessionId()).toBe(newId);

  // Deploy 2: the fallback is removed. The session still resolves to the user.
  const current = await instance(NEW_SECRET);
  expect(await whoami(carry(client, current))).toBe('rotating');
  // A browser that never came back during deploy 1 is logged out, as Django.
  expect(await whoami(carry(browser, current))).toBeNull();
});

it('a cookie signed with an unknown key is refused, even with a valid session id', async () => {
  const old = await instance(TEST_SECRET);
  await old.auth.users.createUser({ username: 'stranger-cookie', password: PASSWORD });
  const browser = old.client();
  await browser.mutation('auth.login', { identifier: 'stranger-cookie', password: PASSWORD });
  const other = await instance(UNKNOWN_SECRET, [NEW_SECRET]);
  expect(await whoami(carry(browser, other))).toBeNull();
});

it('cookie keys: the current key signs and is tried first; each key tried costs the same, and the search stops at a match', () => {
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const current = new Keygrip(cookieSigningKeys([NEW_SECRET]));
  const fallback = new Keygrip(cookieSigningKeys([TEST_SECRET]));
  const rotated = new Keygrip(cookieSigningKeys([NEW_SECRET, TEST_SECRET, UNKNOWN_SECRET]));
  expect(rotated.sign('sessionid=abc')).toBe(current.sign('sessionid=abc'));
  const signedCurrent = current.sign('sessionid=abc');
  const signedFallback = fallback.sign('sessionid=abc');
  const spy = jest.spyOn(crypto, 'createHmac');
  const hmacs = (digest: string): [number, number] => {
    spy.mockClear();
    const index = rotated.index('sessionid=abc', digest);
    return [index, spy.mock.calls.length];
  };
  try {
    const [atCurrent, oneKey] = hmacs(signedCurrent);
    expect(atCurrent).toBe(0);
    expect(oneKey).toBeGreaterThan(0);
    expect(hmacs(signedFallback)).toEqual([1, 2 * oneKey]);
    expect(hmacs('forged')).toEqual([-1, 3 * oneKey]);
  } finally {
    spy.mockRestore();
  }
});

it('session auth hash: the current secret is tried first and the search stops at the first match', () => {
  const passwordHash = 'scrypt-kdf$example';
  const secrets = [NEW_SECRET, TEST_SECRET, UNKNOWN_SECRET];
  const read: string[] = [];
  // Records which secrets are looked at (each costs one HMAC).
  const watched = new Proxy(secrets, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) read.push(key);
      return Reflect.get(target, key, receiver);
    },
  });
  expect(matchSessionAuthHash(sessionAuthHash(passwordHash, NEW_SECRET), passwordHash, watched)).toBe(0);
  expect(read).toEqual(['0']);
  read.length = 0;
  expect(matchSessionAuthHash(sessionAuthHash(passwordHash, TEST_SECRET), passwordHash, watched)).toBe(1);
  expect(read).toEqual(['0', '1']);
  expect(matchSessionAuthHash(sessionAuthHash(passwordHash, TEST_SECRET), passwordHash, [NEW_SECRET])).toBe(-1);
});

it('JWT keys: tokens signed under a fallback verify, new tokens are signed with the current secret', async () => {
  const oldAuth = createTestAuth<User>(db.knex, { store, secret: TEST_SECRET }).auth;
  const user = await oldAuth.users.createUser({ username: 'jwt-rotation', password: PASSWORD });
  const prefix = `jwt-rotation:${Date.now()}:`;
  const oldTokens = new TokenService(oldAuth, { keyPrefix: prefix });
  const rotatedTokens = new TokenService(createTestAuth<User>(db.knex, { store, secret: NEW_SECRET, secretFallbacks: [TEST_SECRET] }).auth, { keyPrefix: prefix });
  const currentOnly = new TokenService(createTestAuth<User>(db.knex, { store, secret: NEW_SECRET }).auth, { keyPrefix: prefix });

  const oldPair = await oldTokens.issue(user);
  await expect(rotatedTokens.verifyAccess(oldPair.accessToken)).resolves.toMatchObject({ userId: String(user.id) });
  await expect(currentOnly.verifyAccess(oldPair.accessToken)).rejects.toThrow();
  const newPair = await rotatedTokens.issue(user);
  await expect(currentOnly.verifyAccess(newPair.accessToken)).resolves.toMatchObject({ userId: String(user.id) });
  await expect(oldTokens.verifyAccess(newPair.accessToken)).rejects.toThrow();
});

it('reset tokens: made under a fallback verify, new ones are made with the current secret', async () => {
  const oldAuth = createTestAuth<User>(db.knex, { store, secret: TEST_SECRET }).auth;
  const rotatedAuth = createTestAuth<User>(db.knex, { store, secret: NEW_SECRET, secretFallbacks: [TEST_SECRET] }).auth;
  const currentOnly = createTestAuth<User>(db.knex, { store, secret: NEW_SECRET }).auth;
  const user = await oldAuth.users.createUser({ username: 'reset-rotation', password: PASSWORD });
  const oldToken = oldAuth.passwordResetTokens.makeToken(user);
  expect(rotatedAuth.passwordResetTokens.checkToken(user, oldToken)).toBe(true);
  expect(currentOnly.passwordResetTokens.checkToken(user, oldToken)).toBe(false);
  const newToken = rotatedAuth.passwordResetTokens.makeToken(user);
  expect(currentOnly.passwordResetTokens.checkToken(user, newToken)).toBe(true);
  expect(oldAuth.passwordResetTokens.checkToken(user, newToken)).toBe(false);
});
