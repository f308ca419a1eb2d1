/**
 * Brute force against one account from many addresses (app.proxy on, a different
 * X-Forwarded-For per attempt): the per-account throttle must stop it — only a handful of
 * guesses ever reach the password check, and refused attempts cost no hash. During the lockout
 * the right password is refused too; the lockout (2 s here) ends on time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Throttled } from '@koa-auth/koa';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TrpcResult } from '@koa-auth/koa/testing';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';
import { sleep } from '../helpers/processes.js';

const POINTS = 5;
const BLOCK_SECONDS = 2;
const ATTEMPTS = 1000;
const CONCURRENCY = 25;

let db: TestDb;
let stores: TestStores;
let app: FullApp;

beforeAll(async () => {
  db = await createTestDb('abuse/brute-force');
  stores = new TestStores('abuse-brute-force');
  app = await startFullApp({
    knex: db.knex,
    store: stores.open(),
    proxy: true,
    throttle: { perAccount: { points: POINTS, durationSeconds: 60, blockSeconds: BLOCK_SECONDS } },
  });
  await app.auth.users.createUser({ username: 'victim', password: PASSWORD });
  await app.auth.users.createUser({ username: 'victim2', password: PASSWORD });
});
afterAll(async () => {
  await app?.close();
  await stores?.close();
  await db?.destroy();
});

let nextAddress = 0;
/** A new client address each call (198.18.0.0/15, the benchmarking range). */
const address = () => {
  const n = nextAddress++;
  return `198.18.${(n >> 8) & 255}.${n & 255}`;
};

function login(identifier: string, password: string, from = address()): Promise<TrpcResult> {
  return app.client().mutation('auth.login', { identifier, password }, { headers: { 'x-forwarded-for': from } });
}

async function loginAndMe(identifier: string, password: string): Promise<{ login: TrpcResult; me: unknown }> {
  const client = app.client();
  const result = await client.mutation('auth.login', { identifier, password }, { headers: { 'x-forwarded-for': address() } });
  return { login: result, me: (await client.query('auth.me')).data };
}

describe('brute force from many addresses', () => {
  it(`${ATTEMPTS} wrong passwords from ${ATTEMPTS} addresses: throttled per account, refusals cost no hash`, async () => {
    // The attacker varies the spelling too: case, width and spaces all count for one account.
    const spellings = ['victim', 'Victim', 'ＶＩＣＴＩＭ', ' victim '];
    const queue = Array.from({ length: ATTEMPTS }, (_, i) => i);
    const results: TrpcResult[] = [];
    app.counter.reset();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          results.push(await login(spellings[i % spellings.length]!, `wrong-guess-${i}`));
        }
      }),
    );
    const elapsed = Date.now() - started;

    const checked = results.filter((r) => r.status === 401);
    const refused = results.filter((r) => r.status === 429);
    const others = results.filter((r) => r.status !== 401 && r.status !== 429).map((r) => `${r.status} ${r.error?.message}`);
    expect(others).toEqual([]);
    expect(checked.length + refused.length).toBe(ATTEMPTS);
    // Attempts are reserved before the hash: each lockout lets through exactly the allowance,
    // whatever is in flight; a new allowance opens only when a lockout has run out. At most two
    // counters: the user's (spellings that find victim) and, for spellings that find nobody
    // (usernames are case-sensitive, as in Django), the one of their canonical spelling.
    const windows = 1 + Math.floor(elapsed / (BLOCK_SECONDS * 1000));
    expect(checked.length).toBeLessThanOrEqual(2 * POINTS * windows);
    expect(refused.length).toBeGreaterThanOrEqual(ATTEMPTS - 2 * POINTS * windows);
    // Only checked attempts computed a hash; refused ones were turned away before.
    expect(app.counter.verifies).toBe(checked.length);
    // Retry-After tells the truth: never longer than the lockout itself (which is what a
    // client honouring it will wait).
    const retryAfter: Record<string, number> = {};
    for (const r of refused) {
      expect(r.error?.data.code).toBe('TOO_MANY_REQUESTS');
      const value = r.headers.get('retry-after') ?? 'missing';
      retryAfter[value] = (retryAfter[value] ?? 0) + 1;
    }
    const wrong = Object.keys(retryAfter).filter((v) => !(Number(v) >= 1 && Number(v) <= BLOCK_SECONDS));
    expect({ retryAfter, beyondTheLockout: wrong }).toEqual({ retryAfter, beyondTheLockout: [] });
  }, 120_000);

  it('during the lockout the right password is refused (no session); the lockout ends on time', async () => {
    // A second account, so nothing left over from the flood interferes with the timing.
    for (let i = 0; i < POINTS; i++) expect((await login('victim2', `wrong-${i}`)).status).toBe(401);
    const lockedAt = Date.now();

    app.counter.reset();
    const during = await loginAndMe('victim2', PASSWORD);
    expect(during.login.status).toBe(429);
    expect(during.login.error?.data.retryAfter).toBeLessThanOrEqual(BLOCK_SECONDS);
    expect(during.me).toBeNull();
    // Refused before the password was looked at.
    expect(app.counter.total).toBe(0);

    // Still locked just before the end…
    await sleep(Math.max(0, lockedAt + BLOCK_SECONDS * 1000 - 700 - Date.now()));
    const late = await loginAndMe('victim2', PASSWORD);
    expect(late.login.status).toBe(429);
    expect(late.me).toBeNull();

    // …and open right after it.
    await sleep(Math.max(0, lockedAt + BLOCK_SECONDS * 1000 + 300 - Date.now()));
    const after = await loginAndMe('victim2', PASSWORD);
    expect(after.login.status).toBe(200);
    expect(after.me).toMatchObject({ username: 'victim2' });
  });

  it('an attempt racing the failure that locks the account is told the lockout, not the counting window', async () => {
    // Two concurrent logins as the server runs them: the one holding the last point, and
    // another attempt's reservation issued while it runs, before the lockout is written.
    const throttle = app.throttle!;
    for (let i = 0; i < POINTS - 1; i++) await (await throttle.reserve('racer', address())).failed();
    const last = await throttle.reserve('racer', address());
    const locking = last.failed();
    const racing = throttle.reserve('racer', address()).then(
      () => null,
      (error: unknown) => error,
    );
    await locking;
    const raced = await racing;
    const after = await throttle.reserve('racer', address()).then(
      () => null,
      (error: unknown) => error,
    );
    // The account is locked now; whoever is refused is told the lockout (BLOCK_SECONDS) — the
    // 60 s counting window is not a wait anybody has to sit out.
    expect(raced).toBeInstanceOf(Throttled);
    expect(after).toBeInstanceOf(Throttled);
    for (const refused of [raced, after].filter((e): e is Throttled => e !== null)) {
      expect(refused).toBeInstanceOf(Throttled);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(BLOCK_SECONDS);
    }
  });

  it('addresses are told apart: one address spraying many accounts is locked by the per-address limit', async () => {
    const from = address();
    // The default per-address allowance is 50 failures.
    for (let i = 0; i < 50; i++) expect((await login(`nobody${i}`, 'wrong', from)).status).toBe(401);
    expect((await login('victim2', PASSWORD, from)).status).toBe(429);
    // Another address is unaffected.
    expect((await login('victim2', PASSWORD)).status).toBe(200);
  });
});
