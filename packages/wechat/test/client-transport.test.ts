/**
 * WechatClient transport edge cases: timeouts, network failures, text/plain and malformed
 * bodies, unexpected shapes, and the rule that secrets, codes and tokens never leak into errors.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { WechatClient, type FetchLike } from '../src/client/index.js';
import { WechatApiError } from '../src/errors.js';
import { WEB as WEBSITE, startWechatEmulator, type EmulatorHarness } from './support/wechat-emulator.js';

let h: EmulatorHarness;
beforeAll(async () => {
  h = await startWechatEmulator();
});
afterAll(() => h.running.close());
beforeEach(() => h.emulator.reset());

const onEmulator = (options: { timeoutMs?: number; secret?: string } = {}) =>
  new WechatClient({
    appid: WEBSITE.appid,
    secret: options.secret ?? WEBSITE.secret,
    apiBaseUrl: h.url,
    retryDelayMs: 1,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });

/** A client whose every request gets `response`. */
const answering = (make: () => Response, secret = 'canned-secret-value') => {
  const fakeFetch: FetchLike = () => Promise.resolve(make());
  return new WechatClient({ appid: 'wxcanned', secret, fetch: fakeFetch, retries: 0 });
};

const caught = async (promise: Promise<unknown>): Promise<WechatApiError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WechatApiError) return error;
    throw error;
  }
  throw new Error('expected a WechatApiError');
};

/** Every rendering of an error someone might log. */
const renderings = (error: WechatApiError) => [
  error.message,
  error.errmsg,
  String(error.stack),
  JSON.stringify(error),
  inspect(error, { depth: 10 }),
  String((error.cause as Error | undefined)?.message),
  String((error.cause as Error | undefined)?.stack),
];

const expectNoLeak = (error: WechatApiError, secrets: string[]) => {
  for (const text of renderings(error)) for (const secret of secrets) expect(text).not.toContain(secret);
};

describe('decoding', () => {
  it('parses JSON sent as text/plain', async () => {
    h.emulator.knobs.set({ contentType: 'text/plain' });
    const wechat = onEmulator();
    const token = await wechat.exchangeCode(h.emulator.issueCode({ appid: WEBSITE.appid, user: 'hanmeimei' }));
    expect((await wechat.userInfo(token.access_token, token.openid)).nickname).toBe('韩梅梅🌸✨');
  });

  it('decodes UTF-8 whatever the charset claims', async () => {
    const body = Buffer.from(JSON.stringify({ openid: 'o1', nickname: '小明🐱', sex: 0, privilege: [] }), 'utf8');
    const wechat = answering(() => new Response(body, { headers: { 'content-type': 'text/plain; charset=ISO-8859-1' } }));
    expect((await wechat.userInfo('89_tok', 'o1')).nickname).toBe('小明🐱');
  });

  it('a malformed body is a wechat_invalid_response that quotes nothing from the body', async () => {
    h.emulator.knobs.failNext('access_token', 1, 'malformed_json');
    const code = h.emulator.issueCode({ appid: WEBSITE.appid, user: 'xiaoming' });
    const error = await caught(onEmulator().exchangeCode(code));
    expect(error).toMatchObject({ code: 'wechat_invalid_response', errcode: null, endpoint: '/sns/oauth2/access_token' });
    expect(error.message).toMatch(/not valid JSON \(application\/json; encoding=utf-8, \d+ bytes\)/);
    expect(error.message).not.toContain('89_');
    expectNoLeak(error, [WEBSITE.secret, code]);
  });

  it('fields failing validation are reported by path, without values', async () => {
    const wechat = answering(() => Response.json({ access_token: '89_secretish_token', expires_in: 'soon', openid: 'o1', scope: 's' }));
    const error = await caught(wechat.exchangeCode('CODE1234'));
    expect(error.code).toBe('wechat_invalid_response');
    expect(error.message).toContain('expires_in');
    expect(error.message).toContain('refresh_token');
    expect(error.message).not.toContain('89_secretish_token');
  });

  it('a non-200 answer without errcode is a wechat_invalid_response', async () => {
    const wechat = answering(() => new Response('<html>bad gateway</html>', { status: 502 }));
    expect(await caught(wechat.userInfo('89_tok', 'o1'))).toMatchObject({ code: 'wechat_invalid_response' });
    const html = answering(() => new Response('{"errcode":0}', { status: 502 }));
    expect((await caught(html.userInfo('89_tok', 'o1'))).message).toContain('HTTP 502');
  });
});

describe('timeouts and network failures', () => {
  it('times out with code wechat_timeout and does not retry', async () => {
    h.emulator.knobs.set({ latencyMs: { userinfo: 400 } });
    const started = performance.now();
    const error = await caught(onEmulator({ timeoutMs: 50 }).userInfo('89_tok', 'o1'));
    expect(performance.now() - started).toBeLessThan(350);
    expect(error).toMatchObject({ code: 'wechat_timeout', errcode: null, endpoint: '/sns/userinfo' });
    expect(error.message).toContain('50 ms');
  });

  it('a refused connection is a wechat_network_error whose cause names the failure but not the URL', async () => {
    const dead = await startWechatEmulator();
    await dead.running.close();
    const secret = 'network-secret-value-123';
    const wechat = new WechatClient({ appid: WEBSITE.appid, secret, apiBaseUrl: dead.url, retries: 0 });
    const error = await caught(wechat.exchangeCode('CODE_THAT_MUST_NOT_LEAK'));
    expect(error.code).toBe('wechat_network_error');
    expect(error.cause).toBeInstanceOf(Error);
    expect(inspect(error)).toMatch(/ECONNREFUSED/);
    expectNoLeak(error, [secret, 'CODE_THAT_MUST_NOT_LEAK']);
  });
});

describe('secrets never leak into errors', () => {
  it('not from the emulator’s API errors', async () => {
    const wrong = 'definitely-wrong-secret';
    const error = await caught(onEmulator({ secret: wrong }).exchangeCode('SOMECODE0123456789'));
    expect(error.errcode).toBe(40125);
    expectNoLeak(error, [wrong, 'SOMECODE0123456789', WEBSITE.secret]);
  });

  it('not even when WeChat echoes them in errmsg', async () => {
    const secret = 'echoed-secret-value';
    const wechat = answering(() => Response.json({ errcode: 40029, errmsg: `invalid code THECODE42 for secret ${secret}, rid: 1-2-3` }), secret);
    const error = await caught(wechat.exchangeCode('THECODE42'));
    expect(error.errmsg).toBe('invalid code [redacted] for secret [redacted], rid: 1-2-3');
    expectNoLeak(error, [secret, 'THECODE42']);
  });

  it('not from a thrown fetch error that carries the request URL', async () => {
    const secret = 'thrown-secret-value';
    const fakeFetch: FetchLike = (url) => Promise.reject(new TypeError(`failed to fetch ${url}`, { cause: new Error(`socket for ${url}`) }));
    const wechat = new WechatClient({ appid: 'wxthrown', secret, fetch: fakeFetch, retries: 0 });
    for (const call of [wechat.exchangeCode('LEAKYCODE1'), wechat.refreshToken('89_LEAKYREFRESH'), wechat.userInfo('89_LEAKYACCESS', 'o1')]) {
      const error = await caught(call);
      expect(error.code).toBe('wechat_network_error');
      expectNoLeak(error, [secret, 'LEAKYCODE1', '89_LEAKYREFRESH', '89_LEAKYACCESS']);
    }
  });
});
