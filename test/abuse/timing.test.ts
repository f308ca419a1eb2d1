/**
 * Login timing: whether an account exists must not show in how much work a login costs. Counted,
 * not timed: through the HTTP login routes (`auth.login`, `auth.token`), the number of password
 * hash computations (HashCounter: encodes + verifies) is the same for an unknown account (by
 * username, email or phone), a wrong password, the right password, an account without a usable
 * password, and an inactive account.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';

let db: TestDb;
let stores: TestStores;
let app: FullApp;

beforeAll(async () => {
  db = await createTestDb('abuse/timing');
  stores = new TestStores('abuse-timing');
  app = await startFullApp({
    knex: db.knex,
    store: stores.open(),
    // Every spelling of carol counts against carol's one counter: room for all the cases.
    throttle: { perAccount: { points: 1000 }, perAddress: { points: 1000 } },
  });
  await app.auth.users.createUser({ username: 'carol', email: 'carol@example.com', phone: '138 0013 8000', password: PASSWORD });
  await app.auth.users.createUser({ username: 'nopass', password: null });
  const inactive = await app.auth.users.createUser({ username: 'gone', password: PASSWORD });
  await app.auth.userModel
    .query(db.knex)
    .patch({ isActive: false } as object)
    .where('id', inactive.id);
});
afterAll(async () => {
  await app?.close();
  await stores?.close();
  await db?.destroy();
});

const CASES: Array<{ label: string; identifier: string; password: string; status: number }> = [
  { label: 'unknown username', identifier: 'nobody', password: PASSWORD, status: 401 },
  { label: 'unknown email', identifier: 'nobody@example.com', password: PASSWORD, status: 401 },
  { label: 'unknown phone', identifier: '139 0000 0000', password: PASSWORD, status: 401 },
  { label: 'wrong password (username)', identifier: 'carol', password: 'not the password', status: 401 },
  { label: 'wrong password (email)', identifier: 'carol@example.com', password: 'not the password', status: 401 },
  { label: 'wrong password (phone)', identifier: '+86 138-0013-8000', password: 'not the password', status: 401 },
  { label: 'no usable password', identifier: 'nopass', password: PASSWORD, status: 401 },
  { label: 'inactive account, right password', identifier: 'gone', password: PASSWORD, status: 401 },
  { label: 'right password (username)', identifier: 'carol', password: PASSWORD, status: 200 },
  { label: 'right password (phone)', identifier: '138 0013 8000', password: PASSWORD, status: 200 },
];

describe('the first login after start-up', () => {
  // The app is built as the README shows (no explicit hasher warm-up), so this runs first.
  it('costs an unknown account no more hash computations than a known one', async () => {
    app.counter.reset();
    expect((await app.client().mutation('auth.login', { identifier: 'first-unknown', password: PASSWORD })).status).toBe(401);
    const unknown = app.counter.total;
    app.counter.reset();
    expect((await app.client().mutation('auth.login', { identifier: 'carol', password: 'not the password' })).status).toBe(401);
    const known = app.counter.total;
    expect({ unknown, known }).toEqual({ unknown: 1, known: 1 });
  });
});

describe.each(['auth.login', 'auth.token'])('hash computations per %s', (procedure) => {
  it('are the same for unknown accounts, wrong passwords and right passwords', async () => {
    // Steady state: whatever the first request paid for is paid.
    await app.auth.hashers.warmUp();
    const counts: Record<string, number> = {};
    for (const { label, identifier, password, status } of CASES) {
      app.counter.reset();
      const result = await app.client().mutation(procedure, { identifier, password });
      expect({ label, status: result.status }).toEqual({ label, status });
      counts[label] = app.counter.total;
    }
    const expected = Object.fromEntries(CASES.map(({ label }) => [label, 1]));
    expect(counts).toEqual(expected);
    // The failures are indistinguishable to the client as well.
    const messages = new Set<string>();
    for (const { identifier, password, status } of CASES) {
      if (status !== 401) continue;
      messages.add((await app.client().mutation(procedure, { identifier, password })).error?.message ?? '');
    }
    expect(messages.size).toBe(1);
  });
});
