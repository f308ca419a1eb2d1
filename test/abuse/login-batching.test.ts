/**
 * The login throttle under batching and parallel bursts, over HTTP (issue 9, item 2), and one
 * counter per account whatever the spelling (item 3):
 *
 * - a tRPC batch larger than `maxBatchSize` (default 10) is refused whole, before any hash;
 * - a batch makes at most one credential check (login, token, changePassword…): 19 wrong
 *   passwords and the right one last do not log in, 55 guesses do not get past one hash;
 * - 20 concurrent requests against a limit of 5 hash at most 5 passwords (attempts are reserved
 *   before hashing), per account and per address;
 * - once locked by username, the right password by email or phone is refused too.
 *
 * Memory store by default; Redis with REDIS_URL (TestStores).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TestClient } from '@koa-auth/koa/testing';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';

const POINTS = 5;
const ADDRESS_POINTS = 50;

let db: TestDb;
let stores: TestStores;
/** Default batch limit (10). */
let app: FullApp;
/** A lax batch limit (100): what stops a batch is the one-credential-check rule alone. */
let laxApp: FullApp;

beforeAll(async () => {
  db = await createTestDb('abuse/login-batching');
  stores = new TestStores('abuse-login-batching');
  const throttle = {
    perAccount: { points: POINTS, durationSeconds: 60, blockSeconds: 60 },
    perAddress: { points: ADDRESS_POINTS, durationSeconds: 60, blockSeconds: 60 },
  };
  app = await startFullApp({ knex: db.knex, store: stores.open(), proxy: true, throttle });
  laxApp = await startFullApp({ knex: db.knex, store: stores.open(), proxy: true, throttle, maxBatchSize: 100 });
});
afterAll(async () => {
  await app?.close();
  await laxApp?.close();
  await stores?.close();
  await db?.destroy();
});

let nextAddress = 0;
/** A fresh client address (TEST-NET-2), so tests never share an address count. */
const freshAddress = () => {
  const n = nextAddress++;
  return `198.51.${(n >> 8) & 255}.${n & 255}`;
};
const fresh = () => randomUUID().slice(0, 8);

async function createVictim(name = `v${fresh()}`) {
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  await app.auth.users.createUser({ username: name, email: `${name}@example.com`, phone, password: PASSWORD });
  return { username: name, email: `${name}@example.com`, phone };
}

interface BatchAnswer {
  status: number;
  items: Array<{ result?: { data: unknown }; error?: { message: string; data: { code: string; httpStatus: number; authCode?: string } } }>;
  body: unknown;
}

/** One HTTP request carrying `calls` as a tRPC batch of mutations. */
async function batch(client: TestClient, calls: Array<{ path: string; input: unknown }>, address: string): Promise<BatchAnswer> {
  const body = Object.fromEntries(calls.map((call, i) => [String(i), call.input]));
  const response = await client.fetch(`/trpc/${calls.map((c) => c.path).join(',')}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as unknown;
  return { status: response.status, items: Array.isArray(parsed) ? parsed : [], body: parsed };
}

const loginCall = (identifier: string, password: string) => ({ path: 'auth.login', input: { identifier, password } });

describe('tRPC batches', () => {
  it('a batch of 20 logins (19 wrong, the right one last) is refused whole at the default limit of 10: no hash, no session', async () => {
    const victim = await createVictim();
    const client = app.client();
    const calls = [...Array.from({ length: 19 }, (_, i) => loginCall(victim.username, `wrong-${i}`)), loginCall(victim.username, PASSWORD)];
    app.counter.reset();
    const answer = await batch(client, calls, freshAddress());
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/Batch call exceeds maximum size/);
    expect(app.counter.total).toBe(0);
    expect((await client.query('auth.me')).data).toBeNull();
    // Ten calls are within the limit.
    const ten = await batch(
      app.client(),
      Array.from({ length: 10 }, () => ({ path: 'auth.me', input: undefined })),
      freshAddress(),
    );
    expect(ten.items).toHaveLength(10);
  });

  it('19 wrong passwords and the right one last, in one batch: one password checked, not logged in', async () => {
    const victim = await createVictim();
    const client = laxApp.client();
    const calls = [...Array.from({ length: 19 }, (_, i) => loginCall(victim.username, `wrong-${i}`)), loginCall(victim.username, PASSWORD)];
    laxApp.counter.reset();
    const answer = await batch(client, calls, freshAddress());
    expect(answer.items).toHaveLength(20);
    expect(answer.items[0]!.error?.data.code).toBe('UNAUTHORIZED');
    for (const item of answer.items.slice(1)) {
      expect(item.error?.data).toMatchObject({ code: 'BAD_REQUEST', authCode: 'one_credential_check_per_request' });
      expect(item.error?.message).toMatch(/One credential check per request/);
    }
    expect(laxApp.counter.verifies).toBe(1);
    expect(client.sessionId()).toBeUndefined();
    expect((await client.query('auth.me')).data).toBeNull();
    // The one wrong guess counted: four more and the account is locked.
    const from = freshAddress();
    for (let i = 0; i < POINTS - 1; i++)
      expect((await batch(laxApp.client(), [loginCall(victim.email, 'wrong')], from)).items[0]!.error?.data.code).toBe('UNAUTHORIZED');
    expect((await batch(laxApp.client(), [loginCall(victim.phone, PASSWORD)], from)).items[0]!.error?.data.code).toBe('TOO_MANY_REQUESTS');
  });

  it('55 guesses at 55 accounts in one batch do not get past one hash (address limit 50)', async () => {
    const calls = Array.from({ length: 55 }, (_, i) => loginCall(`nobody-${fresh()}-${i}`, 'guess'));
    laxApp.counter.reset();
    const answer = await batch(laxApp.client(), calls, freshAddress());
    const codes = answer.items.map((item) => item.error?.data.code);
    expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(1);
    expect(codes.filter((c) => c === 'BAD_REQUEST')).toHaveLength(54);
    expect(laxApp.counter.verifies).toBe(1);
  });

  it('login, token and changePassword share the one check of a request; other calls are unaffected', async () => {
    const victim = await createVictim();
    const client = laxApp.client();
    expect((await client.mutation('auth.login', { identifier: victim.username, password: PASSWORD })).status).toBe(200);
    laxApp.counter.reset();
    const answer = await batch(
      client,
      [
        { path: 'auth.changePassword', input: { oldPassword: 'wrong', newPassword: 'another long passphrase' } },
        { path: 'auth.token', input: { identifier: victim.username, password: PASSWORD } },
        loginCall(victim.username, PASSWORD),
        { path: 'auth.logout', input: undefined },
      ],
      freshAddress(),
    );
    const codes = answer.items.map((item) => item.error?.data.authCode ?? 'ok');
    // Exactly one of the three credential calls ran (the first to arrive); logout is no check.
    expect(codes.filter((c) => c === 'one_credential_check_per_request')).toHaveLength(2);
    expect(codes[3]).toBe('ok');
    expect(laxApp.counter.verifies).toBe(1);
  });

  it('separate requests each get their check', async () => {
    const victim = await createVictim();
    const from = freshAddress();
    const first = await batch(laxApp.client(), [loginCall(victim.username, 'wrong')], from);
    const second = await batch(laxApp.client(), [loginCall(victim.username, PASSWORD)], from);
    expect(first.items[0]!.error?.data.code).toBe('UNAUTHORIZED');
    expect(second.items[0]!.result?.data).toMatchObject({ username: victim.username });
  });
});

describe('parallel bursts', () => {
  it('20 concurrent logins against a limit of 5 per account: at most 5 passwords hashed', async () => {
    const victim = await createVictim();
    const spellings = [victim.username, victim.email, victim.phone, ` ${victim.email} `];
    app.counter.reset();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app
          .client()
          .mutation('auth.login', { identifier: spellings[i % spellings.length], password: `wrong-${i}` }, { headers: { 'x-forwarded-for': freshAddress() } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(POINTS);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - POINTS);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(app.counter.verifies).toBeLessThanOrEqual(POINTS);
    expect(app.counter.verifies).toBe(statuses.filter((s) => s === 401).length);
    // Locked: the right password is refused, by every spelling.
    for (const identifier of spellings) {
      expect((await app.client().mutation('auth.login', { identifier, password: PASSWORD }, { headers: { 'x-forwarded-for': freshAddress() } })).status).toBe(
        429,
      );
    }
  });

  it('20 concurrent right-password logins all succeed (successes give their points back)', async () => {
    const victim = await createVictim();
    const from = freshAddress();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.client().mutation('auth.login', { identifier: victim.username, password: PASSWORD }, { headers: { 'x-forwarded-for': from } }),
      ),
    );
    // At most POINTS are in flight at once per account; the others may be told to wait, never
    // logged in wrongly. Sequentially afterwards, the account is not locked.
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(
      (await app.client().mutation('auth.login', { identifier: victim.username, password: PASSWORD }, { headers: { 'x-forwarded-for': from } })).status,
    ).toBe(200);
  });

  it(`${ADDRESS_POINTS + 30} concurrent logins from one address at different accounts: at most ${ADDRESS_POINTS} hashed`, async () => {
    const from = freshAddress();
    app.counter.reset();
    const results = await Promise.all(
      Array.from({ length: ADDRESS_POINTS + 30 }, (_, i) =>
        app.client().mutation('auth.token', { identifier: `sprayed-${fresh()}-${i}`, password: 'guess' }, { headers: { 'x-forwarded-for': from } }),
      ),
    );
    expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(ADDRESS_POINTS);
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(30);
    expect(app.counter.verifies).toBeLessThanOrEqual(ADDRESS_POINTS);
  });
});

describe('one counter per account (every spelling)', () => {
  it('locked by username, the right password by email and by phone is refused too', async () => {
    const victim = await createVictim();
    for (let i = 0; i < POINTS; i++) {
      expect(
        (await app.client().mutation('auth.login', { identifier: victim.username, password: `wrong-${i}` }, { headers: { 'x-forwarded-for': freshAddress() } }))
          .status,
      ).toBe(401);
    }
    app.counter.reset();
    for (const identifier of [victim.email, victim.phone, `+86 ${victim.phone.slice(0, 3)}-${victim.phone.slice(3, 7)}-${victim.phone.slice(7)}`]) {
      const client = app.client();
      const result = await client.mutation('auth.login', { identifier, password: PASSWORD }, { headers: { 'x-forwarded-for': freshAddress() } });
      expect({ identifier, status: result.status }).toEqual({ identifier, status: 429 });
      expect((await client.query('auth.me')).data).toBeNull();
      expect((await app.client().mutation('auth.token', { identifier, password: PASSWORD }, { headers: { 'x-forwarded-for': freshAddress() } })).status).toBe(
        429,
      );
    }
    expect(app.counter.total).toBe(0);
  });

  it('failures spread over spellings add up to one lockout', async () => {
    const victim = await createVictim();
    const spellings = [victim.username, victim.email, victim.phone, victim.username, victim.email];
    for (const identifier of spellings) {
      expect((await app.client().mutation('auth.login', { identifier, password: 'wrong' }, { headers: { 'x-forwarded-for': freshAddress() } })).status).toBe(
        401,
      );
    }
    expect(
      (await app.client().mutation('auth.login', { identifier: victim.username, password: PASSWORD }, { headers: { 'x-forwarded-for': freshAddress() } }))
        .status,
    ).toBe(429);
  });

  it('identifiers of nobody are limited alike, each on its own counter', async () => {
    const nobody = `ghost-${fresh()}@example.com`;
    const answers: number[] = [];
    for (let i = 0; i <= POINTS; i++) {
      answers.push(
        (await app.client().mutation('auth.login', { identifier: nobody, password: 'wrong' }, { headers: { 'x-forwarded-for': freshAddress() } })).status,
      );
    }
    // Same answers as a known account: POINTS × 401, then 429.
    expect(answers).toEqual([...Array.from({ length: POINTS }, () => 401), 429]);
    expect(
      (await app.client().mutation('auth.login', { identifier: nobody.toUpperCase(), password: 'wrong' }, { headers: { 'x-forwarded-for': freshAddress() } }))
        .status,
    ).toBe(429);
    // Another unknown identifier is not affected.
    expect(
      (
        await app
          .client()
          .mutation('auth.login', { identifier: `ghost-${fresh()}@example.com`, password: 'wrong' }, { headers: { 'x-forwarded-for': freshAddress() } })
      ).status,
    ).toBe(401);
  });
});
