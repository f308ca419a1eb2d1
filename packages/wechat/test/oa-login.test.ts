/**
 * Official Account web authorization: an explicit start on this site (tRPC `wechat.oaStart` or
 * the start route's form POST) → WeChat's consent page (the emulator) →
 * /auth/wechat/oa/callback → logged in (or linked) and sent on to a safe `next`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WechatClient, WechatProfile, wechatMigrations } from '@koa-auth/wechat';
import { OA_RETURNING_COOKIE } from '../src/oa-login/oa-login.js';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import { TestClient } from '@koa-auth/koa/testing';
import { startWechatApp, type WechatTestApp } from './support/wechat-app.js';
import { OA, WEB, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';
import { closeAll } from './support/close-all.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let app: WechatTestApp;
/** Same database and emulator, OA configured with `baseForReturningUsers`. */
let returningApp: WechatTestApp;

beforeAll(async () => {
  db = await createTestDb('wechat/oa-login', wechatMigrations);
  stores = new TestStores('oa-login');
  h = await startWechatEmulator();
  app = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url });
  returningApp = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url, oa: { baseForReturningUsers: true } });
});
afterAll(() =>
  closeAll(
    () => app?.close(),
    () => returningApp?.close(),
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

/** Start through tRPC (as the demo's button does); returns WeChat's consent URL. */
async function start(browser: TestClient, input: { mode?: 'login' | 'bind'; next?: string } = {}): Promise<string> {
  const result = await browser.mutation('wechat.oaStart', input);
  expect(result.error).toBeUndefined();
  return (result.data as { url: string }).url;
}

/** The "WeChat user" approves the consent page at `url`: the callback path(s), with code and state. */
async function approve(site: WechatTestApp, url: string, user = 'hanmeimei'): Promise<{ callbackPaths: string[]; codes: string[] }> {
  expect(url.startsWith(`${h.url}/connect/oauth2/authorize?appid=${OA.appid}&redirect_uri=`)).toBe(true);
  expect(url.endsWith('#wechat_redirect')).toBe(true);
  // The consent page validates the link as WeChat would (parameter order, state charset…).
  const page = await fetch(url);
  expect(page.headers.get('x-emulator-error')).toBeNull();
  const result = await h.emulator.phone({ ticket: page.headers.get('x-emulator-ticket')!, user });
  return { callbackPaths: result.redirectUrls.map((u) => u.slice(site.url.length)), codes: result.codes };
}

async function authorize(browser: TestClient, input: { mode?: 'login' | 'bind'; next?: string } = {}, user = 'hanmeimei', site = app) {
  return approve(site, await start(browser, input), user);
}

/** The same-site path a result page goes on to (meta refresh), or null. */
async function continueTo(response: Response): Promise<string | null> {
  const match = /<meta http-equiv="refresh" content="0;url=([^"]*)">/.exec(await response.text());
  return match ? match[1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))) : null;
}

const scopeOf = (url: string) => new URL(url).searchParams.get('scope');
const flowCookies = (browser: TestClient) => [...browser.cookies.keys()].filter((k) => k.startsWith('wxoa_'));

const codeStillUsable = (code: string) =>
  new WechatClient({ ...OA, apiBaseUrl: h.url }).exchangeCode(code).then(
    () => true,
    () => false,
  );

async function passwordUser(username: string) {
  const user = await app.auth.users.createUser({ username, password: PASSWORD });
  const browser = app.client();
  expect((await browser.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
  return { user, browser };
}

describe('Official Account login', () => {
  it('logs in and goes on to `next` by a page, not a redirect (no #wechat_redirect left in the address bar)', async () => {
    const browser = app.client();
    const { callbackPaths } = await authorize(browser, { next: '/account?tab=1' });
    const response = await browser.fetch(callbackPaths[0]!);
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(await continueTo(response)).toBe('/account?tab=1');
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: '韩梅梅🌸✨', accountType: 'wechat' });
    expect(flowCookies(browser)).toHaveLength(0);
  });

  it('never sends the browser off-site', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const browser = app.client();
      const { callbackPaths } = await authorize(browser, { next });
      expect(await continueTo(await browser.fetch(callbackPaths[0]!))).toBe('/');
    }
  });

  it('an app configured for snsapi_base logs in without a profile read', async () => {
    const baseApp = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url, oa: { scope: 'snsapi_base' } });
    try {
      const browser = baseApp.client();
      const url = await start(browser);
      expect(scopeOf(url)).toBe('snsapi_base');
      const { callbackPaths } = await approve(baseApp, url);
      expect((await browser.fetch(callbackPaths[0]!)).status).toBe(200);
      expect((await browser.query('auth.me')).data).toMatchObject({ nickname: '' });
    } finally {
      await baseApp.close();
    }
  });
});

describe('only an explicit action on this site starts it (issue 12.2)', () => {
  it('a cross-site GET of the start route starts nothing: it shows a page whose button posts', async () => {
    const visitor = app.client();
    const response = await visitor.fetch('/auth/wechat/oa/start?scope=snsapi_base&next=/x', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/auth/wechat/oa/start?mode=login&#38;next=%2Fx"');
    expect(html).not.toContain(h.url);
    expect(flowCookies(visitor)).toHaveLength(0);
  });

  it('a cross-site POST is refused (form route and tRPC); a same-site form POST starts, with the configured scope', async () => {
    const visitor = app.client();
    const crossSite = { method: 'POST', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } };
    const form = await visitor.fetch('/auth/wechat/oa/start?scope=snsapi_base', crossSite);
    expect(form.status).toBe(403);
    expect(form.headers.get('location')).toBeNull();
    const trpc = await visitor.mutation('wechat.oaStart', {}, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(trpc.status).toBe(403);
    expect(flowCookies(visitor)).toHaveLength(0);

    const sameSite = await visitor.fetch('/auth/wechat/oa/start?scope=snsapi_base&next=/y', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } });
    expect(sameSite.status).toBe(303);
    const url = sameSite.headers.get('location')!;
    // The query's scope is ignored: the app's configuration decides.
    expect(scopeOf(url)).toBe('snsapi_userinfo');
    expect(flowCookies(visitor)).toHaveLength(1);
    const { callbackPaths } = await approve(app, url);
    expect(await continueTo(await visitor.fetch(callbackPaths[0]!))).toBe('/y');
  });

  it('a logged-in password user who goes through OA login does not get WeChat linked to their account', async () => {
    const { user, browser } = await passwordUser('alice');
    const { callbackPaths } = await authorize(browser, {}, 'hanmeimei');
    expect((await browser.fetch(callbackPaths[0]!)).status).toBe(200);
    expect(await WechatProfile.query(db.knex).where('user_id', user.id)).toHaveLength(0);
    // The browser is now the WeChat user's (a login, not a link).
    expect((await browser.query('auth.me')).data).toMatchObject({ accountType: 'wechat', nickname: '韩梅梅🌸✨' });
  });

  it('binds only through the explicit bind flow, for the logged-in user who started it', async () => {
    expect((await app.client().mutation('wechat.oaStart', { mode: 'bind' })).error?.data.code).toBe('UNAUTHORIZED');
    const { user, browser } = await passwordUser('bob');
    const { callbackPaths } = await authorize(browser, { mode: 'bind', next: '/profile' }, 'lilei');
    const response = await browser.fetch(callbackPaths[0]!);
    expect(response.status).toBe(200);
    expect(await continueTo(response)).toBe('/profile');
    expect(await WechatProfile.query(db.knex).where('user_id', user.id)).toEqual([expect.objectContaining({ appid: OA.appid })]);
    expect((await browser.query('auth.me')).data).toMatchObject({ id: user.id });
  });

  it('refuses a binding whose WeChat account belongs to someone else', async () => {
    const owner = app.client();
    await owner.fetch((await authorize(owner, {}, 'xiaoming')).callbackPaths[0]!);
    const { user, browser } = await passwordUser('carol');
    const response = await browser.fetch((await authorize(browser, { mode: 'bind' }, 'xiaoming')).callbackPaths[0]!);
    expect(response.status).toBe(409);
    expect(await WechatProfile.query(db.knex).where('user_id', user.id)).toHaveLength(0);
  });
});

describe('the OA callback checks state and browser before any code exchange', () => {
  it('refuses a forged state, or the right state in another browser (even one holding a planted session)', async () => {
    const { browser: attacker } = await passwordUser('mallory');
    const victim = app.client();
    // The attacker's session cookie, planted in the victim's browser.
    for (const name of ['sessionid', 'sessionid.sig']) victim.cookies.set(name, attacker.cookies.get(name)!);
    const { callbackPaths, codes } = await authorize(victim, { next: '/x' });
    const forged = callbackPaths[0]!.replace(/state=[A-Za-z0-9]+/, `state=${'F'.repeat(32)}`);
    expect((await victim.fetch(forged)).status).toBe(400);
    // The attacker replays the victim's callback URL with the shared session: no flow cookie, refused.
    const stolen = await attacker.fetch(callbackPaths[0]!);
    expect(stolen.status).toBe(400);
    expect(await stolen.text()).toContain('The login link expired. Please start again.');
    expect(await codeStillUsable(codes[0]!)).toBe(true);
    expect((await attacker.query('auth.me')).data).toMatchObject({ username: 'mallory' });
  });

  it('a late replay of a used callback URL exchanges nothing and goes where the first went', async () => {
    const browser = app.client();
    const { callbackPaths } = await authorize(browser, { next: '/x' });
    expect((await browser.fetch(callbackPaths[0]!)).status).toBe(200);
    const replay = callbackPaths[0]!.replace(/code=[A-Za-z0-9]+/, `code=${h.emulator.issueCode({ appid: OA.appid, user: 'lilei' })}`);
    const code = new URL(replay, app.url).searchParams.get('code')!;
    const replayed = await app.client().fetch(replay);
    expect(await continueTo(replayed)).toBe('/x');
    expect(await codeStillUsable(code)).toBe(true);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('exchanges only the first of WeChat’s duplicate callbacks', async () => {
    h.emulator.knobs.set({ duplicateCallbacks: true });
    const browser = app.client();
    const { callbackPaths, codes } = await authorize(browser, { next: '/home' });
    // Both requests leave the in-app browser with the same (pre-login) cookies.
    const twin = new TestClient(app.url);
    for (const [name, value] of browser.cookies) twin.cookies.set(name, value);
    expect(await continueTo(await browser.fetch(callbackPaths[0]!))).toBe('/home');
    expect(await continueTo(await twin.fetch(callbackPaths[1]!))).toBe('/home');
    expect(await codeStillUsable(codes[1]!)).toBe(true);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('refuses snapshot-mode users with an explanation, storing nothing', async () => {
    h.emulator.knobs.set({ snapshotUsers: ['xiaoming'] });
    const browser = app.client();
    const { callbackPaths } = await authorize(browser, {}, 'xiaoming');
    const response = await browser.fetch(callbackPaths[0]!);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/snapshot/);
    expect((await browser.query('auth.me')).data).toBeNull();
    expect(await db.knex('wechat_profile').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe('errors a person can act on (issue 12.3)', () => {
  it('a used or expired code is a client error saying to start again, with Start again and Home', async () => {
    const browser = app.client();
    const { callbackPaths, codes } = await authorize(browser, { next: '/x' });
    // The code was spent elsewhere (WeChat's "code been used") before our callback ran.
    await new WechatClient({ ...OA, apiBaseUrl: h.url }).exchangeCode(codes[0]!);
    const response = await browser.fetch(callbackPaths[0]!);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('The login link expired. Please start again.');
    expect(html).toContain('<form method="post" action="/auth/wechat/oa/start?mode=login&#38;next=%2Fx" target="_top"><button type="submit" id="start-again">');
    expect(html).toContain('<a href="/" target="_top" id="home">Home</a>');
  });

  it('a WeChat outage is a 502 with the same way out', async () => {
    h.emulator.knobs.failNext('access_token', 1);
    const browser = app.client();
    const { callbackPaths } = await authorize(browser);
    const response = await browser.fetch(callbackPaths[0]!);
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('id="start-again"');
  });

  it('a second tab starting OA login does not break the first tab’s pending login', async () => {
    const browser = app.client();
    const first = await authorize(browser, { next: '/first' }, 'alice');
    const second = await authorize(browser, { next: '/second' }, 'alice');
    expect(flowCookies(browser)).toHaveLength(2);
    expect(await continueTo(await browser.fetch(first.callbackPaths[0]!))).toBe('/first');
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: 'Alice 🇬🇧' });
    expect(await continueTo(await browser.fetch(second.callbackPaths[0]!))).toBe('/second');
  });
});

describe('snsapi_base for returning users (baseForReturningUsers)', () => {
  it('first login asks for snsapi_userinfo; the returning browser then logs in silently to the same user', async () => {
    const browser = returningApp.client();
    const first = await start(browser);
    expect(scopeOf(first)).toBe('snsapi_userinfo');
    await browser.fetch((await approve(returningApp, first, 'lilei')).callbackPaths[0]!);
    const me = (await browser.query('auth.me')).data as { id: number };
    expect(browser.cookies.get(OA_RETURNING_COOKIE)).toBe('1');

    const again = await start(browser);
    expect(scopeOf(again)).toBe('snsapi_base');
    await browser.fetch((await approve(returningApp, again, 'lilei')).callbackPaths[0]!);
    expect((await browser.query('auth.me')).data).toMatchObject({ id: me.id });
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('a silent login that finds nobody signs nobody up: it goes on to snsapi_userinfo', async () => {
    const browser = returningApp.client();
    browser.cookies.set(OA_RETURNING_COOKIE, '1');
    const url = await start(browser);
    expect(scopeOf(url)).toBe('snsapi_base');
    const response = await browser.fetch((await approve(returningApp, url, 'alice')).callbackPaths[0]!);
    expect(response.status).toBe(302);
    expect(scopeOf(response.headers.get('location')!)).toBe('snsapi_userinfo');
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 0 }]);
    await browser.fetch((await approve(returningApp, response.headers.get('location')!, 'alice')).callbackPaths[0]!);
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: 'Alice 🇬🇧' });
  });

  it('a user who first came through website QR lands on the same account through both scopes', async () => {
    const code = h.emulator.issueCode({ appid: WEB.appid, user: 'xiaoming' });
    const web = (await returningApp.auth.authenticate({}, { wechatCode: code, appid: WEB.appid }))!;
    const browser = returningApp.client();
    await browser.fetch((await approve(returningApp, await start(browser), 'xiaoming')).callbackPaths[0]!);
    expect((await browser.query('auth.me')).data).toMatchObject({ id: web.id });
    const silent = await start(browser);
    expect(scopeOf(silent)).toBe('snsapi_base');
    await browser.fetch((await approve(returningApp, silent, 'xiaoming')).callbackPaths[0]!);
    expect((await browser.query('auth.me')).data).toMatchObject({ id: web.id });
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
