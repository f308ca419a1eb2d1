/**
 * Two app instances behind one load balancer: A and B on two ports, each with its own
 * connections, sharing only the key-value store and the database. With REDIS_URL and
 * DATABASE_URL they share Redis (one connection each, one key prefix) and a MariaDB database
 * (one pool each); without them, one MemoryStore and one SQLite database shared by two Koa apps
 * in this process (still two separate apps, token services and throttles). With the variables
 * set and a service down, the set-up or the first request fails: these tests never skip.
 *
 * A browser's cookies belong to the host, not the port, so one browser talking to A and to B
 * sends the same cookies to both — as behind a load balancer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, type KeyValueStore } from '@koa-auth/core';
import { wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import { TestClient } from '@koa-auth/koa/testing';
import { WEB, startWechatEmulator, type EmulatorHarness } from '../../packages/wechat/test/support/wechat-emulator.js';
import { PASSWORD, startFullApp, type FullApp, type Knex } from '../helpers/full-app.js';

const REDIS_URL = process.env.REDIS_URL;

const DATABASE_URL = process.env.DATABASE_URL;
const MODE = `${REDIS_URL ? 'Redis' : 'one MemoryStore'} + ${DATABASE_URL ? 'MariaDB' : 'one SQLite database'}`;
const NEW_PASSWORD = 'another horse battery staple';

let db: TestDb;
/** B's own connection pool to the same database (MariaDB), or the same knex (SQLite in memory). */
let knexB: Knex;
let stores: TestStores;
let storeA: KeyValueStore;
let storeB: KeyValueStore;
let h: EmulatorHarness;
let a: FullApp;
let b: FullApp;

beforeAll(async () => {
  db = await createTestDb('two-instances/two-instances', wechatMigrations);
  if (db.dialect === 'mysql') {
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${(db.knex.client.config.connection as { database: string }).database}`;
    knexB = createKnex(url.toString());
  } else {
    knexB = db.knex;
  }
  stores = new TestStores('two-instances');
  storeA = stores.open();
  storeB = stores.open();
  // Fails (ServiceUnavailable) right here when REDIS_URL is set and Redis is down.
  await storeA.set('reachable', '1', 10_000);
  expect(await storeB.get('reachable')).toBe('1');
  h = await startWechatEmulator();
  const throttle = { perAccount: { points: 4, durationSeconds: 60, blockSeconds: 60 } };
  a = await startFullApp({ knex: db.knex, store: storeA, emulatorUrl: h.url, throttle });
  b = await startFullApp({ knex: knexB, store: storeB, emulatorUrl: h.url, throttle });
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await h?.running.close();
  await stores?.close();
  if (knexB && knexB !== db?.knex) await knexB.destroy();
  await db?.destroy();
});

/** One browser: a client for A and one for B sharing a single cookie jar. */
function browser(): { onA: TestClient; onB: TestClient } {
  const onA = a.client();
  const onB = b.client();
  Object.defineProperty(onB, 'cookies', { value: onA.cookies });
  return { onA, onB };
}

let n = 0;
async function newUser(): Promise<string> {
  const username = `twin${++n}`;
  await a.auth.users.createUser({ username, password: PASSWORD });
  return username;
}

async function login(client: TestClient, username: string, password = PASSWORD): Promise<void> {
  const result = await client.mutation('auth.login', { identifier: username, password });
  expect(result.status).toBe(200);
}

describe(`two instances sharing ${MODE}`, () => {
  it('runs two separate apps', () => {
    expect(a.url).not.toBe(b.url);
    expect(a.auth).not.toBe(b.auth);
    expect(a.tokens).not.toBe(b.tokens);
    expect(a.throttle).not.toBe(b.throttle);
  });

  it('a session made on A works on B', async () => {
    const username = await newUser();
    const { onA, onB } = browser();
    await login(onA, username);
    expect((await onB.query('auth.me')).data).toMatchObject({ username });
    const sessions = await onB.query('auth.sessions.list');
    expect(sessions.status).toBe(200);
    expect(sessions.data).toHaveLength(1);
  });

  it('logout on A logs out on B (server-side: the old cookie is dead too)', async () => {
    const username = await newUser();
    const { onA, onB } = browser();
    await login(onA, username);
    const oldCookie = onA.cookieHeader();
    expect((await onB.query('auth.me')).data).toMatchObject({ username });
    expect((await onA.mutation('auth.logout')).status).toBe(200);
    expect((await onB.query('auth.me')).data).toBeNull();
    const replay = await new TestClient(b.url).query('auth.me', undefined, { headers: { cookie: oldCookie } });
    expect(replay.data).toBeNull();
  });

  it('a password change on A logs out the other sessions and tokens on B, and keeps its own', async () => {
    const username = await newUser();
    const laptop = browser();
    const phone = browser();
    await login(laptop.onA, username);
    await login(phone.onB, username);
    const pair = (await b.client().mutation('auth.token', { identifier: username, password: PASSWORD })).data as { accessToken: string };
    const bearer = { headers: { authorization: `Bearer ${pair.accessToken}` } };
    expect((await b.client().query('auth.me', undefined, bearer)).data).toMatchObject({ username });

    const changed = await laptop.onA.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status).toBe(200);

    expect((await phone.onB.query('auth.me')).data).toBeNull();
    const revoked = await b.client().query('auth.me', undefined, bearer);
    expect(revoked.data ?? null).toBeNull();
    expect(revoked.status).toBe(401);
    // The session that changed the password stays logged in, on either instance.
    expect((await laptop.onB.query('auth.me')).data).toMatchObject({ username });
    await login(phone.onB, username, NEW_PASSWORD);
  });

  it('a JWT revoked on A is refused by B at once', async () => {
    const username = await newUser();
    const pair = (await a.client().mutation('auth.token', { identifier: username, password: PASSWORD })).data as { accessToken: string; refreshToken: string };
    const bearer = { headers: { authorization: `Bearer ${pair.accessToken}` } };
    expect((await b.client().query('auth.me', undefined, bearer)).data).toMatchObject({ username });
    // Logout with the token on A revokes its family.
    expect((await a.client().mutation('auth.logout', undefined, bearer)).status).toBe(200);
    const refused = await b.client().query('auth.me', undefined, bearer);
    expect(refused.status).toBe(401);
    expect(refused.data ?? null).toBeNull();
    expect((await b.client().mutation('auth.refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
  });

  it('a refresh token spent on A cannot be replayed on B (and the replay revokes the family)', async () => {
    const username = await newUser();
    const first = (await a.client().mutation('auth.token', { identifier: username, password: PASSWORD })).data as { refreshToken: string };
    const second = await a.client().mutation('auth.refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect((await b.client().mutation('auth.refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    // Reuse detected: the newer pair is dead as well.
    const newer = second.data as { accessToken: string };
    expect((await b.client().query('auth.me', undefined, { headers: { authorization: `Bearer ${newer.accessToken}` } })).status).toBe(401);
  });

  it('login throttling counts across both instances', async () => {
    const username = await newUser();
    // Two failures on each instance use up the allowance of four.
    for (const app of [a, b, a, b]) {
      expect((await app.client().mutation('auth.login', { identifier: username, password: 'wrong password' })).status).toBe(401);
    }
    for (const app of [a, b]) {
      const locked = await app.client().mutation('auth.login', { identifier: username, password: PASSWORD });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('a QR login started on B completes from the callback on A', async () => {
    const { onA, onB } = browser();
    const started = await onB.mutation('wechat.start', {});
    expect(started.status).toBe(200);
    const { state } = started.data as { state: string };
    // WeChat sends the phone's confirmation to A's callback URL (the load balancer picked A).
    const phone = await h.emulator.phone({ appid: WEB.appid, redirect_uri: a.callbackUrl, state, user: 'alice', perform: true });
    expect(phone.callbacks).toEqual([expect.objectContaining({ status: 200 })]);
    expect(phone.callbacks?.[0]?.url.startsWith(a.url)).toBe(true);
    expect((await onB.query('wechat.status', { state })).data).toMatchObject({ status: 'confirmed' });
    expect((await onB.mutation('wechat.complete', { state })).data).toMatchObject({ mode: 'login' });
    expect((await onB.query('auth.me')).data).toMatchObject({ nickname: expect.stringContaining('Alice'), accountType: 'wechat' });
    expect((await onA.query('auth.me')).data).toMatchObject({ accountType: 'wechat' });
  });
});
