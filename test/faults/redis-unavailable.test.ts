/**
 * Redis stalled or down. The app keeps sessions, throttle counters, token families and QR
 * states in a redis-server this test starts on a port of its own (the shared Redis is never
 * touched), with a 500 ms command timeout. While Redis is paused (CLIENT PAUSE) or stopped,
 * every request that needs it must answer 503 with a message saying so — well within the
 * timeout, not after the outage — and the process must keep serving; once Redis is back,
 * service resumes without restarting anything, sessions included.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisStore } from '@koa-auth/core';
import { wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb } from '@koa-auth/core/testing';
import type { TestClient, TrpcResult } from '@koa-auth/koa/testing';
import { startWechatEmulator, type EmulatorHarness } from '../../packages/wechat/test/support/wechat-emulator.js';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';
import { PrivateRedis } from '../helpers/private-redis.js';
import { sleep, waitFor } from '../helpers/processes.js';

/** The configured store timeout; answers must come well before an outage ends. */
const TIMEOUT_MS = 500;
/**
 * An answer within this is prompt: a request makes at most two store calls in a row that can
 * each time out (e.g. wechat.start: the QR state, then the session save), plus slack for a
 * loaded machine. Far below the outages here (4 s pause, a stop of several seconds).
 */
const PROMPT_MS = 2 * TIMEOUT_MS + 1000;

let redis: PrivateRedis;
let db: TestDb;
let store: RedisStore;
let h: EmulatorHarness;
let app: FullApp;

beforeAll(async () => {
  redis = await PrivateRedis.start();
  db = await createTestDb('faults/redis-unavailable', wechatMigrations);
  store = RedisStore.fromUrl(redis.url, { prefix: `koa-auth-test:faults-redis:${process.pid}:`, commandTimeoutMs: TIMEOUT_MS });
  h = await startWechatEmulator();
  app = await startFullApp({ knex: db.knex, store, emulatorUrl: h.url, throttle: { timeoutMs: TIMEOUT_MS } });
  await app.auth.users.createUser({ username: 'alice', password: PASSWORD });
  await app.auth.users.createUser({ username: 'bob', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await h?.running.close();
  await store?.close();
  await redis?.destroy();
  await db?.destroy();
});

async function loggedIn(username: string): Promise<TestClient> {
  const client = app.client();
  const result = await client.mutation('auth.login', { identifier: username, password: PASSWORD });
  expect(result.status).toBe(200);
  expect((await client.query('auth.me')).data).toMatchObject({ username });
  return client;
}

/** Runs `call`, returning its result and how long it took. */
async function timed(call: () => Promise<TrpcResult>): Promise<TrpcResult & { ms: number }> {
  const started = Date.now();
  const result = await call();
  return { ...result, ms: Date.now() - started };
}

/** A 503 that says the service is unavailable, answered promptly. */
function expectPromptUnavailable(result: TrpcResult & { ms: number }, what: string): void {
  expect({ what, status: result.status }).toEqual({ what, status: 503 });
  expect(result.error?.message).toMatch(/unavailable/i);
  expect({ what, prompt: result.ms < PROMPT_MS }).toEqual({ what, prompt: true });
}

/** The requests that need Redis, from a logged-in client and an anonymous one. */
function redisDependentRequests(session: TestClient): Array<[string, () => Promise<TrpcResult>]> {
  const anonymous = app.client();
  return [
    ['auth.me with a session (session read)', () => session.query('auth.me')],
    ['auth.sessions.list (session read)', () => session.query('auth.sessions.list')],
    ['auth.login (throttle counters)', () => anonymous.mutation('auth.login', { identifier: 'bob', password: PASSWORD })],
    ['auth.token (throttle counters)', () => app.client().mutation('auth.token', { identifier: 'bob', password: PASSWORD })],
    ['wechat.start (QR state)', () => app.client().mutation('wechat.start', {})],
    [
      'GET /private with a session',
      async () => {
        const response = await session.fetch('/private', { headers: { accept: 'application/json' } });
        const text = await response.text();
        const body = JSON.parse(text) as { error?: { message: string } };
        return { status: response.status, headers: response.headers, error: body.error as TrpcResult['error'] };
      },
    ],
  ];
}

describe('Redis fault tolerance (private redis-server, 500 ms timeout)', () => {
  it('a stalled Redis (CLIENT PAUSE): prompt 503s, nothing hangs, service resumes with sessions intact', async () => {
    const alice = await loggedIn('alice');
    const pauseMs = 4000;
    await redis.cli('CLIENT', 'PAUSE', String(pauseMs), 'ALL');
    const pauseEnds = Date.now() + pauseMs;

    const results = await Promise.all(redisDependentRequests(alice).map(async ([what, call]) => [what, await timed(call)] as const));
    // Every answer came while Redis was still paused: nothing waited for the pause to end.
    expect(Date.now()).toBeLessThan(pauseEnds);
    for (const [what, result] of results) expectPromptUnavailable(result, what);

    // A request that needs nothing from Redis (no session cookie) is still served.
    expect(await timed(() => app.client().query('auth.me'))).toMatchObject({ status: 200, data: null });

    await sleep(Math.max(0, pauseEnds - Date.now()));
    // Back by itself: the same session works again, and new logins do.
    await waitFor('the session to work again', async () => (await alice.query('auth.me')).data?.username === 'alice', 10_000, 100);
    await loggedIn('bob');
  });

  it('a stopped Redis: prompt 503s, no crash, and recovery on restart without touching the app', async () => {
    const alice = await loggedIn('alice');
    await redis.stop();

    // Several rounds, in parallel: still prompt while ioredis keeps reconnecting.
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(redisDependentRequests(alice).map(async ([what, call]) => [what, await timed(call)] as const));
      for (const [what, result] of results) expectPromptUnavailable(result, `${what} (round ${round})`);
    }
    // The login that failed must not have created a session.
    const refused = app.client();
    expect((await refused.mutation('auth.login', { identifier: 'alice', password: PASSWORD })).status).toBe(503);

    await redis.start();
    await waitFor('the session to work again', async () => (await alice.query('auth.me')).data?.username === 'alice', 15_000, 100);
    expect((await refused.query('auth.me')).data).toBeNull();
    await loggedIn('bob');
    const started = await app.client().mutation('wechat.start', {});
    expect(started.status).toBe(200);
  });
});
