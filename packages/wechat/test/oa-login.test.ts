/**
 * Official Account web authorization: /auth/wechat/oa/start → WeChat's consent page (the
 * emulator) → /auth/wechat/oa/callback → logged in and redirected to a safe `next`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WechatClient, wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb } from '../../core/test/helpers/test-db.js';
import { TestClient } from '../../koa/test/helpers/http-client.js';
import { TestStores } from './support/test-store.js';
import { startWechatApp, type WechatTestApp } from './support/wechat-app.js';
import { OA, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';
import { closeAll } from './support/close-all.js';

let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let app: WechatTestApp;

beforeAll(async () => {
  db = await createTestDb('wechat/oa-login', wechatMigrations);
  stores = new TestStores('oa-login');
  h = await startWechatEmulator();
  app = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url });
});
afterAll(() =>
  closeAll(
    () => app?.close(),
    () => h?.running.close(),
    () => stores.close(),
    () => db?.destroy(),
  ),
);
beforeEach(async () => {
  await db.knex('wechat_profile').delete();
  await db.knex('auth_user').delete();
  h.emulator.reset();
});

/** GET the start route and let the "WeChat user" approve: the callback path (with code and state) and all callback URLs. */
async function authorize(browser: TestClient, query: string, user = 'hanmeimei'): Promise<{ callbackPaths: string[]; codes: string[] }> {
  const started = await browser.fetch(`/auth/wechat/oa/start?${query}`);
  expect(started.status).toBe(302);
  const location = started.headers.get('location')!;
  expect(location.startsWith(`${h.url}/connect/oauth2/authorize?appid=${OA.appid}&redirect_uri=`)).toBe(true);
  expect(location.endsWith('#wechat_redirect')).toBe(true);
  // The consent page validates the link as WeChat would (parameter order, state charset…).
  const page = await fetch(location);
  expect(page.headers.get('x-emulator-error')).toBeNull();
  const result = await h.emulator.phone({ ticket: page.headers.get('x-emulator-ticket')!, user });
  return { callbackPaths: result.redirectUrls.map((u) => u.slice(app.url.length)), codes: result.codes };
}

const codeStillUsable = (code: string) =>
  new WechatClient({ ...OA, apiBaseUrl: h.url }).exchangeCode(code).then(
    () => true,
    () => false,
  );

describe('Official Account login', () => {
  it('logs in and redirects to `next`', async () => {
    const browser = app.client();
    const { callbackPaths } = await authorize(browser, 'scope=snsapi_userinfo&next=/account?tab=1');
    const response = await browser.fetch(callbackPaths[0]!);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/account?tab=1');
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: '韩梅梅🌸✨', accountType: 'wechat' });
  });

  it('snsapi_base logs in without a profile read', async () => {
    const browser = app.client();
    const { callbackPaths } = await authorize(browser, 'scope=snsapi_base');
    expect((await browser.fetch(callbackPaths[0]!)).headers.get('location')).toBe('/');
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: '' });
  });

  it('never redirects off-site', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const browser = app.client();
      const { callbackPaths } = await authorize(browser, `next=${encodeURIComponent(next)}`);
      expect((await browser.fetch(callbackPaths[0]!)).headers.get('location')).toBe('/');
    }
  });

  it('refuses an unknown scope', async () => {
    expect((await app.client().fetch('/auth/wechat/oa/start?scope=snsapi_login')).status).toBe(400);
  });
});

describe('the OA callback checks the state before any code exchange', () => {
  it('refuses a forged state or a state from another session; a reused state exchanges nothing', async () => {
    const browser = app.client();
    const { callbackPaths, codes } = await authorize(browser, 'next=/x');
    const forged = callbackPaths[0]!.replace(/state=[A-Za-z0-9]+/, `state=${'F'.repeat(32)}`);
    expect((await browser.fetch(forged)).status).toBe(400);
    // Another browser holding the real callback URL: its session has no such state.
    expect((await app.client().fetch(callbackPaths[0]!)).status).toBe(400);
    expect(await codeStillUsable(codes[0]!)).toBe(true);

    const again = await authorize(browser, 'next=/x');
    expect((await browser.fetch(again.callbackPaths[0]!)).status).toBe(302);
    const replay = again.callbackPaths[0]!.replace(/code=[A-Za-z0-9]+/, `code=${h.emulator.issueCode({ appid: OA.appid, user: 'lilei' })}`);
    const code = new URL(replay, app.url).searchParams.get('code')!;
    // Indistinguishable from WeChat's late duplicate: sent where the first callback went, no exchange.
    const replayed = await app.client().fetch(replay);
    expect(replayed.status).toBe(302);
    expect(replayed.headers.get('location')).toBe('/x');
    expect(await codeStillUsable(code)).toBe(true);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('exchanges only the first of WeChat’s duplicate callbacks', async () => {
    h.emulator.knobs.set({ duplicateCallbacks: true });
    const browser = app.client();
    const { callbackPaths, codes } = await authorize(browser, 'next=/home');
    // Both requests leave the in-app browser with the same (pre-login) cookies.
    const twin = new TestClient(app.url);
    for (const [name, value] of browser.cookies) twin.cookies.set(name, value);
    expect((await browser.fetch(callbackPaths[0]!)).headers.get('location')).toBe('/home');
    expect((await twin.fetch(callbackPaths[1]!)).headers.get('location')).toBe('/home');
    expect(await codeStillUsable(codes[1]!)).toBe(true);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('refuses snapshot-mode users with an explanation, storing nothing', async () => {
    h.emulator.knobs.set({ snapshotUsers: ['xiaoming'] });
    const browser = app.client();
    const { callbackPaths } = await authorize(browser, 'scope=snsapi_userinfo', 'xiaoming');
    const response = await browser.fetch(callbackPaths[0]!);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/snapshot/);
    expect((await browser.query('auth.me')).data).toBeNull();
    expect(await db.knex('wechat_profile').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});
