import type { TestAppRouter } from './support/app-router.js';
import { wechatMigrations } from '@koa-auth/wechat';
import { createWechatEmulator, type RunningEmulator, type WechatEmulator } from '@koa-auth/wechat-emulator';
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import {
  AuthClientError,
  WechatLoginDenied,
  WechatLoginExpired,
  WechatLoginFailed,
  createAuthClient,
  type AuthClient,
  type WechatQrCode,
} from '../src/index.js';
import { startClientApp, type ClientTestApp } from './support/client-app.js';
import { cookieJarFetch } from './support/cookie-jar-fetch.js';

const APP = { appid: 'wx66666666666666a1', secret: 'client-test-secret-0123456789abc', kind: 'website' } as const;

let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let emulator: WechatEmulator;
let running: RunningEmulator;
let server: ClientTestApp;
/** Same, with QR codes that expire after one second. */
let shortLived: ClientTestApp;

beforeAll(async () => {
  db = await createTestDb('client/wechat-login', wechatMigrations);
  store = createTestStore('client-wechat-login');
  emulator = createWechatEmulator({ apps: [{ appid: APP.appid, secret: APP.secret, allowedCallbackHosts: ['127.0.0.1'], openPlatformId: 'op-client' }] });
  running = await emulator.listen(0);
  server = await startClientApp(db, { store, wechat: { emulatorUrl: running.url, app: APP } });
  shortLived = await startClientApp(db, { store, wechat: { emulatorUrl: running.url, app: APP, qr: { stateTtlSeconds: 1 } } });
});
afterAll(async () => {
  await shortLived.close();
  await server.close();
  await running.close();
  await store.close();
  await db.destroy();
});
beforeEach(() => emulator.reset());

/** The phone: open the QR page to learn its ticket, then act on it; the emulator calls our callback itself. */
async function phone(qr: WechatQrCode, action: 'confirm' | 'deny', user = 'xiaoming'): Promise<void> {
  const page = await fetch(qr.qrUrl);
  await page.body?.cancel();
  const ticket = page.headers.get('x-emulator-ticket');
  expect(ticket).toBeTruthy();
  const answer = await fetch(`${running.url}/__emulator/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket, user, action, perform: true }),
  });
  expect(answer.status).toBe(200);
}

function cookieClient(app: ClientTestApp, fetchImpl?: typeof fetch): AuthClient<TestAppRouter> {
  return createAuthClient<TestAppRouter>({ url: `${app.url}/trpc`, mode: 'cookie', fetch: cookieJarFetch(fetchImpl).fetch });
}

describe('loginWithWechat', () => {
  it('logs a cookie-mode client in once the phone confirms', async () => {
    const client = cookieClient(server);
    const seen: string[] = [];
    const user = await client.loginWithWechat({
      onQrCode: (qr) => {
        expect(qr.expiresAt).toBeInstanceOf(Date);
        void phone(qr, 'confirm');
      },
      onStatus: (view) => seen.push(view.status),
    });
    expect(user.nickname).toBe('小明🐱');
    expect(seen.at(-1)).toBe('confirmed');
    expect((await client.auth.me.query())?.id).toBe(user.id);
  });

  it('stores the token pair of a bearer-mode client', async () => {
    const client = createAuthClient<TestAppRouter>({ url: `${server.url}/trpc`, mode: 'bearer' });
    const user = await client.loginWithWechat({ onQrCode: (qr) => void phone(qr, 'confirm', 'hanmeimei') });
    expect(user.nickname).toBe('韩梅梅🌸✨');
    expect(await client.getTokens()).not.toBeNull();
    expect((await client.auth.me.query())?.id).toBe(user.id);
  });

  it('sends the bearer-mode browser key in a header, never in a URL', async () => {
    const urls: string[] = [];
    const keys: string[] = [];
    const recording = ((input: string | URL | Request, init?: RequestInit) => {
      urls.push(String(input instanceof Request ? input.url : input));
      const key = new Headers(init?.headers).get('x-wechat-browser-key');
      if (key) keys.push(key);
      return fetch(input, init);
    }) as typeof fetch;
    const client = createAuthClient<TestAppRouter>({ url: `${server.url}/trpc`, mode: 'bearer', fetch: recording });
    const user = await client.loginWithWechat({ onQrCode: (qr) => void phone(qr, 'confirm', 'lilei') });
    expect(user.id).toBeGreaterThan(0);
    expect(keys.length).toBeGreaterThan(0); // status/stream/complete carried it
    for (const key of new Set(keys)) for (const url of urls) expect(url).not.toContain(encodeURIComponent(key));
  });

  it('hears the outcome through the status stream alone', async () => {
    for (const mode of ['cookie', 'bearer'] as const) {
      const client = mode === 'cookie' ? cookieClient(server) : createAuthClient<TestAppRouter>({ url: `${server.url}/trpc`, mode });
      // Polling is as good as off: only the event stream can deliver the outcome in time.
      const user = await client.loginWithWechat({ onQrCode: (qr) => void phone(qr, 'confirm', 'alice'), pollIntervalMs: 3_600_000 });
      expect(user.nickname).toBe('Alice 🇬🇧');
    }
  });

  it('falls back to polling when the status stream cannot connect', async () => {
    // Event streams refused, as by a proxy that does not pass them.
    const noStreams = ((input: string | URL | Request, init?: RequestInit) =>
      new Headers(init?.headers).get('accept') === 'text/event-stream'
        ? Promise.resolve(new Response('no streams here', { status: 502, headers: { 'content-type': 'text/plain' } }))
        : fetch(input, init)) as typeof fetch;
    const client = cookieClient(server, noStreams);
    const user = await client.loginWithWechat({ onQrCode: (qr) => void phone(qr, 'confirm', 'lilei'), pollIntervalMs: 100 });
    expect(user.nickname).toBe('李雷👨‍💻');
  });

  it('rejects with WechatLoginDenied when the user denies on the phone', async () => {
    // WeChat does not tell the site about a denial; the legacy behaviour (a redirect carrying
    // the state only) does, and is what the server can act on.
    emulator.knobs.set({ refusal: 'state_only' });
    const client = cookieClient(server);
    const error = await client.loginWithWechat({ onQrCode: (qr) => void phone(qr, 'deny') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatLoginDenied);
    expect((error as AuthClientError).code).toBe('wechat_denied');
    expect((error as AuthClientError).reason).toBe('cancelled');
    expect(await client.auth.me.query()).toBeNull();
  });

  it('rejects with WechatLoginExpired when nobody scans in time', async () => {
    const client = cookieClient(shortLived);
    const error = await client.loginWithWechat({ onQrCode: () => undefined, pollIntervalMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatLoginExpired);
  });

  it('binds WeChat to the logged-in user in bind mode', async () => {
    await server.auth.users.createUser({ username: 'binder', password: 'correct horse battery staple' });
    const client = cookieClient(server);
    const me = await client.login({ identifier: 'binder', password: 'correct horse battery staple' });
    const user = await client.loginWithWechat({ mode: 'bind', onQrCode: (qr) => void phone(qr, 'confirm', 'laowang') });
    expect(user.id).toBe(me.id);
    expect(await client.wechat.profiles.query()).toHaveLength(1);
  });

  it('rejects with WechatLoginFailed when the server refuses the flow', async () => {
    // Binding needs a logged-in user.
    const client = cookieClient(server);
    const error = await client.loginWithWechat({ mode: 'bind', onQrCode: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatLoginFailed);
    expect((error as WechatLoginFailed).cause).toMatchObject({ code: 'unauthorized' });
  });

  it('is cancelled by its AbortSignal, with an AbortError, and stops watching', async () => {
    const requests: string[] = [];
    const recording = ((input: string | URL | Request, init?: RequestInit) => {
      requests.push(String(input));
      return fetch(input, init);
    }) as typeof fetch;
    const client = cookieClient(server, recording);
    const controller = new AbortController();
    const started = Date.now();
    const error = await client
      .loginWithWechat({ signal: controller.signal, pollIntervalMs: 50, onQrCode: () => void setTimeout(() => controller.abort(), 100) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthClientError);
    expect((error as Error).name).toBe('AbortError');
    expect((error as AuthClientError).code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(5000);
    const count = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests.length).toBe(count);
  });

  it('rejects at once when the signal has already fired', async () => {
    const client = cookieClient(server);
    const error = await client.loginWithWechat({ signal: AbortSignal.abort(), onQrCode: () => undefined }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
});
