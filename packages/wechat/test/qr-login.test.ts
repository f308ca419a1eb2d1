/**
 * The QR-code login end to end: a full app (sessions, CSRF, tRPC) with the WeChat routes,
 * against the emulator, which requests our callback itself (`perform: true`) as the browser
 * redirected by WeChat would. SQLite + MemoryStore by default; MariaDB + Redis with
 * DATABASE_URL / REDIS_URL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@koa-auth/core';
import { QrLogin, WechatClient, WechatProfile, wechatMigrations } from '@koa-auth/wechat';
import type { PhoneActionResult } from '@koa-auth/wechat-emulator';
import type { Context } from 'koa';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TestClient } from '@koa-auth/koa/testing';
import { openSse } from './support/sse.js';
import { startWechatApp, type WechatTestApp } from './support/wechat-app.js';
import { WEB, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';
import { closeAll } from './support/close-all.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let app: WechatTestApp;
/** Added to the QR flow's clock, to expire states without waiting. */
let clockOffsetMs = 0;

beforeAll(async () => {
  db = await createTestDb('wechat/qr-login', wechatMigrations);
  stores = new TestStores('qr-login');
  h = await startWechatEmulator();
  app = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url, qr: { now: () => Date.now() + clockOffsetMs } });
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
  clockOffsetMs = 0;
});

interface Started {
  state: string;
  qrUrl: string;
  expiresAt: string;
  browserKey?: string;
}

async function start(browser: TestClient, input?: object, procedure = 'wechat.start'): Promise<Started> {
  const result = await browser.mutation(procedure, input);
  expect(result.error).toBeUndefined();
  return result.data as Started;
}

/** The phone confirms (or denies) the state's QR code; the emulator then calls our callback. */
async function phone(state: string, user = 'xiaoming', action: 'confirm' | 'deny' = 'confirm'): Promise<PhoneActionResult> {
  return h.emulator.phone({ appid: WEB.appid, redirect_uri: app.callbackUrl, state, user, action, perform: true });
}

const status = async (browser: TestClient, state: string, browserKey?: string) =>
  browser.query('wechat.status', { state, ...(browserKey ? { browserKey } : {}) });

/** A direct exchange: succeeds only if nobody redeemed the code before. */
async function codeStillUsable(code: string): Promise<boolean> {
  const client = new WechatClient({ ...WEB, apiBaseUrl: h.url, openBaseUrl: h.url });
  return client.exchangeCode(code).then(
    () => true,
    () => false,
  );
}

async function passwordUser(username: string): Promise<{ user: User; browser: TestClient }> {
  const user = await app.auth.users.createUser({ username, password: PASSWORD });
  const browser = app.client();
  expect((await browser.mutation('auth.login', { identifier: username, password: PASSWORD })).status).toBe(200);
  return { user, browser };
}

describe('QR login through tRPC', () => {
  it('start → the phone confirms → status confirmed → complete → logged in', async () => {
    const browser = app.client();
    const { state, qrUrl, expiresAt } = await start(browser);
    expect(state).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 250_000);
    expect(qrUrl.startsWith(`${h.url}/connect/qrconnect?appid=${WEB.appid}&redirect_uri=${encodeURIComponent(app.callbackUrl)}`)).toBe(true);
    expect((await status(browser, state)).data).toMatchObject({ status: 'pending', mode: 'login' });

    // The browser shows WeChat's QR page; the phone confirms through the emulator's control API.
    const page = await fetch(qrUrl);
    const ticket = page.headers.get('x-emulator-ticket');
    expect(page.status).toBe(200);
    const confirmed = await fetch(`${h.url}/__emulator/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket, user: 'xiaoming', perform: true }),
    });
    const body = (await confirmed.json()) as PhoneActionResult;
    expect(body.callbacks).toEqual([expect.objectContaining({ status: 200 })]);

    expect((await status(browser, state)).data).toMatchObject({ status: 'confirmed' });
    // The callback did not log anyone in: only `complete`, from this browser, does.
    expect((await browser.query('auth.me')).data).toBeNull();
    const completed = await browser.mutation('wechat.complete', { state });
    expect(completed.data).toEqual({ mode: 'login', userId: expect.any(Number) });
    const me = (await browser.query('auth.me')).data;
    expect(me).toMatchObject({ id: completed.data.userId, nickname: '小明🐱', accountType: 'wechat', hasUsablePassword: false });

    // Single use.
    const again = await browser.mutation('wechat.complete', { state });
    expect(again.error?.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { state: [{ code: 'state_invalid' }] } });
    expect((await status(browser, state)).data).toEqual({ status: 'expired' });
  });

  it('bearer mode: bound to a browserKey, completes with a token pair', async () => {
    const browser = app.client();
    const { state, browserKey } = await start(browser, { bearer: true });
    expect(browserKey).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(browser.cookies.size).toBe(0);
    await phone(state, 'hanmeimei');
    expect((await status(browser, state, browserKey)).data).toMatchObject({ status: 'confirmed' });
    expect((await status(browser, state)).error?.data.code).toBe('FORBIDDEN');
    const completed = await browser.mutation('wechat.complete', { state, browserKey });
    expect(completed.data).toMatchObject({ mode: 'login', tokens: { tokenType: 'Bearer', accessToken: expect.any(String) } });
    const api = app.client();
    const me = await api.query('auth.me', undefined, { headers: { authorization: `Bearer ${completed.data.tokens.accessToken}` } });
    expect(me.data).toMatchObject({ nickname: '韩梅梅🌸✨' });
  });

  it('another browser can neither read nor complete the state', async () => {
    const owner = app.client();
    const { state } = await start(owner);
    const stranger = app.client();
    await stranger.fetch('/trpc/auth.me'); // has a session of its own
    expect((await status(stranger, state)).error?.data.code).toBe('FORBIDDEN');
    expect((await status(stranger, state, 'A'.repeat(43))).error?.data.code).toBe('FORBIDDEN');
    await phone(state);
    expect((await stranger.mutation('wechat.complete', { state })).error?.data.code).toBe('FORBIDDEN');
    expect((await stranger.query('auth.me')).data).toBeNull();
    // The stranger's attempts consumed nothing.
    expect((await owner.mutation('wechat.complete', { state })).data).toMatchObject({ mode: 'login' });
  });

  it('a planted session cookie never completes the victim’s login (issue 9.4)', async () => {
    // The attacker gets a session of their own (here: logged in to their own account) and
    // starts a login in it…
    const { user: mallory, browser: attacker } = await passwordUser('mallory');
    await start(attacker);
    const planted = attacker.sessionId();
    expect(planted).toEqual(expect.any(String));
    // …plants that session cookie in the victim's browser, where the victim starts a login.
    const victim = app.client();
    for (const name of ['sessionid', 'sessionid.sig']) victim.cookies.set(name, attacker.cookies.get(name)!);
    const { state } = await start(victim);
    // The state is no secret (it is in the QR code on the victim's screen); the victim confirms.
    await phone(state, 'hanmeimei');
    const stolen = await attacker.mutation('wechat.complete', { state });
    expect(stolen.error?.data.code).toBe('FORBIDDEN');
    expect((await attacker.query('auth.me')).data).toMatchObject({ id: mallory.id });
    expect((await attacker.query('wechat.status', { state })).error?.data.code).toBe('FORBIDDEN');
    // The victim's own browser completes, and lands in a new session the attacker does not hold.
    expect((await victim.mutation('wechat.complete', { state })).data).toMatchObject({ mode: 'login' });
    expect(victim.sessionId()).not.toBe(planted);
    expect((await victim.query('auth.me')).data).toMatchObject({ nickname: '韩梅梅🌸✨' });
    // The shared session id died with the victim's login: the attacker holds nothing now.
    expect((await attacker.query('auth.me')).data).toBeNull();
  });

  it('the per-login cookie is httpOnly, one per login (two tabs do not clash), and gone after complete', async () => {
    const browser = app.client();
    const first = await browser.fetch('/trpc/wechat.start', { method: 'POST', headers: { 'content-type': 'application/json' } });
    const setCookie = first.headers.getSetCookie().find((c) => c.startsWith('wxqr_'))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const tab1 = ((await first.json()) as { result: { data: Started } }).result.data;
    const tab2 = await start(browser);
    expect([...browser.cookies.keys()].filter((k) => k.startsWith('wxqr_'))).toHaveLength(2);
    await phone(tab1.state, 'xiaoming');
    await phone(tab2.state, 'lilei');
    expect((await browser.mutation('wechat.complete', { state: tab1.state })).data).toMatchObject({ mode: 'login' });
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: '小明🐱' });
    expect((await browser.mutation('wechat.complete', { state: tab2.state })).data).toMatchObject({ mode: 'login' });
    expect((await browser.query('auth.me')).data).toMatchObject({ nickname: '李雷👨‍💻' });
    expect([...browser.cookies.keys()].filter((k) => k.startsWith('wxqr_'))).toHaveLength(0);
  });

  it('keeps at most five pending logins per browser, dropping the oldest', async () => {
    const browser = app.client();
    const states: string[] = [];
    for (let i = 0; i < 7; i++) {
      states.push((await start(browser)).state);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...browser.cookies.keys()].filter((k) => k.startsWith('wxqr_'))).toHaveLength(5);
    expect((await status(browser, states[0]!)).error?.data.code).toBe('FORBIDDEN');
    expect((await status(browser, states[6]!)).data).toMatchObject({ status: 'pending' });
    expect((await status(browser, states[2]!)).data).toMatchObject({ status: 'pending' });
  });

  it('complete before the phone confirmed is a CONFLICT, and consumes nothing', async () => {
    const browser = app.client();
    const { state } = await start(browser);
    expect((await browser.mutation('wechat.complete', { state })).error?.data.code).toBe('CONFLICT');
    await phone(state);
    expect((await browser.mutation('wechat.complete', { state })).data).toMatchObject({ mode: 'login' });
  });

  it('the callback can send the browser on to a success URL', async () => {
    const other = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url, successUrl: '/welcome' });
    try {
      const browser = other.client();
      const { state } = await start(browser);
      const result = await h.emulator.phone({ appid: WEB.appid, redirect_uri: other.callbackUrl, state, user: 'lilei', perform: true });
      expect(result.callbacks).toEqual([expect.objectContaining({ status: 302, location: '/welcome' })]);
    } finally {
      await other.close();
    }
  });
});

describe('the callback checks the state before any code exchange', () => {
  const callback = (query: string) => fetch(`${app.url}/auth/wechat/callback?${query}`, { redirect: 'manual' });

  it('refuses a missing, malformed or forged state and leaves the code unused', async () => {
    const code = h.emulator.issueCode({ appid: WEB.appid, user: 'xiaoming' });
    for (const query of [`code=${code}`, `code=${code}&state=`, `code=${code}&state=short`, `code=${code}&state=${'F'.repeat(32)}`]) {
      const response = await callback(query);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).not.toContain(code);
    }
    expect(await codeStillUsable(code)).toBe(true);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses an expired state', async () => {
    const browser = app.client();
    const { state } = await start(browser);
    clockOffsetMs = 301_000;
    const code = h.emulator.issueCode({ appid: WEB.appid, user: 'xiaoming' });
    expect((await callback(`code=${code}&state=${state}`)).status).toBe(400);
    expect(await codeStillUsable(code)).toBe(true);
    expect((await status(browser, state)).data).toMatchObject({ status: 'expired' });
  });

  it('refuses a state that was already completed', async () => {
    const browser = app.client();
    const { state } = await start(browser);
    await phone(state);
    await browser.mutation('wechat.complete', { state });
    const code = h.emulator.issueCode({ appid: WEB.appid, user: 'hanmeimei' });
    expect((await callback(`code=${code}&state=${state}`)).status).toBe(400);
    expect(await codeStillUsable(code)).toBe(true);
  });

  it('answers WeChat’s duplicate callback like the first, without exchanging its code', async () => {
    h.emulator.knobs.set({ duplicateCallbacks: true });
    const browser = app.client();
    const { state } = await start(browser);
    const result = await phone(state);
    expect(result.codes).toHaveLength(2);
    expect(result.callbacks?.map((c) => c.status)).toEqual([200, 200]);
    expect(await codeStillUsable(result.codes[1]!)).toBe(true);
    expect((await status(browser, state)).data).toMatchObject({ status: 'confirmed' });
    expect((await browser.mutation('wechat.complete', { state })).data).toMatchObject({ mode: 'login' });
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});

describe('many callbacks for one person', () => {
  it('20 QR logins of the same WeChat user confirmed at once create one user', async () => {
    const browsers = Array.from({ length: 20 }, () => app.client());
    const states = await Promise.all(browsers.map(async (browser) => (await start(browser)).state));
    await Promise.all(states.map((state) => phone(state, 'laowang')));
    const completed = await Promise.all(browsers.map((browser, i) => browser.mutation('wechat.complete', { state: states[i] })));
    expect(new Set(completed.map((c) => c.data?.userId)).size).toBe(1);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await WechatProfile.query(db.knex)).toHaveLength(1);
  });
});

describe('outcomes other than success are final, never stuck pending', () => {
  it('retries errcode -1 on userinfo', async () => {
    h.emulator.knobs.failNext('userinfo', 1);
    const browser = app.client();
    const { state } = await start(browser);
    await phone(state);
    expect((await status(browser, state)).data).toMatchObject({ status: 'confirmed' });
  });

  it('reports WeChat errors as `error` with the errcode (userinfo keeps failing; exchange is never retried)', async () => {
    const browser = app.client();
    h.emulator.knobs.failNext('userinfo', 3);
    const first = await start(browser);
    await phone(first.state);
    expect((await status(browser, first.state)).data).toMatchObject({ status: 'error', reason: { code: 'wechat_api_error', errcode: -1 } });

    h.emulator.knobs.failNext('access_token', 1);
    const second = await start(browser);
    await phone(second.state);
    expect((await status(browser, second.state)).data).toMatchObject({ status: 'error', reason: { errcode: -1 } });
    const completed = await browser.mutation('wechat.complete', { state: second.state });
    expect(completed.error?.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { state: [{ code: 'wechat_api_error' }] } });
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('a used or expired code: 400 page "the login link expired, start again" with Start again and Home (issue 12.3)', async () => {
    const browser = app.client();
    const { state } = await start(browser);
    const code = h.emulator.issueCode({ appid: WEB.appid, user: 'xiaoming' });
    await codeStillUsable(code); // spent elsewhere first
    const response = await fetch(`${app.url}/auth/wechat/callback?code=${code}&state=${state}`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('The login link expired. Please start again.');
    expect(html).toContain('<a class="button" href="/" target="_top" id="start-again">Start again</a>');
    expect(html).toContain('id="home"');
    expect((await status(browser, state)).data).toMatchObject({ status: 'error', reason: { code: 'code_expired', errcode: 40163 } });
  });

  it('a legacy refusal redirect (state, no code) is `denied`', async () => {
    h.emulator.knobs.set({ refusal: 'state_only' });
    const browser = app.client();
    const { state } = await start(browser);
    const result = await phone(state, 'xiaoming', 'deny');
    expect(result.callbacks?.[0]?.status).toBe(403);
    expect((await status(browser, state)).data).toMatchObject({ status: 'denied', reason: { code: 'cancelled' } });
  });
});

describe('wechat.onStatus (server-sent events)', () => {
  const url = (state: string) => `${app.url}/trpc/wechat.onStatus?input=${encodeURIComponent(JSON.stringify({ state }))}`;

  it('yields the current status, then the change, then ends', async () => {
    const browser = app.client();
    const { state } = await start(browser);
    const events = await openSse<{ status: string }>(url(state), { cookie: browser.cookieHeader() });
    try {
      expect(await events.next()).toMatchObject({ status: 'pending' });
      await phone(state);
      expect(await events.next()).toMatchObject({ status: 'confirmed' });
      expect(await events.next()).toBeNull();
    } finally {
      events.close();
    }
  });

  it('stops at once when the client goes away', async () => {
    const { state, browserKey } = await start(app.client(), { bearer: true });
    const abort = new AbortController();
    const watch = await app.wechat.qr.watch({} as Context, state, browserKey, abort.signal);
    expect((await watch.next()).value).toMatchObject({ status: 'pending' });
    const pending = watch.next();
    abort.abort();
    const startedAt = Date.now();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(Date.now() - startedAt).toBeLessThan(150);
  });

  it('a lost pub/sub message cannot hang it: the store is re-read', async () => {
    // A store whose messages never arrive.
    const base = stores.open();
    const lossy = new Proxy(base, {
      get(target, name) {
        if (name === 'publish') return async () => {};
        const value: unknown = Reflect.get(target, name, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const qr = new QrLogin<User>({
      auth: app.auth,
      backend: app.wechat.backend,
      callbackUrl: app.callbackUrl,
      tokens: app.tokens,
      store: lossy,
      keyPrefix: 'wechat:qr-lossy:',
      pollIntervalMs: 100,
    });
    const { state, browserKey } = await qr.start({} as Context, { bearer: true });
    const watch = await qr.watch({} as Context, state, browserKey);
    expect((await watch.next()).value).toMatchObject({ status: 'pending' });
    const code = h.emulator.issueCode({ appid: WEB.appid, user: 'lilei' });
    expect(await qr.handleCallback({ state, code })).toMatchObject({ kind: 'handled', outcome: { status: 'confirmed' } });
    expect((await watch.next()).value).toMatchObject({ status: 'confirmed' });
    expect((await watch.next()).done).toBe(true);
  });

  it('refuses another browser', async () => {
    const { state } = await start(app.client());
    const stranger = app.client();
    await stranger.fetch('/trpc/auth.me');
    const events = await openSse(url(state), { cookie: stranger.cookieHeader() });
    try {
      expect(await events.next()).toMatchObject({ error: { data: { code: 'FORBIDDEN' } } });
    } finally {
      events.close();
    }
  });
});

describe('binding and unbinding', () => {
  it('links the scanned WeChat account to the logged-in user', async () => {
    const { user, browser } = await passwordUser('alice');
    const { state } = await start(browser, undefined, 'wechat.bind');
    await phone(state, 'lilei');
    expect((await status(browser, state)).data).toMatchObject({ status: 'confirmed', mode: 'bind' });
    const completed = await browser.mutation('wechat.complete', { state });
    expect(completed.data).toMatchObject({ mode: 'bind', userId: user.id, profile: { nickname: '李雷👨‍💻', appid: WEB.appid } });
    expect((await browser.query('auth.me')).data).toMatchObject({ username: 'alice' });

    const profiles = (await browser.query('wechat.profiles')).data;
    expect(profiles).toEqual([
      { id: expect.any(Number), appid: WEB.appid, nickname: '李雷👨‍💻', headimgurl: '', linkedAt: expect.any(String), updatedAt: expect.any(String) },
    ]);

    // From now on, a WeChat login with that account is a login as alice.
    const elsewhere = app.client();
    const login = await start(elsewhere);
    await phone(login.state, 'lilei');
    expect((await elsewhere.mutation('wechat.complete', { state: login.state })).data).toMatchObject({ userId: user.id });
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('refuses to bind a WeChat account linked to another user', async () => {
    const first = app.client();
    const login = await start(first);
    await phone(login.state, 'xiaoming');
    const owner = (await first.mutation('wechat.complete', { state: login.state })).data.userId as number;

    const { browser } = await passwordUser('bob');
    const { state } = await start(browser, { mode: 'bind' });
    await phone(state, 'xiaoming');
    expect((await status(browser, state)).data).toMatchObject({ status: 'denied', reason: { code: 'wechat_already_bound' } });
    const completed = await browser.mutation('wechat.complete', { state });
    expect(completed.error?.data.fieldErrors?.state?.[0]?.code).toBe('wechat_already_bound');
    expect(completed.error?.message).toMatch(/already linked to another user/);
    expect((await WechatProfile.query(db.knex)).map((p) => p.userId)).toEqual([owner]);
    expect((await browser.query('auth.me')).data).toMatchObject({ username: 'bob' });
  });

  it('binding needs a logged-in user', async () => {
    const browser = app.client();
    expect((await browser.mutation('wechat.bind')).error?.data.code).toBe('UNAUTHORIZED');
    expect((await browser.mutation('wechat.start', { mode: 'bind' })).error?.data.code).toBe('UNAUTHORIZED');
  });

  it('refuses to unbind the last way to sign in, allows it once the user has a password', async () => {
    const browser = app.client();
    const { state } = await start(browser);
    await phone(state, 'alice');
    const { userId } = (await browser.mutation('wechat.complete', { state })).data as { userId: number };
    const [profile] = (await browser.query('wechat.profiles')).data as Array<{ id: number }>;

    const refused = await browser.mutation('wechat.unbind', { profileId: profile!.id });
    expect(refused.error?.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { __all__: [{ code: 'last_login_method' }] } });
    expect(refused.error?.message).toMatch(/only way to sign in/);

    const user = (await app.auth.users.getById(userId))!;
    await app.auth.users.setPassword(user, PASSWORD);
    // The password change ended the session (session auth hash): log in with the password.
    expect((await browser.mutation('auth.login', { identifier: user.username, password: PASSWORD })).status).toBe(200);
    expect((await browser.mutation('wechat.unbind', { profileId: profile!.id })).data).toEqual({ ok: true });
    expect((await browser.query('wechat.profiles')).data).toEqual([]);
  });

  it('cannot unbind someone else’s account', async () => {
    const first = app.client();
    const login = await start(first);
    await phone(login.state, 'hanmeimei');
    await first.mutation('wechat.complete', { state: login.state });
    const [profile] = await WechatProfile.query(db.knex);

    const { browser } = await passwordUser('mallory');
    expect((await browser.mutation('wechat.unbind', { profileId: profile!.id })).error?.data.code).toBe('NOT_FOUND');
    expect((await browser.mutation('wechat.unbind', { appid: WEB.appid })).error?.data.code).toBe('NOT_FOUND');
    expect(await WechatProfile.query(db.knex)).toHaveLength(1);
  });
});
