/**
 * SMS codes across two app instances sharing only the key-value store and the database (Redis +
 * MariaDB with REDIS_URL / DATABASE_URL, else one MemoryStore and one SQLite database): a code
 * sent through A is verified through B by the same browser, once; the send limits and the
 * code's tries are shared too.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKnex, type KeyValueStore } from '@koa-auth/core';
import { MemorySmsSender } from '@koa-auth/core/testing';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TestClient } from '@koa-auth/koa/testing';
import { PASSWORD, startFullApp, type FullApp, type Knex } from '../helpers/full-app.js';

const REDIS_URL = process.env.REDIS_URL;
const DATABASE_URL = process.env.DATABASE_URL;
const MODE = `${REDIS_URL ? 'Redis' : 'one MemoryStore'} + ${DATABASE_URL ? 'MariaDB' : 'one SQLite database'}`;

let db: TestDb;
let knexB: Knex;
let stores: TestStores;
let storeA: KeyValueStore;
let storeB: KeyValueStore;
let a: FullApp;
let b: FullApp;
const senderA = new MemorySmsSender();
const senderB = new MemorySmsSender();

beforeAll(async () => {
  db = await createTestDb('two-instances/sms-two-instances');
  if (db.dialect === 'mysql') {
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${(db.knex.client.config.connection as { database: string }).database}`;
    knexB = createKnex(url.toString());
  } else {
    knexB = db.knex;
  }
  stores = new TestStores('sms-two-instances');
  storeA = stores.open();
  storeB = stores.open();
  await storeA.set('reachable', '1', 10_000);
  expect(await storeB.get('reachable')).toBe('1');
  const throttle = { perAccount: { points: 50, durationSeconds: 60, blockSeconds: 60 } };
  a = await startFullApp({ knex: db.knex, store: storeA, throttle, sms: { sender: senderA, allowSignUp: true } });
  b = await startFullApp({ knex: knexB, store: storeB, throttle, sms: { sender: senderB, allowSignUp: true } });
}, 60_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
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

const lastCode = (sender: MemorySmsSender, phone: string) => {
  const code = sender.lastCode(phone);
  if (!code) throw new Error(`no SMS to ${phone}`);
  return code;
};

describe(`SMS codes on two instances sharing ${MODE}`, () => {
  it('a code sent through A logs in through B, once', async () => {
    const phone = '+8613922220001';
    await a.auth.users.createUser({ username: 'twin-sms', phone, password: PASSWORD });
    const { onA, onB } = browser();
    expect((await onA.mutation('auth.sms.send', { phone, purpose: 'login' })).status).toBe(200);
    const code = lastCode(senderA, phone);
    const verified = await onB.mutation('auth.sms.verify', { phone, purpose: 'login', code });
    expect(verified.status).toBe(200);
    expect((await onA.query('auth.me')).data).toMatchObject({ username: 'twin-sms' });
    // Used on B: refused on A.
    expect((await onA.mutation('auth.sms.verify', { phone, purpose: 'login', code })).status).toBe(401);
  });

  it('another browser cannot redeem it on either instance', async () => {
    const phone = '+8613922220002';
    const owner = browser();
    const other = browser();
    await owner.onA.mutation('auth.sms.send', { phone, purpose: 'login' });
    const code = lastCode(senderA, phone);
    expect((await other.onB.mutation('auth.sms.verify', { phone, purpose: 'login', code })).status).toBe(401);
    expect((await owner.onB.mutation('auth.sms.verify', { phone, purpose: 'login', code })).status).toBe(200);
  });

  it('the per-number limit is shared: parallel sends through A and B send one SMS', async () => {
    const phone = '+8613922220003';
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).client().mutation('auth.sms.send', { phone, purpose: 'login' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 429)).toHaveLength(9);
    expect(senderA.sentTo(phone).length + senderB.sentTo(phone).length).toBe(1);
  });

  it('wrong tries through A and B together kill the code after five', async () => {
    const phone = '+8613922220004';
    const { onA, onB } = browser();
    await onB.mutation('auth.sms.send', { phone, purpose: 'login' });
    const code = lastCode(senderB, phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? onA : onB).mutation('auth.sms.verify', { phone, purpose: 'login', code: wrong })));
    expect((await onA.mutation('auth.sms.verify', { phone, purpose: 'login', code })).status).toBe(401);
  });
});
