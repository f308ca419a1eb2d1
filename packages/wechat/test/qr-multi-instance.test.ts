/**
 * A browser waiting on instance B learns of a callback handled by instance A: two apps sharing
 * one Redis store and one database, as behind a load balancer. B re-reads the store only every
 * 60 s here, so a prompt answer proves the store's pub/sub carried the news.
 *
 * Without REDIS_URL the same test runs on a single instance (MemoryStore cannot be shared
 * between processes). With REDIS_URL set and Redis down it fails (ServiceUnavailable).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import { TestClient } from '@koa-auth/koa/testing';
import { openSse } from './support/sse.js';
import { startWechatApp, type WechatTestApp } from './support/wechat-app.js';
import { WEB, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';
import { closeAll } from './support/close-all.js';

const REDIS_URL = process.env.REDIS_URL;

let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let a: WechatTestApp;
let b: WechatTestApp;

beforeAll(async () => {
  db = await createTestDb('wechat/qr-multi-instance', wechatMigrations);
  stores = new TestStores('qr-multi-instance');
  h = await startWechatEmulator();
  const qr = { pollIntervalMs: 60_000 };
  a = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url, qr });
  b = REDIS_URL ? await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url, qr }) : a;
});
afterAll(() =>
  closeAll(
    () => a?.close(),
    () => (b !== a ? b?.close() : undefined),
    () => h?.running.close(),
    () => stores.close(),
    () => db?.destroy(),
  ),
);

describe(REDIS_URL ? 'two instances sharing Redis' : 'one instance (MemoryStore)', () => {
  it('a subscriber on instance B is told of the callback handled by instance A', async () => {
    const onA = a.client();
    const started = await onA.mutation('wechat.start', {});
    const { state } = started.data as { state: string };

    // The same browser (same cookies) talks to B: the session lives in the shared store.
    const onB = new TestClient(b.url);
    for (const [name, value] of onA.cookies) onB.cookies.set(name, value);
    const input = encodeURIComponent(JSON.stringify({ state }));
    const events = await openSse<{ status: string }>(`${b.url}/trpc/wechat.onStatus?input=${input}`, { cookie: onB.cookieHeader() });
    try {
      expect(await events.next()).toMatchObject({ status: 'pending' });
      // WeChat redirects to A's callback URL (the state's redirect_uri).
      const result = await h.emulator.phone({ appid: WEB.appid, redirect_uri: a.callbackUrl, state, user: 'hanmeimei', perform: true });
      expect(result.callbacks?.[0]?.url.startsWith(a.url)).toBe(true);
      expect(await events.next(3000)).toMatchObject({ status: 'confirmed' });
      expect(await events.next(3000)).toBeNull();
    } finally {
      events.close();
    }

    // And B completes the login that A's callback decided.
    const completed = await onB.mutation('wechat.complete', { state });
    expect(completed.data).toMatchObject({ mode: 'login' });
    expect((await onB.query('auth.me')).data).toMatchObject({ nickname: '韩梅梅🌸✨' });
  });
});
