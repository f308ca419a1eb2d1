/**
 * The Mini Program side of the emulator: jscode2session, stable_token and getuserphonenumber with
 * their errcodes and lifetimes, the control API's code kinds and call counters, and the knobs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { api, apiPost, MINI, MINI_LONE, postJson, startEmulator, WEBSITE, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startEmulator();
});
afterAll(() => h.running.close());
beforeEach(() => h.emulator.reset());

const loginCode = (user = 'xiaoming', appid: string = MINI.appid) => h.emulator.issueCode({ appid, user, kind: 'miniprogram-login' });
const phoneCode = (user = 'xiaoming', appid: string = MINI.appid) => h.emulator.issueCode({ appid, user, kind: 'phone-number' });
const session = (code: string, app: { appid: string; secret: string } = MINI, extra: Record<string, string> = {}) =>
  api(h.url, '/sns/jscode2session', { appid: app.appid, secret: app.secret, js_code: code, grant_type: 'authorization_code', ...extra });
const stableToken = (body: Record<string, unknown> = {}, app: { appid: string; secret: string } = MINI) =>
  apiPost(h.url, '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: app.appid, secret: app.secret, force_refresh: false, ...body });
const phoneNumber = (accessToken: string, body: Record<string, unknown>) =>
  apiPost(h.url, '/wxa/business/getuserphonenumber', body, { access_token: accessToken });

describe('jscode2session', () => {
  it('answers openid, a new session_key per code and the open platform unionid, shared with the website app', async () => {
    const first = await session(loginCode());
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      openid: h.emulator.openidFor(MINI.appid, 'xiaoming'),
      session_key: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
      unionid: h.emulator.unionidFor(WEBSITE.appid, 'xiaoming'),
    });
    expect(first.body.openid).not.toBe(h.emulator.openidFor(WEBSITE.appid, 'xiaoming'));
    expect(h.emulator.sessionKeyFor(MINI.appid, 'xiaoming')).toBe(first.body.session_key);

    const second = await session(loginCode());
    expect(second.body.openid).toBe(first.body.openid);
    expect(second.body.session_key).not.toBe(first.body.session_key);
    expect(h.emulator.sessionKeyFor(MINI.appid, 'xiaoming')).toBe(second.body.session_key);
  });

  it('gives no unionid for a Mini Program without an open platform account', async () => {
    const { body } = await session(loginCode('xiaoming', MINI_LONE.appid), MINI_LONE);
    expect(body.openid).toBe(h.emulator.openidFor(MINI_LONE.appid, 'xiaoming'));
    expect(body).not.toHaveProperty('unionid');
  });

  it('codes are single-use (40163), expire after 5 minutes (40029) and belong to one app and kind (40029)', async () => {
    const code = loginCode();
    expect((await session(code)).body.openid).toBeDefined();
    expect((await session(code)).body.errcode).toBe(40163);

    const late = loginCode();
    h.emulator.clock.advance(300);
    expect((await session(late)).body.errcode).toBe(40029);

    expect((await session(loginCode('xiaoming', MINI_LONE.appid))).body.errcode).toBe(40029);
    expect((await session(phoneCode())).body.errcode).toBe(40029);
    expect((await session('not-a-code')).body.errcode).toBe(40029);
  });

  it('checks appid, secret, grant_type and code in order, with a request id on errmsg', async () => {
    expect((await api(h.url, '/sns/jscode2session', { secret: MINI.secret, js_code: 'x', grant_type: 'authorization_code' })).body.errcode).toBe(41002);
    expect((await session('x', { appid: 'wx-unknown', secret: 's' })).body.errcode).toBe(40013);
    // A website app is no Mini Program.
    expect((await session('x', WEBSITE)).body.errcode).toBe(40013);
    expect((await session('x', { appid: MINI.appid, secret: '' })).body.errcode).toBe(41004);
    expect((await session('x', { ...MINI, secret: 'wrong-secret' })).body.errcode).toBe(40125);
    expect((await session('x', MINI, { grant_type: 'client_credential' })).body.errcode).toBe(40002);
    const missing = await api(h.url, '/sns/jscode2session', { appid: MINI.appid, secret: MINI.secret, grant_type: 'authorization_code' });
    expect(missing.body).toEqual({ errcode: 41008, errmsg: expect.stringMatching(/^missing code, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/) });
  });

  it('limits a user to 100 calls a minute (45011) without spending the code', async () => {
    h.emulator.knobs.set({ miniProgramCallsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await session(loginCode())).body.openid).toBeDefined();
    const code = loginCode();
    expect((await session(code)).body.errcode).toBe(45011);
    // Another user is not affected.
    expect((await session(loginCode('hanmeimei'))).body.openid).toBeDefined();
    h.emulator.clock.advance(60);
    expect((await session(code)).body.openid).toBeDefined();
    expect(h.emulator.knobs.get().miniProgramCallsPerMinute).toBe(3);
    h.emulator.reset();
    expect(h.emulator.knobs.get().miniProgramCallsPerMinute).toBe(100);
  });

  it('refuses high-risk users with 40226 (knob), and answers queued faults -1 / 40226 / 45011 without spending the code', async () => {
    h.emulator.knobs.set({ highRiskUsers: ['lilei'] });
    expect((await session(loginCode('lilei'))).body.errcode).toBe(40226);

    const code = loginCode();
    h.emulator.knobs.failNext('jscode2session', 1, 'system_error');
    h.emulator.knobs.failNext('jscode2session', 1, 'high_risk');
    h.emulator.knobs.failNext('jscode2session', 1, 'frequency_limit');
    expect((await session(code)).body).toEqual({ errcode: -1, errmsg: expect.stringMatching(/^system error, rid: /) });
    expect((await session(code)).body.errcode).toBe(40226);
    expect((await session(code)).body.errcode).toBe(45011);
    expect((await session(code)).body.openid).toBeDefined();
  });
});

describe('stable_token', () => {
  it('is stable in normal mode, renewed in its last 5 minutes, and replaced (old one revoked) by force_refresh', async () => {
    const first = await stableToken();
    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 });
    const again = await stableToken();
    expect(again.access_token).toBe(first.access_token);

    h.emulator.clock.advance(7200 - 299);
    const renewed = await stableToken();
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.expires_in).toBe(7200);
    // The old one is still valid until it expires (the platform renews early).
    expect((await phoneNumber(first.access_token as string, { code: phoneCode() })).errcode).toBe(0);

    const forced = await stableToken({ force_refresh: true });
    expect(forced.access_token).not.toBe(renewed.access_token);
    expect((await phoneNumber(renewed.access_token as string, { code: phoneCode() })).errcode).toBe(40001);
    expect((await stableToken()).access_token).toBe(forced.access_token);
  });

  it('allows force_refresh only 30 s apart (45011) and 20 times a day (45009)', async () => {
    expect((await stableToken({ force_refresh: true })).access_token).toBeDefined();
    expect((await stableToken({ force_refresh: true })).errcode).toBe(45011);
    for (let i = 1; i < 20; i++) {
      h.emulator.clock.advance(30);
      expect((await stableToken({ force_refresh: true })).access_token).toBeDefined();
    }
    h.emulator.clock.advance(30);
    expect((await stableToken({ force_refresh: true })).errcode).toBe(45009);
    h.emulator.clock.advance(24 * 3600);
    expect((await stableToken({ force_refresh: true })).access_token).toBeDefined();
  });

  it('checks the app: 41002, 40013 (also for a website app), 41004, 40125, 40002', async () => {
    expect((await apiPost(h.url, '/cgi-bin/stable_token', { grant_type: 'client_credential', secret: 'x' })).errcode).toBe(41002);
    expect((await stableToken({}, { appid: 'wx-unknown', secret: 'x' })).errcode).toBe(40013);
    expect((await stableToken({}, WEBSITE)).errcode).toBe(40013);
    expect((await stableToken({ secret: '' })).errcode).toBe(41004);
    expect((await stableToken({ secret: 'wrong' })).errcode).toBe(40125);
    expect((await stableToken({ grant_type: 'authorization_code' })).errcode).toBe(40002);
  });

  it('counts calls (force_refresh separately) in GET /__emulator, and reset zeroes them', async () => {
    await Promise.all([stableToken(), stableToken(), stableToken({ force_refresh: true })]);
    await session(loginCode());
    const overview = (await (await fetch(`${h.url}/__emulator`)).json()) as { calls: Record<string, number>; apps: Array<{ appid: string; kind: string }> };
    expect(overview.calls).toMatchObject({ stable_token: 3, stable_token_force_refresh: 1, jscode2session: 1, getuserphonenumber: 0, access_token: 0 });
    expect(overview.apps).toContainEqual(expect.objectContaining({ appid: MINI.appid, kind: 'miniprogram' }));
    expect(JSON.stringify(overview)).not.toContain(MINI.secret);
    expect(h.emulator.calls().stable_token).toBe(3);
    h.emulator.reset();
    expect(h.emulator.calls().stable_token).toBe(0);
  });
});

describe('getuserphonenumber', () => {
  const token = async () => (await stableToken()).access_token as string;

  it('answers the user phone with the watermark of the calling app; Chinese numbers without, others with the country code', async () => {
    const answer = await phoneNumber(await token(), { code: phoneCode() });
    expect(answer).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13800138001',
        purePhoneNumber: '13800138001',
        countryCode: '86',
        watermark: { timestamp: expect.any(Number), appid: MINI.appid },
      },
    });
    const alice = await phoneNumber(await token(), { code: phoneCode('alice') });
    expect(alice.phone_info).toMatchObject({ phoneNumber: '+447911123456', purePhoneNumber: '7911123456', countryCode: '44' });

    h.emulator.knobs.set({ phoneCountryCodeType: 'number', phoneWatermarkAppid: 'wx-somebody-else' });
    const knobbed = await phoneNumber(await token(), { code: phoneCode() });
    expect(knobbed.phone_info).toMatchObject({ countryCode: 86, watermark: { appid: 'wx-somebody-else' } });
  });

  it('phone codes are single-use, 5 minutes, of one app, and checked against the openid when given', async () => {
    const access = await token();
    const code = phoneCode();
    expect((await phoneNumber(access, { code, openid: h.emulator.openidFor(MINI.appid, 'hanmeimei') })).errcode).toBe(40003);
    expect((await phoneNumber(access, { code, openid: h.emulator.openidFor(MINI.appid, 'xiaoming') })).errcode).toBe(0);
    expect((await phoneNumber(access, { code })).errcode).toBe(40029);

    const late = phoneCode();
    h.emulator.clock.advance(300);
    expect((await phoneNumber(await token(), { code: late })).errcode).toBe(40029);

    expect((await phoneNumber(await token(), { code: phoneCode('xiaoming', MINI_LONE.appid) })).errcode).toBe(40029);
    expect((await phoneNumber(await token(), { code: loginCode() })).errcode).toBe(40029);
  });

  it('refuses missing, unknown and expired access tokens: 41001, 40001, 42001', async () => {
    expect((await apiPost(h.url, '/wxa/business/getuserphonenumber', { code: phoneCode() })).errcode).toBe(41001);
    expect((await phoneNumber('89_unknown', { code: phoneCode() })).errcode).toBe(40001);
    const access = await token();
    h.emulator.clock.advance(7200);
    expect((await phoneNumber(access, { code: phoneCode() })).errcode).toBe(42001);
  });
});

describe('control API', () => {
  it('POST /__emulator/codes mints Mini Program login and phone codes, and refuses wrong kinds with 400', async () => {
    const login = await postJson(`${h.url}/__emulator/codes`, { appid: MINI.appid, user: 'alice', kind: 'miniprogram-login' });
    expect((await session(login.body.code as string)).body.openid).toBe(h.emulator.openidFor(MINI.appid, 'alice'));
    const phone = await postJson(`${h.url}/__emulator/codes`, { appid: MINI.appid, user: 'alice', kind: 'phone-number' });
    expect((await phoneNumber((await stableToken()).access_token as string, { code: phone.body.code })).errcode).toBe(0);

    expect((await postJson(`${h.url}/__emulator/codes`, { appid: WEBSITE.appid, user: 'alice', kind: 'miniprogram-login' })).body.error).toBe('wrong_app_kind');
    expect((await postJson(`${h.url}/__emulator/codes`, { appid: MINI.appid, user: 'alice' })).body.error).toBe('wrong_app_kind');
    expect((await postJson(`${h.url}/__emulator/codes`, { appid: MINI.appid, user: 'alice', kind: 'sms' })).status).toBe(400);
  });

  it('refuses phone codes for a user without a phone', async () => {
    const { createWechatEmulator } = await import('../src/index.js');
    const emulator = createWechatEmulator({
      apps: [{ ...MINI, kind: 'miniprogram' }],
      users: [{ key: 'nophone', nickname: 'x', sex: 0, province: '', city: '', country: '', headimgurl: '', privilege: [], language: 'zh_CN' }],
    });
    expect(() => emulator.issueCode({ appid: MINI.appid, user: 'nophone', kind: 'phone-number' })).toThrow(/no phone/);
  });

  it('Mini Program apps have no web authorization pages', async () => {
    const page = await fetch(
      `${h.url}/connect/oauth2/authorize?appid=${MINI.appid}&redirect_uri=${encodeURIComponent('http://app.example.test/cb')}&response_type=code&scope=snsapi_base&state=s`,
      { redirect: 'manual' },
    );
    expect(page.status).not.toBe(302);
    expect(page.headers.get('x-emulator-error')).toBe('wrong_app_kind');
  });
});
