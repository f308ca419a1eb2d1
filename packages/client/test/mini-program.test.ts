/**
 * `client.wechat.miniProgram.login(code)` in bearer mode, against a real server and the
 * emulator, through `wxRequestFetch` over a stand-in for `wx.request` (no window, no
 * localStorage, no fetch in a Mini Program) and `wxStorageTokenStorage` over a stand-in for
 * wx's storage.
 */
import type { TestAppRouter } from './support/app-router.js';
import { wechatMigrations } from '@koa-auth/wechat';
import { createWechatEmulator, type RunningEmulator, type WechatEmulator } from '@koa-auth/wechat-emulator';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { createAuthClient, wxRequestFetch, wxStorageTokenStorage, type WxRequest } from '../src/index.js';
import { startClientApp, type ClientTestApp } from './support/client-app.js';

const WEBSITE = { appid: 'wx77777777777777a1', secret: 'client-mp-web-secret-0123456789', kind: 'website' } as const;
const MINI = { appid: 'wx77777777777777b1', secret: 'client-mp-secret-0123456789abcd', kind: 'miniprogram' } as const;

let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let emulator: WechatEmulator;
let running: RunningEmulator;
let server: ClientTestApp;

beforeAll(async () => {
  db = await createTestDb('client/mini-program', wechatMigrations);
  store = createTestStore('client-mini-program');
  emulator = createWechatEmulator({
    apps: [
      { appid: WEBSITE.appid, secret: WEBSITE.secret, allowedCallbackHosts: ['127.0.0.1'], openPlatformId: 'op-client' },
      { appid: MINI.appid, secret: MINI.secret, kind: 'miniprogram', openPlatformId: 'op-client' },
    ],
  });
  running = await emulator.listen(0);
  server = await startClientApp(db, { store, wechat: { emulatorUrl: running.url, app: WEBSITE, extraApps: [MINI] } });
});
afterAll(async () => {
  await server.close();
  await running.close();
  await store.close();
  await db.destroy();
});

/** `wx.request` as a Mini Program has it, played by Node's fetch; records what it was asked. */
function fakeWxRequest(calls: Array<{ url: string; method: string; header: Record<string, string> }>): WxRequest {
  return (options) => {
    calls.push({ url: options.url, method: options.method, header: options.header });
    const controller = new AbortController();
    fetch(options.url, {
      method: options.method,
      headers: options.header,
      ...(options.data !== undefined ? { body: options.data } : {}),
      signal: controller.signal,
    })
      .then(async (response) => {
        const header: Record<string, string> = {};
        response.headers.forEach((value, key) => {
          header[key] = value;
        });
        // dataType 'text': the body arrives as a string.
        options.success({ statusCode: response.status, header, data: await response.text() });
      })
      .catch((error: Error) => options.fail({ errMsg: `request:fail ${error.message}` }));
    return { abort: () => controller.abort() };
  };
}

/** `wx`'s storage functions over a Map. */
function fakeWxStorage() {
  const data = new Map<string, string>();
  return {
    data,
    getStorageSync: (key: string) => data.get(key) ?? '',
    setStorageSync: (key: string, value: string) => void data.set(key, value),
    removeStorageSync: (key: string) => void data.delete(key),
  };
}

describe('client.wechat.miniProgram.login', () => {
  it('logs in with a wx.login() code over wx.request, keeps the pair in wx storage, and is authenticated by it', async () => {
    const calls: Array<{ url: string; method: string; header: Record<string, string> }> = [];
    const wxStorage = fakeWxStorage();
    const client = createAuthClient<TestAppRouter>({
      url: `${server.url}/trpc`,
      mode: 'bearer',
      fetch: wxRequestFetch(fakeWxRequest(calls)),
      storage: wxStorageTokenStorage(wxStorage),
    });

    const code = emulator.issueCode({ appid: MINI.appid, user: 'hanmeimei', kind: 'miniprogram-login' });
    const answer = await client.wechat.miniProgram.login(code);
    expect(answer).toEqual({ user: expect.objectContaining({ nickname: '', accountType: 'wechat' }), created: true });
    expect(answer).not.toHaveProperty('tokens');
    expect(JSON.parse(wxStorage.data.get('koa-auth:tokens')!)).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) });

    const me = await client.auth.me.query();
    expect(me).toMatchObject({ id: answer.user.id });
    expect(calls.at(-1)!.header.authorization).toMatch(/^Bearer /);
    expect(calls.every((call) => call.header.cookie === undefined)).toBe(true);

    // A second client over the same storage (the Mini Program reopened) is still logged in.
    const reopened = createAuthClient<TestAppRouter>({
      url: `${server.url}/trpc`,
      mode: 'bearer',
      fetch: wxRequestFetch(fakeWxRequest([])),
      storage: wxStorageTokenStorage(wxStorage),
    });
    expect(await reopened.auth.me.query()).toMatchObject({ id: answer.user.id });

    const again = await client.wechat.miniProgram.login(emulator.issueCode({ appid: MINI.appid, user: 'hanmeimei', kind: 'miniprogram-login' }), {
      appid: MINI.appid,
    });
    expect(again).toMatchObject({ created: false, user: { id: answer.user.id } });

    await client.logout();
    expect(wxStorage.data.has('koa-auth:tokens')).toBe(false);
  });

  it('reports a replayed code as a field error on code, and refuses cookie mode', async () => {
    const client = createAuthClient<TestAppRouter>({ url: `${server.url}/trpc`, mode: 'bearer', fetch: wxRequestFetch(fakeWxRequest([])) });
    const code = emulator.issueCode({ appid: MINI.appid, user: 'lilei', kind: 'miniprogram-login' });
    await client.wechat.miniProgram.login(code);
    const error = await client.wechat.miniProgram.login(code).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'validation', status: 400 });
    expect(JSON.stringify((error as { fieldErrors?: unknown }).fieldErrors)).toContain('code_used');

    const cookie = createAuthClient<TestAppRouter>({ url: `${server.url}/trpc`, mode: 'cookie' });
    await expect(cookie.wechat.miniProgram.login('whatever')).rejects.toThrow(/bearer/);
  });

  it('leaves the procedure callable as such: login.mutate stores the pair too', async () => {
    const client = createAuthClient<TestAppRouter>({ url: `${server.url}/trpc`, mode: 'bearer', fetch: wxRequestFetch(fakeWxRequest([])) });
    const answer = await client.wechat.miniProgram.login.mutate({ code: emulator.issueCode({ appid: MINI.appid, user: 'alice', kind: 'miniprogram-login' }) });
    expect(answer.tokens.accessToken).toBeDefined();
    expect(await client.getTokens()).toMatchObject({ accessToken: answer.tokens.accessToken });
    expect(await client.wechat.profiles.query()).toEqual([expect.objectContaining({ appid: MINI.appid })]);
  });
});
