/**
 * Floods and existence oracles, over HTTP (issue 9, item 6), with the auth router's default
 * limits:
 *
 * - `auth.register`: 20 per address per hour, whatever the outcome (so the refusal says nothing
 *   about whether a name is taken), also under concurrency; other addresses unaffected;
 * - `auth.passwordReset.request`: one mail per email per window, the same `{ ok: true }` for
 *   known and unknown emails; 20 per address per hour, then 429 for known and unknown alike;
 * - `auth.changePassword`: old-password guesses count against the user's login counter, so
 *   5 wrong ones lock it (even the right old password, and the login) and 20 concurrent
 *   guesses hash at most 5.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';
import { sleep } from '../helpers/processes.js';

let db: TestDb;
let stores: TestStores;
let app: FullApp;

beforeAll(async () => {
  db = await createTestDb('abuse/oracles');
  stores = new TestStores('abuse-oracles');
  app = await startFullApp({
    knex: db.knex,
    store: stores.open(),
    proxy: true,
    throttle: { perAccount: { points: 5, durationSeconds: 60, blockSeconds: 60 } },
  });
});
afterAll(async () => {
  await app?.close();
  await stores?.close();
  await db?.destroy();
});

let nextAddress = 0;
const freshAddress = () => {
  const n = nextAddress++;
  return `203.0.${(n >> 8) & 255}.${n & 255}`;
};
const fresh = () => randomUUID().slice(0, 8);
const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

async function userCount(): Promise<number> {
  const row = (await db.knex('auth_user').count({ n: '*' }).first()) as { n: number | string };
  return Number(row.n);
}

describe('auth.register', () => {
  it('20 per address per hour, then 429 whether the name is taken or free; other addresses unaffected', async () => {
    const address = freshAddress();
    await app.auth.users.createUser({ username: `taken-${fresh()}`, password: PASSWORD });
    const taken = `taken-${fresh()}`;
    await app.auth.users.createUser({ username: taken, password: PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const username = i % 2 ? taken : `new-${fresh()}`;
      statuses.push((await app.client().mutation('auth.register', { username, password: PASSWORD }, from(address))).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 400)).toHaveLength(10);
    const takenAnswer = await app.client().mutation('auth.register', { username: taken, password: PASSWORD }, from(address));
    const freeAnswer = await app.client().mutation('auth.register', { username: `free-${fresh()}`, password: PASSWORD }, from(address));
    for (const answer of [takenAnswer, freeAnswer]) {
      expect(answer.status).toBe(429);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answer.error?.data.fieldErrors).toBeUndefined();
    }
    expect(takenAnswer.error?.message).toBe(freeAnswer.error?.message);
    expect((await app.client().mutation('auth.register', { username: `other-${fresh()}`, password: PASSWORD }, from(freshAddress()))).status).toBe(200);
  });

  it('40 concurrent registrations from one address: 20 are looked at, at most 20 accounts created', async () => {
    const address = freshAddress();
    const before = await userCount();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => app.client().mutation('auth.register', { username: `burst-${fresh()}`, password: PASSWORD }, from(address))),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(20);
    expect(results.filter((r) => r.status === 429)).toHaveLength(20);
    expect((await userCount()) - before).toBe(20);
  });
});

describe('auth.passwordReset.request', () => {
  async function outboxAfterSettling(): Promise<string[]> {
    // Mail is sent in the background: give it a moment.
    await sleep(100);
    return app.mailer.outbox.map((m) => m.to);
  }

  it('one mail per email per window; the same answer for known and unknown emails', async () => {
    const email = `reset-${fresh()}@example.com`;
    await app.auth.users.createUser({ username: `reset-${fresh()}`, email, password: PASSWORD });
    const unknown = `nobody-${fresh()}@example.com`;
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await app.client().mutation('auth.passwordReset.request', { email }, from(freshAddress())));
      answers.push(await app.client().mutation('auth.passwordReset.request', { email: unknown }, from(freshAddress())));
    }
    for (const answer of answers) expect({ status: answer.status, data: answer.data }).toEqual({ status: 200, data: { ok: true } });
    expect((await outboxAfterSettling()).filter((to) => to === email)).toHaveLength(1);
  });

  it('10 concurrent requests for one email send one mail', async () => {
    const email = `burst-${fresh()}@example.com`;
    await app.auth.users.createUser({ username: `burst-${fresh()}`, email, password: PASSWORD });
    const answers = await Promise.all(Array.from({ length: 10 }, () => app.client().mutation('auth.passwordReset.request', { email }, from(freshAddress()))));
    expect(answers.every((a) => a.status === 200 && a.data?.ok === true)).toBe(true);
    expect((await outboxAfterSettling()).filter((to) => to === email)).toHaveLength(1);
  });

  it('20 per address per hour, then 429 for known and unknown emails alike', async () => {
    const address = freshAddress();
    const known = `known-${fresh()}@example.com`;
    await app.auth.users.createUser({ username: `known-${fresh()}`, email: known, password: PASSWORD });
    for (let i = 0; i < 20; i++) {
      expect((await app.client().mutation('auth.passwordReset.request', { email: `any-${fresh()}@example.com` }, from(address))).status).toBe(200);
    }
    const knownAnswer = await app.client().mutation('auth.passwordReset.request', { email: known }, from(address));
    const unknownAnswer = await app.client().mutation('auth.passwordReset.request', { email: `x-${fresh()}@example.com` }, from(address));
    expect(knownAnswer.status).toBe(429);
    expect(unknownAnswer.status).toBe(429);
    expect(knownAnswer.error?.message).toBe(unknownAnswer.error?.message);
    expect((await outboxAfterSettling()).filter((to) => to === known)).toHaveLength(0);
  });
});

describe('auth.changePassword', () => {
  async function loggedIn() {
    const username = `changer-${fresh()}`;
    await app.auth.users.createUser({ username, password: PASSWORD });
    const client = app.client();
    expect((await client.mutation('auth.login', { identifier: username, password: PASSWORD }, from(freshAddress()))).status).toBe(200);
    return { username, client };
  }

  it('5 wrong old passwords lock the user: the right old password and the login are refused too', async () => {
    const { username, client } = await loggedIn();
    for (let i = 0; i < 5; i++) {
      const answer = await client.mutation('auth.changePassword', { oldPassword: `guess-${i}`, newPassword: 'a brand new passphrase' }, from(freshAddress()));
      expect(answer.status).toBe(400);
      expect(answer.error?.data.fieldErrors?.oldPassword?.[0]?.code).toBe('password_incorrect');
    }
    app.counter.reset();
    const right = await client.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: 'a brand new passphrase' }, from(freshAddress()));
    expect(right.status).toBe(429);
    expect(app.counter.total).toBe(0);
    expect((await app.client().mutation('auth.login', { identifier: username, password: PASSWORD }, from(freshAddress()))).status).toBe(429);
    // The password did not change.
    const user = await app.auth.users.getByNaturalKey(username);
    expect(await app.auth.checkPassword(user!, PASSWORD)).toBe(true);
  });

  it('20 concurrent old-password guesses hash at most 5', async () => {
    const { client } = await loggedIn();
    app.counter.reset();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.mutation('auth.changePassword', { oldPassword: `guess-${i}`, newPassword: 'a brand new passphrase' }, from(freshAddress())),
      ),
    );
    expect(answers.filter((a) => a.status === 400).length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(15);
    expect(app.counter.verifies).toBeLessThanOrEqual(5);
  });

  it('a right old password resets the count', async () => {
    const { client } = await loggedIn();
    for (let i = 0; i < 4; i++)
      await client.mutation('auth.changePassword', { oldPassword: `guess-${i}`, newPassword: 'a brand new passphrase' }, from(freshAddress()));
    expect((await client.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: 'a brand new passphrase' }, from(freshAddress()))).status).toBe(
      200,
    );
    for (let i = 0; i < 4; i++) {
      expect(
        (await client.mutation('auth.changePassword', { oldPassword: `guess-${i}`, newPassword: 'another new passphrase' }, from(freshAddress()))).status,
      ).toBe(400);
    }
  });
});
