/** WechatClient against the emulator: URLs, the full login flows, retries and token checks. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WechatClient, type WechatClientOptions } from '../src/client/index.js';
import { WechatApiError } from '../src/errors.js';
import { OA, WEB as WEBSITE, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';

/** The harness's apps accept callbacks on 127.0.0.1 (any port, any path, as WeChat checks only the host). */
const CALLBACK = 'http://127.0.0.1:3000/auth/wechat/callback';

/** GET without following redirects: status, headers and text. */
async function get(url: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Code and state from a callback URL. */
function callbackParams(url: string): { code: string | null; state: string | null } {
  const parsed = new URL(url);
  return { code: parsed.searchParams.get('code'), state: parsed.searchParams.get('state') };
}

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startWechatEmulator();
});
afterAll(() => h.running.close());
beforeEach(() => h.emulator.reset());

/** A client on the emulator that counts the API requests it makes. */
function client(app: { appid: string; secret: string } = WEBSITE, options: Partial<WechatClientOptions> = {}) {
  const calls: string[] = [];
  const instance = new WechatClient({
    ...app,
    apiBaseUrl: h.url,
    openBaseUrl: h.url,
    retryDelayMs: 5,
    fetch: (input, init) => {
      calls.push(new URL(input).pathname);
      return fetch(input, init);
    },
    ...options,
  });
  return { client: instance, calls };
}

const caught = async (promise: Promise<unknown>): Promise<WechatApiError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WechatApiError) return error;
    throw error;
  }
  throw new Error('expected a WechatApiError');
};

describe('authorization URLs', () => {
  const plain = new WechatClient({ appid: 'wx0123456789abcdef', secret: 's3cret' });

  it('qrConnectUrl follows the documented shape', () => {
    expect(plain.qrConnectUrl({ redirectUri: 'https://app.example.com/auth/wechat/callback', state: 'q7Xk29LmPa0' })).toBe(
      'https://open.weixin.qq.com/connect/qrconnect?appid=wx0123456789abcdef&redirect_uri=https%3A%2F%2Fapp.example.com%2Fauth%2Fwechat%2Fcallback&response_type=code&scope=snsapi_login&state=q7Xk29LmPa0#wechat_redirect',
    );
  });

  it('authorizeUrl keeps WeChat’s parameter order and rejects states WeChat would break on', () => {
    expect(plain.authorizeUrl({ redirectUri: 'https://m.example.com/wx/callback', state: 'a1B2c3D4', scope: 'snsapi_userinfo' })).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx0123456789abcdef&redirect_uri=https%3A%2F%2Fm.example.com%2Fwx%2Fcallback&response_type=code&scope=snsapi_userinfo&state=a1B2c3D4#wechat_redirect',
    );
    expect(() => plain.authorizeUrl({ redirectUri: 'https://m.example.com/', state: 'has-dash', scope: 'snsapi_base' })).toThrow(RangeError);
    expect(() => plain.authorizeUrl({ redirectUri: 'https://m.example.com/', state: 'a'.repeat(129), scope: 'snsapi_base' })).toThrow(RangeError);
  });

  it('does not expose the secret when the client is logged', async () => {
    const { inspect } = await import('node:util');
    expect(inspect(plain, { depth: 5 })).not.toContain('s3cret');
    expect(JSON.stringify(plain)).not.toContain('s3cret');
  });
});

describe('website QR login end to end', () => {
  it('qrconnect → phone confirms → exchangeCode → userInfo with the emoji nickname intact', async () => {
    const { client: wechat } = client();
    const page = await get(wechat.qrConnectUrl({ redirectUri: CALLBACK, state: 'csrf123' }));
    const ticket = page.headers.get('x-emulator-ticket') ?? '';
    const confirmed = await h.emulator.phone({ ticket, user: 'xiaoming' });
    const { code, state } = callbackParams(confirmed.redirectUrl ?? '');
    expect(state).toBe('csrf123');

    const token = await wechat.exchangeCode(code ?? '');
    expect(token).toEqual({
      access_token: expect.any(String),
      expires_in: 7200,
      refresh_token: expect.any(String),
      openid: h.emulator.openidFor(WEBSITE.appid, 'xiaoming'),
      scope: 'snsapi_login',
      unionid: h.emulator.unionidFor(WEBSITE.appid, 'xiaoming'),
    });
    const profile = await wechat.userInfo(token.access_token, token.openid);
    expect(profile.nickname).toBe('小明🐱');
    expect(profile).toMatchObject({ sex: 0, privilege: [], unionid: token.unionid, language: 'zh_CN' });

    expect(await wechat.checkToken(token.access_token, token.openid)).toBe(true);
    const refreshed = await wechat.refreshToken(token.refresh_token);
    expect(refreshed.access_token).toBe(token.access_token);
    expect(refreshed.unionid).toBeUndefined();
  });

  it('keeps ZWJ sequences, flags and private-use code points', async () => {
    const { client: wechat } = client();
    for (const [user, nickname] of [
      ['lilei', '李雷👨‍💻'],
      ['alice', 'Alice 🇬🇧'],
      ['laowang', '老王\uE415'],
    ] as const) {
      const token = await wechat.exchangeCode(h.emulator.issueCode({ appid: WEBSITE.appid, user }));
      expect((await wechat.userInfo(token.access_token, token.openid, 'en')).nickname).toBe(nickname);
    }
  });
});

describe('Official Account web authorization end to end', () => {
  it('authorizeUrl → consent → snapshot flag / base scope behave as WeChat does', async () => {
    const { client: wechat } = client(OA);
    const redirectUri = 'http://127.0.0.1:3000/wx/cb';
    const page = await get(wechat.authorizeUrl({ redirectUri, state: 'abc123', scope: 'snsapi_base' }));
    expect(page.headers.get('x-emulator-error')).toBeNull();
    const confirmed = await h.emulator.phone({ ticket: page.headers.get('x-emulator-ticket') ?? '', user: 'hanmeimei' });
    const token = await wechat.exchangeCode(callbackParams(confirmed.redirectUrl ?? '').code ?? '');
    expect(token.unionid).toBeUndefined();
    const denied = await caught(wechat.userInfo(token.access_token, token.openid));
    expect(denied.errcode).toBe(48001);

    h.emulator.knobs.set({ snapshotUsers: ['hanmeimei'] });
    const snap = await wechat.exchangeCode(h.emulator.issueCode({ appid: OA.appid, user: 'hanmeimei', scope: 'snsapi_userinfo' }));
    expect(snap.is_snapshotuser).toBe(1);
  });
});

describe('retries', () => {
  it('retries errcode -1 with back-off, then succeeds', async () => {
    const { client: wechat, calls } = client(WEBSITE, { retries: 2 });
    const token = await wechat.exchangeCode(h.emulator.issueCode({ appid: WEBSITE.appid, user: 'xiaoming' }));
    calls.length = 0;
    h.emulator.knobs.failNext('userinfo', 2);
    expect((await wechat.userInfo(token.access_token, token.openid)).nickname).toBe('小明🐱');
    expect(calls).toEqual(['/sns/userinfo', '/sns/userinfo', '/sns/userinfo']);
  });

  it('gives up after `retries` extra attempts with the -1 error', async () => {
    const { client: wechat, calls } = client(WEBSITE, { retries: 1 });
    h.emulator.knobs.failNext('refresh_token', 5);
    const error = await caught(wechat.refreshToken('89_whatever'));
    expect(error).toMatchObject({ code: 'wechat_api_error', errcode: -1 });
    expect(calls).toHaveLength(2);
  });

  it('never sends a code twice: exchangeCode is not retried, even on -1', async () => {
    const { client: wechat, calls } = client();
    h.emulator.knobs.failNext('access_token', 1);
    const error = await caught(wechat.exchangeCode(h.emulator.issueCode({ appid: WEBSITE.appid, user: 'xiaoming' })));
    expect(error.errcode).toBe(-1);
    expect(calls).toEqual(['/sns/oauth2/access_token']);
  });

  it('does not retry other errcodes', async () => {
    const { client: wechat, calls } = client();
    const error = await caught(wechat.userInfo('89_unknown', 'oSomeone'));
    expect(error).toMatchObject({ code: 'wechat_api_error', errcode: 40001, endpoint: '/sns/userinfo' });
    expect(error.errmsg).toMatch(/^invalid credential/);
    expect(calls).toHaveLength(1);
  });
});

describe('errcodes surface as WechatApiError', () => {
  it.each([
    ['a wrong secret', { ...WEBSITE, secret: 'wrong-secret-value' }, 40125],
    ['an unknown appid', { appid: 'wx_unknown', secret: WEBSITE.secret }, 40013],
  ])('exchangeCode with %s', async (_label, app, errcode) => {
    const { client: wechat } = client(app);
    const error = await caught(wechat.exchangeCode(h.emulator.issueCode({ appid: WEBSITE.appid, user: 'xiaoming' })));
    expect(error.errcode).toBe(errcode);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WechatApiError');
  });

  it('a code with a lone surrogate is sent (as U+FFFD) and refused by WeChat (40029), never a URIError', async () => {
    const { client: wechat } = client();
    expect((await caught(wechat.exchangeCode('\udbff\udbff'))).errcode).toBe(40029);
  });

  it('a used code → 40163; invalid refresh token → 40030', async () => {
    const { client: wechat } = client();
    const code = h.emulator.issueCode({ appid: WEBSITE.appid, user: 'xiaoming' });
    await wechat.exchangeCode(code);
    expect((await caught(wechat.exchangeCode(code))).errcode).toBe(40163);
    expect((await caught(wechat.refreshToken('89_nope'))).errcode).toBe(40030);
  });

  it('checkToken resolves false for expired (42001), foreign openid (40003) and unknown (40001) tokens', async () => {
    const { client: wechat } = client();
    const token = await wechat.exchangeCode(h.emulator.issueCode({ appid: WEBSITE.appid, user: 'xiaoming' }));
    expect(await wechat.checkToken(token.access_token, h.emulator.openidFor(WEBSITE.appid, 'alice'))).toBe(false);
    expect(await wechat.checkToken('89_unknown', token.openid)).toBe(false);
    h.emulator.clock.advance(7200);
    expect(await wechat.checkToken(token.access_token, token.openid)).toBe(false);
  });

  it('checkToken still throws on -1 after retries', async () => {
    const { client: wechat } = client(WEBSITE, { retries: 0 });
    h.emulator.knobs.failNext('auth', 1);
    expect((await caught(wechat.checkToken('89_x', 'oX'))).errcode).toBe(-1);
  });
});
