/**
 * The token API of the emulator (/sns/*), checked at the HTTP level: every answer is HTTP 200
 * JSON, errcodes follow the reference's table and check order, lifetimes are real.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LONE, OA, WEBSITE, WEBSITE2, api, startEmulator, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startEmulator();
});
afterAll(() => h.running.close());
beforeEach(() => h.emulator.reset());

const exchange = (params: Record<string, string>) => api(h.url, '/sns/oauth2/access_token', params);
const refresh = (params: Record<string, string>) => api(h.url, '/sns/oauth2/refresh_token', params);
const auth = (params: Record<string, string>) => api(h.url, '/sns/auth', params);
const userinfo = (params: Record<string, string>) => api(h.url, '/sns/userinfo', params);

const codeFor = (app: { appid: string }, user = 'xiaoming', scope?: string) => h.emulator.issueCode({ appid: app.appid, user, ...(scope ? { scope } : {}) });
const redeem = async (app: { appid: string; secret: string }, user = 'xiaoming', scope?: string) => {
  const { body } = await exchange({ appid: app.appid, secret: app.secret, code: codeFor(app, user, scope), grant_type: 'authorization_code' });
  return body as { access_token: string; refresh_token: string; openid: string; unionid?: string; expires_in: number; scope: string };
};
const errcodeOf = (answer: { status: number; body: Record<string, unknown> }) => {
  expect(answer.status).toBe(200);
  return answer.body.errcode;
};

describe('/sns/oauth2/access_token', () => {
  it('exchanges a code: the documented fields, JSON with the non-standard encoding= Content-Type', async () => {
    const answer = await exchange({ appid: WEBSITE.appid, secret: WEBSITE.secret, code: codeFor(WEBSITE), grant_type: 'authorization_code' });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; encoding=utf-8');
    expect(answer.body).toEqual({
      access_token: expect.stringMatching(/^89_[A-Za-z0-9_-]+$/),
      expires_in: 7200,
      refresh_token: expect.stringMatching(/^89_/),
      openid: h.emulator.openidFor(WEBSITE.appid, 'xiaoming'),
      scope: 'snsapi_login',
      unionid: h.emulator.unionidFor(WEBSITE.appid, 'xiaoming'),
    });
    expect(answer.body.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
  });

  it.each([
    ['missing appid', { appid: '' }, 41002],
    ['unknown appid', { appid: 'wx_unknown' }, 40013],
    ['missing secret', { secret: '' }, 41004],
    ['wrong secret', { secret: 'not-the-secret' }, 40125],
    ['wrong grant_type', { grant_type: 'client_credential' }, 40002],
    ['missing code', { code: '' }, 41008],
    ['unknown code', { code: 'A'.repeat(32) }, 40029],
  ])('%s → errcode %i (HTTP 200, errmsg with rid)', async (_label, overrides, errcode) => {
    const params: Record<string, string> = {
      appid: WEBSITE.appid,
      secret: WEBSITE.secret,
      code: codeFor(WEBSITE),
      grant_type: 'authorization_code',
      ...overrides,
    };
    for (const [key, value] of Object.entries(params)) if (value === '') delete params[key];
    const answer = await exchange(params);
    expect(errcodeOf(answer)).toBe(errcode);
    expect(answer.body.errmsg).toMatch(/, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  });

  it("another app's code → 40029", async () => {
    const code = codeFor(WEBSITE2);
    expect(errcodeOf(await exchange({ appid: WEBSITE.appid, secret: WEBSITE.secret, code, grant_type: 'authorization_code' }))).toBe(40029);
  });

  it('a code is single-use → 40163 on the second exchange', async () => {
    const params = { appid: WEBSITE.appid, secret: WEBSITE.secret, code: codeFor(WEBSITE), grant_type: 'authorization_code' };
    expect((await exchange(params)).body.access_token).toBeDefined();
    const second = await exchange(params);
    expect(errcodeOf(second)).toBe(40163);
    expect(second.body.errmsg).toMatch(/^code been used, rid: /);
  });

  it('codes live 10 min for website apps, 5 min for Official Accounts; expired → 40029 (or 42003 by knob)', async () => {
    const website = codeFor(WEBSITE);
    const oa = codeFor(OA);
    const oaLate = codeFor(OA);
    const ex = (app: { appid: string; secret: string }, code: string) =>
      exchange({ appid: app.appid, secret: app.secret, code, grant_type: 'authorization_code' });
    h.emulator.clock.advance(299);
    expect((await ex(OA, oa)).body.access_token).toBeDefined();
    h.emulator.clock.advance(1);
    expect(errcodeOf(await ex(OA, oaLate))).toBe(40029);
    expect((await ex(WEBSITE, website)).body.access_token).toBeDefined();

    const expiring = codeFor(WEBSITE);
    h.emulator.clock.advance(600);
    h.emulator.knobs.set({ expiredCodeErrcode: 42003 });
    expect(errcodeOf(await ex(WEBSITE, expiring))).toBe(42003);
  });

  it('accepts form POSTs and ignores unknown parameters', async () => {
    const response = await fetch(`${h.url}/sns/oauth2/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        appid: WEBSITE.appid,
        secret: WEBSITE.secret,
        code: codeFor(WEBSITE),
        grant_type: 'authorization_code',
        redirect_uri: 'x',
        scope: 'y',
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { openid: string }).openid).toBe(h.emulator.openidFor(WEBSITE.appid, 'xiaoming'));
  });
});

describe('identities: openid per app, unionid per open-platform account', () => {
  it('the same user has different openids in two apps but the same unionid', async () => {
    const a = await redeem(WEBSITE);
    const b = await redeem(WEBSITE2);
    expect(a.openid).not.toBe(b.openid);
    expect(a.unionid).toBeDefined();
    expect(a.unionid).toBe(b.unionid);
    // Other users differ.
    expect((await redeem(WEBSITE, 'hanmeimei')).unionid).not.toBe(a.unionid);
  });

  it('no unionid for an unbound app, for OA snsapi_base, or for users in usersWithoutUnionid', async () => {
    expect((await redeem(LONE)).unionid).toBeUndefined();
    const base = await redeem(OA, 'xiaoming', 'snsapi_base');
    expect(base.unionid).toBeUndefined();
    expect(base.scope).toBe('snsapi_base');
    const oaUserinfo = await redeem(OA, 'xiaoming', 'snsapi_userinfo');
    expect(oaUserinfo.unionid).toBe(h.emulator.unionidFor(WEBSITE.appid, 'xiaoming'));
    h.emulator.knobs.set({ usersWithoutUnionid: ['xiaoming'] });
    expect((await redeem(WEBSITE)).unionid).toBeUndefined();
  });

  it('snapshot users get is_snapshotuser: 1, virtual ids, and 48001 from /sns/userinfo', async () => {
    h.emulator.knobs.set({ snapshotUsers: ['hanmeimei'] });
    const snap = await redeem(OA, 'hanmeimei', 'snsapi_userinfo');
    expect(snap).toMatchObject({ is_snapshotuser: 1 });
    expect(snap.openid).not.toBe(h.emulator.openidFor(OA.appid, 'hanmeimei'));
    expect(errcodeOf(await userinfo({ access_token: snap.access_token, openid: snap.openid }))).toBe(48001);
    // Only snsapi_userinfo on an OA is affected.
    expect(await redeem(OA, 'hanmeimei', 'snsapi_base')).not.toHaveProperty('is_snapshotuser');
    expect(await redeem(WEBSITE, 'hanmeimei')).not.toHaveProperty('is_snapshotuser');
  });
});

describe('/sns/oauth2/refresh_token', () => {
  it('extends a still-valid access token (same string) and keeps the refresh token', async () => {
    const tokens = await redeem(WEBSITE);
    h.emulator.clock.advance(3600);
    const { body } = await refresh({ appid: WEBSITE.appid, grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(body).toEqual({
      access_token: tokens.access_token,
      expires_in: 7200,
      refresh_token: tokens.refresh_token,
      openid: tokens.openid,
      scope: 'snsapi_login',
    });
  });

  it('issues a new access token once the old one expired; the old one then answers 42001', async () => {
    const tokens = await redeem(WEBSITE);
    h.emulator.clock.advance(7200);
    expect(errcodeOf(await auth({ access_token: tokens.access_token, openid: tokens.openid }))).toBe(42001);
    const { body } = await refresh({ appid: WEBSITE.appid, grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(body.access_token).not.toBe(tokens.access_token);
    expect(body.expires_in).toBe(7200);
    expect((await auth({ access_token: body.access_token as string, openid: tokens.openid })).body).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it.each([
    ['missing appid', { appid: '' }, 41002],
    ['unknown appid', { appid: 'wx_unknown' }, 40013],
    ['wrong grant_type', { grant_type: 'authorization_code' }, 40002],
    ['missing refresh_token', { refresh_token: '' }, 41003],
    ['unknown refresh_token', { refresh_token: '89_unknown' }, 40030],
  ])('%s → errcode %i', async (_label, overrides, errcode) => {
    const tokens = await redeem(WEBSITE);
    const params: Record<string, string> = { appid: WEBSITE.appid, grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...overrides };
    for (const [key, value] of Object.entries(params)) if (value === '') delete params[key];
    expect(errcodeOf(await refresh(params))).toBe(errcode);
  });

  it("another app's refresh token → 40030; after 30 days → 42002", async () => {
    const tokens = await redeem(WEBSITE);
    expect(errcodeOf(await refresh({ appid: WEBSITE2.appid, grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))).toBe(40030);
    h.emulator.clock.advance(30 * 24 * 3600);
    expect(errcodeOf(await refresh({ appid: WEBSITE.appid, grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))).toBe(42002);
  });
});

describe('/sns/auth and /sns/userinfo', () => {
  it('userinfo returns the profile with the emoji nickname intact and the unionid', async () => {
    const tokens = await redeem(WEBSITE);
    const { body, contentType } = await userinfo({ access_token: tokens.access_token, openid: tokens.openid, lang: 'zh_CN' });
    expect(contentType).toBe('application/json; encoding=utf-8');
    expect(body).toEqual({
      openid: tokens.openid,
      nickname: '小明🐱',
      sex: 0,
      language: 'zh_CN',
      province: '',
      city: '',
      country: '',
      headimgurl: expect.stringMatching(/\/132$/),
      privilege: [],
      unionid: tokens.unionid,
    });
  });

  it.each(['auth', 'userinfo'] as const)('%s: 41001, 41009, 40001 (40014 by knob), 42001, 40003', async (which) => {
    const call = which === 'auth' ? auth : userinfo;
    const tokens = await redeem(WEBSITE);
    expect(errcodeOf(await call({ openid: tokens.openid }))).toBe(41001);
    expect(errcodeOf(await call({ access_token: tokens.access_token }))).toBe(41009);
    expect(errcodeOf(await call({ access_token: '89_forged', openid: tokens.openid }))).toBe(40001);
    h.emulator.knobs.set({ unknownTokenErrcode: 40014 });
    expect(errcodeOf(await call({ access_token: '89_forged', openid: tokens.openid }))).toBe(40014);
    const other = await redeem(WEBSITE, 'lilei');
    expect(errcodeOf(await call({ access_token: tokens.access_token, openid: other.openid }))).toBe(40003);
    h.emulator.clock.advance(7200);
    expect(errcodeOf(await call({ access_token: tokens.access_token, openid: tokens.openid }))).toBe(42001);
  });

  it('a snsapi_base token cannot read userinfo (48001) but passes /sns/auth', async () => {
    const tokens = await redeem(OA, 'xiaoming', 'snsapi_base');
    expect(errcodeOf(await userinfo({ access_token: tokens.access_token, openid: tokens.openid }))).toBe(48001);
    expect((await auth({ access_token: tokens.access_token, openid: tokens.openid })).body).toEqual({ errcode: 0, errmsg: 'ok' });
  });
});
