/**
 * WeChat Mini Program login and phone binding, black box: a full app (tRPC over HTTP, bearer
 * tokens) against the emulator. Covers find-or-create (unionid merge with the website app, one
 * row per (appid, openid)), the token pair, errors and their statuses, phone binding and the
 * mixed login with that phone, the attacks (replayed codes, another app's or user's phone code,
 * a forged watermark), and the session_key: kept server-side, replaced, dropped on logout and
 * revocation, and never in an answer, a token, a log, an event or an error.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { WechatProfile, wechatMigrations } from '@koa-auth/wechat';
import { createTestDb, type TestDb, TestStores } from '@koa-auth/core/testing';
import type { TestClient, TrpcResult } from '@koa-auth/koa/testing';
import { closeAll } from './support/close-all.js';
import { startWechatApp, type WechatTestApp } from './support/wechat-app.js';
import { MINI, MINI_LONE, WEB, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let stores: TestStores;
let h: EmulatorHarness;
let app: WechatTestApp;

beforeAll(async () => {
  db = await createTestDb('wechat/mini-program', wechatMigrations);
  stores = new TestStores('mini-program');
  h = await startWechatEmulator();
  app = await startWechatApp({ db, store: stores.open(), emulatorUrl: h.url, mixedLogin: true });
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

const loginCode = (user = 'xiaoming', appid: string = MINI.appid) => h.emulator.issueCode({ appid, user, kind: 'miniprogram-login' });
const phoneCode = (user = 'xiaoming', appid: string = MINI.appid) => h.emulator.issueCode({ appid, user, kind: 'phone-number' });

interface Login {
  user: { id: number; username: string; phone: string | null; hasUsablePassword: boolean };
  created: boolean;
  tokens: { accessToken: string; refreshToken: string; tokenType: string };
}

/** A Mini Program calling the API: no cookies kept between calls, bearer once logged in. */
function miniProgram(): {
  client: TestClient;
  login(code: string, appid?: string): Promise<TrpcResult>;
  call(path: string, input?: unknown): Promise<TrpcResult>;
  token: string | null;
} {
  const client = app.client();
  const self = {
    client,
    token: null as string | null,
    async login(code: string, appid?: string) {
      const result = await client.mutation('wechat.miniProgram.login', { code, ...(appid ? { appid } : {}) });
      if (result.data) self.token = (result.data as Login).tokens.accessToken;
      return result;
    },
    call(path: string, input?: unknown) {
      const headers: Record<string, string> = self.token ? { authorization: `Bearer ${self.token}` } : {};
      return path.endsWith('me') ? client.query(path, input, { headers }) : client.mutation(path, input, { headers });
    },
  };
  return self;
}

async function loggedIn(user = 'xiaoming'): Promise<ReturnType<typeof miniProgram> & { login: Login }> {
  const mp = miniProgram();
  const result = await mp.login(loginCode(user));
  expect(result.error).toBeUndefined();
  return Object.assign(mp, { login: result.data as Login });
}

describe('wechat.miniProgram.login', () => {
  it('creates the user on the first login, answers a working bearer pair, and finds them again on the next', async () => {
    const first = await loggedIn();
    expect(first.login).toMatchObject({ created: true, user: { hasUsablePassword: false }, tokens: { tokenType: 'Bearer' } });
    expect(first.client.cookies.size).toBe(0);
    const me = await first.call('auth.me');
    expect(me.data).toMatchObject({ id: first.login.user.id });

    const again = await loggedIn();
    expect(again.login).toMatchObject({ created: false, user: { id: first.login.user.id } });
    const rows = await WechatProfile.query(db.knex).where({ appid: MINI.appid });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: first.login.user.id,
      openid: h.emulator.openidFor(MINI.appid, 'xiaoming'),
      unionid: h.emulator.unionidFor(MINI.appid, 'xiaoming'),
    });
  });

  it('is the same account as the person’s website login (unionid first)', async () => {
    const website = await app.auth.authenticate(null, { wechatCode: h.emulator.issueCode({ appid: WEB.appid, user: 'hanmeimei' }), appid: WEB.appid });
    expect(website).toMatchObject({ id: expect.any(Number) });
    const mp = await loggedIn('hanmeimei');
    expect(mp.login).toMatchObject({ created: false, user: { id: website!.id } });
    expect(await WechatProfile.query(db.knex).where({ user_id: website!.id })).toHaveLength(2);
  });

  it('keys a Mini Program without an open platform account on (appid, openid): its own account, one row', async () => {
    await app.auth.authenticate(null, { wechatCode: h.emulator.issueCode({ appid: WEB.appid, user: 'lilei' }), appid: WEB.appid });
    const first = await miniProgram().login(loginCode('lilei', MINI_LONE.appid), MINI_LONE.appid);
    const second = await miniProgram().login(loginCode('lilei', MINI_LONE.appid), MINI_LONE.appid);
    expect(first.data).toMatchObject({ created: true });
    expect(second.data).toMatchObject({ created: false, user: { id: (first.data as Login).user.id } });
    expect(await WechatProfile.query(db.knex).where({ appid: MINI_LONE.appid })).toEqual([expect.objectContaining({ unionid: null })]);
  });

  it('refuses an appid that is not a configured Mini Program as a field error (400)', async () => {
    const result = await miniProgram().login(h.emulator.issueCode({ appid: WEB.appid, user: 'xiaoming' }), WEB.appid);
    expect(result.status).toBe(400);
    expect(result.error?.data.fieldErrors?.appid?.[0]?.code).toBe('unknown_app');
  });

  it('refuses a code that cannot be a WeChat code (a lone surrogate, a space, a newline, 513 characters) as a field error on code (400), never a 500', async () => {
    for (const code of ['\udbff\udbff', 'ab cd', 'abc\n', 'x'.repeat(513)]) {
      const result = await miniProgram().login(code);
      expect(result.status).toBe(400);
      expect(result.error?.data.fieldErrors?.code).toBeDefined();
    }
    const phone = await miniProgram().call('wechat.miniProgram.bindPhone', { code: '\udc00' });
    expect(phone.status).toBeLessThan(500);
  });

  it('redeems one wx.login code once: 10 parallel logins and a tRPC batch of 5 with it make one session and one user', async () => {
    const code = loginCode('laowang');
    const parallel = await Promise.all(Array.from({ length: 10 }, () => miniProgram().login(code)));
    expect(parallel.filter((r) => r.status === 200)).toHaveLength(1);
    expect(parallel.filter((r) => r.error?.data.fieldErrors?.code?.[0]?.code === 'code_used')).toHaveLength(9);

    const batched = loginCode('laowang');
    const response = await app.client().fetch(`/trpc/${Array(5).fill('wechat.miniProgram.login').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [i, { code: batched }]))),
    });
    const items = (await response.json()) as { result?: { data: Login }; error?: { data: { httpStatus: number } } }[];
    expect(items.filter((item) => item.result)).toHaveLength(1);
    expect(items.filter((item) => item.error?.data.httpStatus === 400)).toHaveLength(4);
    expect(await db.knex('auth_user').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('a new person’s first logins racing with different codes create one user and one profile row', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => miniProgram().login(loginCode('alice'))));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const ids = new Set(results.map((r) => (r.data as Login).user.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => (r.data as Login).created)).toHaveLength(1);
    expect(await WechatProfile.query(db.knex).where({ appid: MINI.appid })).toHaveLength(1);
  });

  it('maps WeChat errors: replayed 400 code_used, unknown 400 code_invalid, 40226 403, 45011 503, -1 retried once then 503, malformed 502', async () => {
    const code = loginCode();
    expect((await miniProgram().login(code)).status).toBe(200);
    const replayed = await miniProgram().login(code);
    expect(replayed.status).toBe(400);
    expect(replayed.error?.data.fieldErrors?.code?.[0]?.code).toBe('code_used');
    const unknown = await miniProgram().login('0'.repeat(32));
    expect(unknown.error?.data.fieldErrors?.code?.[0]?.code).toBe('code_invalid');

    h.emulator.knobs.set({ highRiskUsers: ['lilei'] });
    expect((await miniProgram().login(loginCode('lilei'))).status).toBe(403);

    h.emulator.knobs.failNext('jscode2session', 1, 'frequency_limit');
    expect((await miniProgram().login(loginCode())).status).toBe(503);

    h.emulator.knobs.failNext('jscode2session', 1, 'system_error');
    const before = h.emulator.calls().jscode2session;
    expect((await miniProgram().login(loginCode())).status).toBe(200);
    expect(h.emulator.calls().jscode2session - before).toBe(2);
    h.emulator.knobs.failNext('jscode2session', 2, 'system_error');
    expect((await miniProgram().login(loginCode())).status).toBe(503);

    h.emulator.knobs.failNext('jscode2session', 1, 'malformed_json');
    const garbled = await miniProgram().login(loginCode());
    expect(garbled.status).toBe(502);
    expect(garbled.error?.data.code).toBe('BAD_GATEWAY');
  });

  it('answers 502 naming the errcode, never the secret, when WeChat refuses the app (40125)', async () => {
    const other = await startWechatEmulator({
      apps: [{ appid: MINI.appid, secret: 'a-different-secret-0123456789', kind: 'miniprogram', openPlatformId: 'op-test' }],
    });
    const site = await startWechatApp({ db, store: stores.open(), emulatorUrl: other.url });
    try {
      const result = await site
        .client()
        .mutation('wechat.miniProgram.login', { code: other.emulator.issueCode({ appid: MINI.appid, user: 'xiaoming', kind: 'miniprogram-login' }) });
      expect(result.status).toBe(502);
      expect(result.error?.message).toContain('40125');
      expect(JSON.stringify(result)).not.toContain(MINI.secret);
    } finally {
      await site.close();
      await other.running.close();
    }
  });

  it('refuses an inactive user (403) and keeps nothing of the refused login', async () => {
    const first = await loggedIn();
    const kept = h.emulator.sessionKeyFor(MINI.appid, 'xiaoming');
    await db.knex('auth_user').where({ id: first.login.user.id }).update({ is_active: false });
    const result = await miniProgram().login(loginCode());
    expect(result.status).toBe(403);
    expect(result.data).toBeUndefined();
    expect(h.emulator.sessionKeyFor(MINI.appid, 'xiaoming')).not.toBe(kept);
    expect(await app.wechat.miniProgram!.sessionKeys.get(String(first.login.user.id), MINI.appid)).toBe(kept);
  });
});

describe('wechat.miniProgram.bindPhone', () => {
  it('stores the WeChat phone in E.164; the same phone then logs in through the mixed login', async () => {
    const mp = await loggedIn();
    const bound = await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode() });
    expect(bound.error).toBeUndefined();
    expect(bound.data).toMatchObject({ id: mp.login.user.id, phone: '+8613800138001' });

    const user = (await app.auth.users.getById(mp.login.user.id))!;
    await app.auth.users.setPassword(user, PASSWORD);
    const browser = app.client();
    const login = await browser.mutation('auth.login', { identifier: '138 0013 8001', password: PASSWORD });
    expect(login.data).toMatchObject({ id: mp.login.user.id });
  });

  it('keeps the country code of numbers outside China', async () => {
    const mp = await loggedIn('alice');
    expect((await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode('alice') })).data).toMatchObject({ phone: '+447911123456' });
  });

  it('needs a logged-in user (401) who logged in through that Mini Program (403)', async () => {
    expect((await miniProgram().call('wechat.miniProgram.bindPhone', { code: phoneCode() })).status).toBe(401);
    const mp = await loggedIn();
    const other = await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode('xiaoming', MINI_LONE.appid), appid: MINI_LONE.appid });
    expect(other.status).toBe(403);
  });

  it('answers a phone another account holds as a field error on phone (400), never a 500', async () => {
    await app.auth.users.createUser({ username: 'holder', phone: '+8613800138001', password: PASSWORD });
    const mp = await loggedIn();
    const result = await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode() });
    expect(result.status).toBe(400);
    expect(result.error?.data.fieldErrors?.phone?.[0]?.code).toBe('unique');
  });

  it('refuses replayed codes, another app’s or another user’s phone code, and an answer watermarked for another app', async () => {
    const mp = await loggedIn();
    const code = phoneCode();
    expect((await mp.call('wechat.miniProgram.bindPhone', { code })).status).toBe(200);
    await app.auth.users.updateUser((await app.auth.users.getById(mp.login.user.id))!, { phone: null });
    const replayed = await mp.call('wechat.miniProgram.bindPhone', { code });
    expect(replayed.status).toBe(400);
    expect(replayed.error?.data.fieldErrors?.code?.[0]?.code).toBe('code_invalid');

    // A phone code minted for another Mini Program (e.g. stolen from another app).
    expect((await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode('xiaoming', MINI_LONE.appid) })).status).toBe(400);
    // hanmeimei's phone code, sent by xiaoming: WeChat checks it against xiaoming's openid.
    expect((await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode('hanmeimei') })).status).toBe(400);
    // An answer about another app (misrouted or forged): the watermark is checked.
    h.emulator.knobs.set({ phoneWatermarkAppid: MINI_LONE.appid });
    const forged = await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode() });
    expect(forged.status).toBe(400);
    expect(forged.error?.data.fieldErrors?.code?.[0]?.code).toBe('code_invalid');
    expect((await app.auth.users.getById(mp.login.user.id))!.phone).toBeNull();
  });
});

describe('session_key', () => {
  it('is kept per user and app, replaced on each login, dropped on logout and on revocation', async () => {
    const keys = app.wechat.miniProgram!.sessionKeys;
    const first = await loggedIn();
    const userId = String(first.login.user.id);
    expect(await keys.get(userId, MINI.appid)).toBe(h.emulator.sessionKeyFor(MINI.appid, 'xiaoming'));

    const second = await loggedIn();
    const latest = h.emulator.sessionKeyFor(MINI.appid, 'xiaoming');
    expect(await keys.get(userId, MINI.appid)).toBe(latest);

    // Logging out the first device leaves the latest login's key alone; logging out the latest drops it.
    expect((await first.call('auth.logout')).status).toBe(200);
    expect(await keys.get(userId, MINI.appid)).toBe(latest);
    expect((await second.call('auth.logout')).status).toBe(200);
    expect(await keys.get(userId, MINI.appid)).toBeNull();

    await loggedIn();
    expect(await keys.get(userId, MINI.appid)).not.toBeNull();
    await app.tokens.revokeUser(userId);
    expect(await keys.get(userId, MINI.appid)).toBeNull();
  });

  it('never appears in an answer, a token, a log, an event or an error', async () => {
    const seen: string[] = [];
    const record = (value: unknown): void =>
      void seen.push(
        typeof value === 'string' ? value : JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v)),
      );
    const consoles = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) =>
      jest.spyOn(console, name).mockImplementation((...args: unknown[]) => record(args.map(String).join(' '))),
    );
    const unsubscribe = (['userLoggedIn', 'userLoggedOut', 'userLoginFailed'] as const).map((event) => app.auth.events.on(event, (payload) => record(payload)));
    try {
      const results: TrpcResult[] = [];
      const mp = miniProgram();
      results.push(await mp.login(loginCode()));
      const login = results[0]!.data as Login;
      for (const token of [login.tokens.accessToken, login.tokens.refreshToken]) {
        for (const part of token.split('.').slice(0, 2)) record(Buffer.from(part, 'base64url').toString('utf8'));
      }
      results.push(await mp.call('auth.me'));
      results.push(await mp.call('wechat.miniProgram.bindPhone', { code: phoneCode() }));
      results.push(await mp.call('auth.refresh', { refreshToken: login.tokens.refreshToken }));
      // Failures: a replayed code, an inactive user (a failed-login event), WeChat faults.
      const code = loginCode();
      results.push(await miniProgram().login(code), await miniProgram().login(code));
      h.emulator.knobs.failNext('jscode2session', 2, 'system_error');
      results.push(await miniProgram().login(loginCode()));
      h.emulator.knobs.failNext('jscode2session', 1, 'malformed_json');
      results.push(await miniProgram().login(loginCode()));
      await db.knex('auth_user').where({ id: login.user.id }).update({ is_active: false });
      results.push(await miniProgram().login(loginCode()));
      results.push(await mp.call('auth.logout'));
      for (const result of results) record({ status: result.status, headers: [...result.headers], data: result.data, error: result.error });

      const issued = ['xiaoming'].map((user) => h.emulator.sessionKeyFor(MINI.appid, user)!);
      expect(issued[0]).toBeDefined();
      // The check can fail: it finds the key where it is (the server-side store).
      await loggedIn('hanmeimei');
      const stored = await app.wechat.miniProgram!.sessionKeys.get(
        String((await WechatProfile.query(db.knex).findOne({ appid: MINI.appid, openid: h.emulator.openidFor(MINI.appid, 'hanmeimei') }))!.userId),
        MINI.appid,
      );
      expect(stored).toBe(h.emulator.sessionKeyFor(MINI.appid, 'hanmeimei'));
      expect(seen.length).toBeGreaterThan(10);
      for (const key of [...issued, stored!]) {
        for (const text of seen) expect(text).not.toContain(key);
      }
    } finally {
      for (const spy of consoles) spy.mockRestore();
      for (const off of unsubscribe) off();
    }
  });
});
