/**
 * Races: 50 registrations of one username at once (exactly one succeeds, the other 49 get the
 * field error, one row), the same with emails or usernames differing only by case, and 20
 * WeChat callbacks for one person at once (exactly one user and one profile) — both as 20 separate QR logins confirmed by the same WeChat user and as 20
 * callbacks for one QR login (WeChat's duplicate callbacks). SQLite by default; with
 * DATABASE_URL on MariaDB, where the inserts really run in parallel.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WechatClient, wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TrpcResult } from '@koa-auth/koa/testing';
import { WEB, startWechatEmulator, type EmulatorHarness } from '../../packages/wechat/test/support/wechat-emulator.js';
import { PASSWORD, startFullApp, type FullApp } from '../helpers/full-app.js';

let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let app: FullApp;

beforeAll(async () => {
  db = await createTestDb('abuse/concurrency', wechatMigrations);
  stores = new TestStores('abuse-concurrency');
  h = await startWechatEmulator();
  // Registration limits out of the way: these tests are about the database's uniqueness.
  app = await startFullApp({ knex: db.knex, store: stores.open(), emulatorUrl: h.url, limits: { register: { perAddress: { points: 1000 } } } });
});
afterAll(async () => {
  await app?.close();
  await h?.running.close();
  await stores?.close();
  await db?.destroy();
});
beforeEach(async () => {
  await db.knex('wechat_profile').delete();
  await db.knex('auth_user').delete();
  h.emulator.reset();
});

async function count(table: string): Promise<number> {
  const [row] = await db.knex(table).count({ n: '*' });
  return Number(row?.n);
}

function tally(results: TrpcResult[]): Record<number, number> {
  const byStatus: Record<number, number> = {};
  for (const { status } of results) byStatus[status] = (byStatus[status] ?? 0) + 1;
  return byStatus;
}

describe('50 concurrent registrations of one username', () => {
  it.each([
    { label: 'the same spelling', spellings: ['racer'] },
    // NFKC: full-width and compatibility forms are the same username.
    { label: 'spellings that normalise to one username', spellings: ['racer', 'ｒａｃｅｒ', '\u02b3acer'] },
  ])('$label: exactly one succeeds, 49 get the field error', async ({ spellings }) => {
    for (const spelling of spellings) expect(spelling.normalize('NFKC')).toBe('racer');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        app.client().mutation('auth.register', { username: spellings[i % spellings.length], email: `racer${i}@example.com`, password: PASSWORD }),
      ),
    );
    expect(tally(results)).toEqual({ 200: 1, 400: 49 });
    for (const result of results.filter((r) => r.status === 400)) {
      expect(result.error?.data.fieldErrors).toEqual({ username: [{ code: 'unique', message: 'A user with that username already exists.' }] });
    }
    expect(await count('auth_user')).toBe(1);
    // The winner is logged in as the one user; its email is the one stored.
    const winner = results.find((r) => r.status === 200)!;
    const row = await db.knex('auth_user').first('id', 'username', 'email');
    expect(row).toMatchObject({ id: winner.data.id, username: 'racer', email: winner.data.email });
  });
});

describe('50 concurrent registrations differing only by case', () => {
  const variants = (text: string, i: number) => [...text].map((c, j) => ((i >> (j % 6)) & 1 ? c.toUpperCase() : c)).join('');

  it.each([
    {
      field: 'email',
      message: 'A user with that email address already exists.',
      input: (i: number) => ({ username: `racer${i}`, email: variants('racer@example.com', i) }),
    },
    {
      field: 'username',
      message: 'A user with that username already exists.',
      input: (i: number) => ({ username: variants('racer', i), email: `racer${i}@example.com` }),
    },
  ])('of the $field: exactly one account, 49 field errors on $field', async ({ field, message, input }) => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => app.client().mutation('auth.register', { ...input(i), password: PASSWORD })));
    expect(tally(results)).toEqual({ 200: 1, 400: 49 });
    for (const result of results.filter((r) => r.status === 400)) {
      expect(result.error?.data.fieldErrors).toEqual({ [field]: [{ code: 'unique', message }] });
    }
    expect(await count('auth_user')).toBe(1);
  });
});

describe('20 concurrent WeChat callbacks for one person', () => {
  it('20 QR logins confirmed by the same WeChat user: one user, one profile, all 20 logged in as it', async () => {
    const logins = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const browser = app.client();
        const { state } = (await browser.mutation('wechat.start', {})).data as { state: string };
        const phone = await h.emulator.phone({ appid: WEB.appid, redirect_uri: app.callbackUrl, state, user: 'hanmeimei' });
        return { browser, state, callback: phone.redirectUrl! };
      }),
    );
    const pages = await Promise.all(logins.map(({ callback }) => fetch(callback, { redirect: 'manual' })));
    expect(pages.map((p) => p.status)).toEqual(Array(20).fill(200));
    expect(await count('auth_user')).toBe(1);
    expect(await count('wechat_profile')).toBe(1);

    const completed = await Promise.all(logins.map(({ browser, state }) => browser.mutation('wechat.complete', { state })));
    const ids = new Set(completed.map((c) => c.data?.userId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(Number));
  });

  it('20 callbacks for one QR login (duplicates, each with its own code): one exchange, one user', async () => {
    const browser = app.client();
    const { state } = (await browser.mutation('wechat.start', {})).data as { state: string };
    const callbacks: string[] = [];
    for (let i = 0; i < 20; i++) {
      callbacks.push((await h.emulator.phone({ appid: WEB.appid, redirect_uri: app.callbackUrl, state, user: 'lilei' })).redirectUrl!);
    }
    const pages = await Promise.all(callbacks.map((url) => fetch(url, { redirect: 'manual' })));
    // The first decides (200); the others get its outcome (200) or "still processing" (202).
    for (const page of pages) expect([200, 202]).toContain(page.status);
    expect(await count('auth_user')).toBe(1);
    expect(await count('wechat_profile')).toBe(1);

    // Exactly one code was redeemed: the other 19 are still unused at WeChat.
    const direct = new WechatClient({ ...WEB, apiBaseUrl: h.url, openBaseUrl: h.url });
    const redeemable = await Promise.all(
      callbacks.map((url) =>
        direct.exchangeCode(new URL(url).searchParams.get('code')!).then(
          () => true,
          () => false,
        ),
      ),
    );
    expect(redeemable.filter((ok) => !ok).length).toBe(1);

    expect((await browser.mutation('wechat.complete', { state })).data).toMatchObject({ mode: 'login' });
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: expect.stringContaining('李雷') });
  });
});
