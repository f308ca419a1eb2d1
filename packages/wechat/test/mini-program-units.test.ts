/**
 * Unit tests of the Mini Program pieces: the errcode → typed error mapping, phone normalisation
 * through core, the session_key store, and the API client's promise that no secret, code, token
 * or session_key ends up in an error.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { MemoryStore, ServiceUnavailable, type AbstractUser, type Auth } from '@koa-auth/core';
import { MiniProgramClient, MiniProgramCodeRejected, MiniProgramLoginRefused, WechatApiError, WechatRetryLater, WechatUpstreamError } from '@koa-auth/wechat';
import { testAuthOn } from '@koa-auth/core/testing';
import { miniProgramErrorOf } from '../src/mini-program/mini-program-errors.js';
import { phoneFromWechat } from '../src/mini-program/phone-from-wechat.js';
import { MiniProgramSessionKeys } from '../src/mini-program/session-keys.js';

const apiError = (errcode: number) => new WechatApiError({ errcode, errmsg: 'x', endpoint: '/sns/jscode2session' });

describe('miniProgramErrorOf', () => {
  it.each([
    [40029, 'code_invalid'],
    [40003, 'code_invalid'],
    [40163, 'code_used'],
  ] as const)('%i → a field error on code: %s', (errcode, issue) => {
    const error = miniProgramErrorOf(apiError(errcode));
    expect(error).toBeInstanceOf(MiniProgramCodeRejected);
    expect((error as MiniProgramCodeRejected).fields.code?.[0]?.code).toBe(issue);
  });

  it('40226 → login refused (a PermissionDenied: 403)', () => {
    expect(miniProgramErrorOf(apiError(40226))).toBeInstanceOf(MiniProgramLoginRefused);
  });

  it.each([-1, 45011, 45009])('%i → retry later (a ServiceUnavailable: 503) keeping the errcode', (errcode) => {
    const error = miniProgramErrorOf(apiError(errcode));
    expect(error).toBeInstanceOf(WechatRetryLater);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as WechatRetryLater).errcode).toBe(errcode);
  });

  it('timeouts and network failures → retry later; malformed answers and other errcodes → upstream error with the errcode', () => {
    expect(miniProgramErrorOf(new WechatApiError({ code: 'wechat_timeout', errmsg: 'slow' }))).toBeInstanceOf(WechatRetryLater);
    expect(miniProgramErrorOf(new WechatApiError({ code: 'wechat_network_error', errmsg: 'down' }))).toBeInstanceOf(WechatRetryLater);
    const malformed = miniProgramErrorOf(new WechatApiError({ code: 'wechat_invalid_response', errmsg: 'bad' }));
    expect(malformed).toMatchObject({ errcode: null, code: 'wechat_upstream_error' });
    for (const errcode of [40013, 40125, 41002, 48001]) {
      const error = miniProgramErrorOf(apiError(errcode));
      expect(error).toBeInstanceOf(WechatUpstreamError);
      expect((error as WechatUpstreamError).message).toContain(String(errcode));
    }
    const other = new Error('not WeChat');
    expect(miniProgramErrorOf(other)).toBe(other);
  });
});

describe('phoneFromWechat', () => {
  const { auth } = testAuthOn({} as never, { store: new MemoryStore({ sweepIntervalMs: 0 }) });
  const info = (phoneNumber: string, purePhoneNumber: string, countryCode: string) => ({
    phoneNumber,
    purePhoneNumber,
    countryCode,
    watermark: { timestamp: 0, appid: 'wx' },
  });
  const phone = (value: ReturnType<typeof info>) => phoneFromWechat(auth as unknown as Auth<AbstractUser>, value);

  it('builds E.164 from the country code and the pure number, Chinese or not', () => {
    expect(phone(info('13800138000', '13800138000', '86'))).toBe('+8613800138000');
    expect(phone(info('+447911123456', '7911123456', '44'))).toBe('+447911123456');
  });

  it('falls back to phoneNumber in the app region, and answers null for a number that is not valid', () => {
    expect(phone(info('138 0013 8000', '', ''))).toBe('+8613800138000');
    expect(phone(info('12345', '12345', '86'))).toBeNull();
  });
});

describe('MiniProgramSessionKeys', () => {
  it('keeps one key per user and app, replaced by the next login, dropped with its family', async () => {
    const store = new MemoryStore({ sweepIntervalMs: 0 });
    const keys = new MiniProgramSessionKeys(store);
    await keys.save('1', 'wxA', 'key-one', 'fam-1');
    await keys.save('1', 'wxB', 'key-b', 'fam-b');
    expect(await keys.get('1', 'wxA')).toBe('key-one');
    await keys.save('1', 'wxA', 'key-two', 'fam-2');
    expect(await keys.get('1', 'wxA')).toBe('key-two');
    // The replaced login's record is gone, not just unreferenced.
    expect(await store.get('wechat:mp:sk:family:fam-1')).toBeNull();
    await keys.dropFamily('fam-1');
    expect(await keys.get('1', 'wxA')).toBe('key-two');
    await keys.dropFamily('fam-2');
    expect(await keys.get('1', 'wxA')).toBeNull();
    expect(await keys.get('1', 'wxB')).toBe('key-b');
    expect(await keys.get('2', 'wxB')).toBeNull();
    await store.close();
  });
});

describe('MiniProgramClient', () => {
  const SECRET = 'mini-program-secret-never-shown';
  const answering = (status: number, body: string) => () => Promise.resolve(new Response(body, { status, headers: { 'content-type': 'text/plain' } }));

  it('never puts the secret, the code, the token or a session_key into an error', async () => {
    const sessionKey = 'c2Vzc2lvbi1rZXktbmV2ZXItc2hvd24=';
    const code = 'JS_CODE_THAT_MUST_NOT_LEAK';
    const malformed = new MiniProgramClient({ appid: 'wxA', secret: SECRET, fetch: answering(200, JSON.stringify({ session_key: sessionKey, openid: '' })) });
    const error = await malformed.code2Session(code).catch((e: unknown) => e as WechatApiError);
    expect(error).toMatchObject({ code: 'wechat_invalid_response' });
    const refused = new MiniProgramClient({
      appid: 'wxA',
      secret: SECRET,
      fetch: answering(200, JSON.stringify({ errcode: 40029, errmsg: `invalid code ${code} ${SECRET}` })),
    });
    const token = 'ACCESS_TOKEN_THAT_MUST_NOT_LEAK';
    const refusedPhone = await refused.phoneNumber(token, code).catch((e: unknown) => e as WechatApiError);
    const refusedLogin = await refused.code2Session(code).catch((e: unknown) => e as WechatApiError);
    for (const failure of [error, refusedPhone, refusedLogin]) {
      const text = `${inspect(failure, { depth: 5 })} ${JSON.stringify(failure)} ${(failure as Error).stack}`;
      for (const secret of [SECRET, code, token, sessionKey]) expect(text).not.toContain(secret);
    }
    expect(inspect(malformed, { depth: 5 })).not.toContain(SECRET);
  });

  it('retries errcode -1 once, and nothing else', async () => {
    let calls = 0;
    const busy = new MiniProgramClient({
      appid: 'wxA',
      secret: SECRET,
      retryDelayMs: 1,
      fetch: () => (calls++, answering(200, '{"errcode":-1,"errmsg":"system error"}')()),
    });
    await expect(busy.stableToken()).rejects.toMatchObject({ errcode: -1 });
    expect(calls).toBe(2);
    calls = 0;
    const limited = new MiniProgramClient({
      appid: 'wxA',
      secret: SECRET,
      retryDelayMs: 1,
      fetch: () => (calls++, answering(200, '{"errcode":45011,"errmsg":"limit"}')()),
    });
    await expect(limited.code2Session('x')).rejects.toMatchObject({ errcode: 45011 });
    expect(calls).toBe(1);
  });
});
