/**
 * The browser-facing half of the emulator: /connect/qrconnect (and its wxLogin jssdk variant),
 * /connect/oauth2/authorize, the long-poll, and the phone actions that stand in for WeChat.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CALLBACK, OA, WEBSITE, callbackParams, get, postJson, startCallbackRecorder, startEmulator, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startEmulator();
});
afterAll(() => h.running.close());
beforeEach(() => h.emulator.reset());

const qrUrl = (params: Record<string, string>) => `${h.url}/connect/qrconnect?${new URLSearchParams(params)}`;
const websiteLink = (overrides: Record<string, string> = {}) =>
  qrUrl({ appid: WEBSITE.appid, redirect_uri: CALLBACK, response_type: 'code', scope: 'snsapi_login', state: 'st4te', ...overrides });
/** OA links are built by hand: WeChat checks the parameter order. */
const oaLink = (query: string) => `${h.url}/connect/oauth2/authorize?${query}`;
const oaQuery = (scope: string, state = 'abc123', redirect = 'https://m.example.test/wx/cb') =>
  `appid=${OA.appid}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=${scope}&state=${state}`;

describe('/connect/qrconnect', () => {
  it('shows a QR page with a ticket, the test users and their buttons, and is not frameable', async () => {
    const page = await get(`${websiteLink()}#wechat_redirect`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('x-emulator-ticket')).toEqual(expect.any(String));
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(page.text).toContain('小明🐱');
    expect(page.text).toContain('value="confirm"');
    expect(page.text).toContain('value="deny"');
    expect(page.text).toContain('/connect/l/qrconnect');
  });

  it.each([
    ['unknown appid', { appid: 'wx_nope' }, 'invalid_appid'],
    ['missing appid', { appid: '' }, 'appid_missing'],
    ['an Official Account appid', { appid: OA.appid }, 'wrong_app_kind'],
    ['unregistered callback host', { redirect_uri: 'https://evil.example.test/cb' }, 'redirect_uri_mismatch'],
    ['a registered host as a suffix only', { redirect_uri: 'https://app.example.test.evil.test/cb' }, 'redirect_uri_mismatch'],
    ['a relative redirect_uri', { redirect_uri: '/cb' }, 'redirect_uri_invalid'],
    ['a missing response_type', { response_type: '' }, 'response_type_invalid'],
    ['response_type=token', { response_type: 'token' }, 'response_type_invalid'],
    ['an OA scope', { scope: 'snsapi_userinfo' }, 'scope_invalid'],
    ['a missing scope', { scope: '' }, 'scope_missing'],
  ])('shows an error page and never redirects for %s', async (_label, overrides, slug) => {
    const params: Record<string, string> = {
      appid: WEBSITE.appid,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'snsapi_login',
      state: 's',
      ...overrides,
    };
    for (const [key, value] of Object.entries(params)) if (value === '') delete params[key];
    const page = await get(qrUrl(params));
    expect(page.status).toBe(200);
    expect(page.headers.get('location')).toBeNull();
    expect(page.headers.get('x-emulator-error')).toBe(slug);
    expect(page.text).toContain('This link cannot be accessed');
  });

  it('accepts a callback host on any port when registered without one, and ignores unknown params', async () => {
    const page = await get(websiteLink({ redirect_uri: 'http://localhost:3999/cb', lang: 'en', extra: 'x' }));
    expect(page.headers.get('x-emulator-error')).toBeNull();
    expect(page.headers.get('x-emulator-ticket')).toBeTruthy();
  });

  it('confirm: the phone approves and the browser goes to redirect_uri?code&state (state passed through)', async () => {
    const page = await get(websiteLink({ state: 'q7Xk29 Lm/Pa0' }));
    const ticket = page.headers.get('x-emulator-ticket');
    const { status, body } = await postJson(`${h.url}/__emulator/confirm`, { ticket, user: 'xiaoming', action: 'confirm' });
    expect(status).toBe(200);
    expect(body.status).toBe('confirmed');
    const redirectUrl = body.redirectUrl as string;
    expect(redirectUrl.startsWith(`${CALLBACK}?code=`)).toBe(true);
    const { code, state } = callbackParams(redirectUrl);
    expect(code).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(state).toBe('q7Xk29 Lm/Pa0');
    expect(body.codes).toEqual([code]);

    // The QR page's long-poll reports the confirmation and hands out the code.
    const poll = await get(`${h.url}/connect/l/qrconnect?uuid=${ticket}`);
    expect(poll.text).toBe(`window.wx_errcode=405;window.wx_code='${code}';`);

    // A session is finished once confirmed.
    const again = await postJson(`${h.url}/__emulator/confirm`, { ticket, user: 'xiaoming' });
    expect(again.status).toBe(409);
  });

  it('joins code and state with & when redirect_uri has a query, before any fragment', async () => {
    const result = await h.emulator.phone({ appid: WEBSITE.appid, redirect_uri: `${CALLBACK}?next=%2Fhome#/route`, state: 's1', user: 'lilei' });
    expect(result.redirectUrl).toMatch(new RegExp(`^${CALLBACK.replace(/[.?/]/g, '\\$&')}\\?next=%2Fhome&code=[0-9A-Za-z]{32}&state=s1#/route$`));
  });

  it('scan then deny: long-poll says 408 → 404 → 403 and there is no redirect', async () => {
    const ticket = (await get(websiteLink())).headers.get('x-emulator-ticket') ?? '';
    const poll = async () => (await get(`${h.url}/connect/l/qrconnect?uuid=${ticket}`)).text;
    expect(await poll()).toBe("window.wx_errcode=408;window.wx_code='';");
    await h.emulator.phone({ ticket, user: 'hanmeimei', action: 'scan' });
    expect(await poll()).toBe("window.wx_errcode=404;window.wx_code='';");
    const denied = await h.emulator.phone({ ticket, user: 'hanmeimei', action: 'deny' });
    expect(denied).toMatchObject({ status: 'cancelled', redirectUrl: null, redirectUrls: [], codes: [] });
    expect(await poll()).toBe("window.wx_errcode=403;window.wx_code='';");
  });

  it('deny with the legacy refusal knob redirects with state only', async () => {
    h.emulator.knobs.set({ refusal: 'state_only' });
    const denied = await h.emulator.phone({ appid: WEBSITE.appid, redirect_uri: CALLBACK, state: 'abc', user: 'alice', action: 'deny' });
    expect(denied.redirectUrl).toBe(`${CALLBACK}?state=abc`);
  });

  it('a QR code expires (long-poll 402, confirm refused with 410)', async () => {
    const ticket = (await get(websiteLink())).headers.get('x-emulator-ticket') ?? '';
    h.emulator.clock.advance(301);
    expect((await get(`${h.url}/connect/l/qrconnect?uuid=${ticket}`)).text).toContain('wx_errcode=402');
    const { status, body } = await postJson(`${h.url}/__emulator/confirm`, { ticket, user: 'xiaoming' });
    expect(status).toBe(410);
    expect(body.error).toBe('session_expired');
  });

  it('the consent page buttons work without JS: form-post confirm answers 302 to the callback', async () => {
    const ticket = (await get(websiteLink({ state: 'formflow' }))).headers.get('x-emulator-ticket') ?? '';
    const response = await fetch(`${h.url}/__emulator/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ticket, user: 'xiaoming', action: 'confirm', respond: 'browser' }),
    });
    expect(response.status).toBe(302);
    expect(callbackParams(response.headers.get('location') ?? '').state).toBe('formflow');
  });

  it('form-post deny shows the cancellation instead of redirecting', async () => {
    const ticket = (await get(websiteLink())).headers.get('x-emulator-ticket') ?? '';
    const response = await fetch(`${h.url}/__emulator/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ticket, user: 'xiaoming', action: 'deny', respond: 'browser' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Login cancelled');
  });

  it('jssdk variant (wxLogin.js iframe): frameable, no response_type needed, confirm targets the top window', async () => {
    const params = {
      appid: WEBSITE.appid,
      scope: 'snsapi_login',
      redirect_uri: CALLBACK,
      state: 's',
      login_type: 'jssdk',
      self_redirect: 'default',
      style: 'white',
    };
    const page = await get(qrUrl(params));
    expect(page.headers.get('x-emulator-error')).toBeNull();
    expect(page.headers.get('content-security-policy')).toBeNull();
    expect(page.text).toContain('target="_top"');
    const inFrame = await get(qrUrl({ ...params, self_redirect: 'true' }));
    expect(inFrame.text).not.toContain('target="_top"');
  });

  it('serves a wxLogin.js stand-in at the real script path that builds the jssdk iframe URL', async () => {
    const script = await get(`${h.url}/connect/zh_CN/htmledition/js/wxLogin.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.text).toContain(`"${h.url}"`);
    expect(script.text).toContain("'/connect/qrconnect?appid='");
    expect(script.text).toContain('login_type=jssdk&self_redirect=');
    expect(script.text).not.toContain('response_type');
    expect(script.text).toContain('global.WxLogin = WxLogin');
  });

  it('duplicate callbacks: two codes for the same state, both hit when the emulator performs them', async () => {
    const recorder = await startCallbackRecorder();
    try {
      h.emulator.knobs.set({ duplicateCallbacks: true });
      const redirect = `${recorder.url}/cb`;
      const result = await h.emulator.phone({
        appid: WEBSITE.appid,
        redirect_uri: redirect,
        state: 'dup',
        user: 'xiaoming',
        perform: true,
        callbackHeaders: { cookie: 'sid=abc' },
      });
      expect(result.codes).toHaveLength(2);
      expect(result.codes[0]).not.toBe(result.codes[1]);
      expect(recorder.hits.map((hit) => callbackParams(`http://x${hit.url}`))).toEqual([
        { code: result.codes[0], state: 'dup' },
        { code: result.codes[1], state: 'dup' },
      ]);
      expect(recorder.hits.every((hit) => hit.cookie === 'sid=abc')).toBe(true);
      expect(result.callbacks).toEqual([
        { url: result.redirectUrls[0], status: 302, location: '/done' },
        { url: result.redirectUrls[1], status: 302, location: '/done' },
      ]);
    } finally {
      await recorder.close();
    }
  });

  it('autoApproveUser redirects straight to the callback', async () => {
    h.emulator.knobs.set({ autoApproveUser: 'alice' });
    const page = await get(websiteLink({ state: 'auto' }));
    expect(page.status).toBe(302);
    expect(callbackParams(page.headers.get('location') ?? '').state).toBe('auto');
  });
});

describe('/connect/oauth2/authorize (Official Account)', () => {
  it('shows a consent page for snsapi_userinfo and a silent continue for snsapi_base', async () => {
    const userinfo = await get(`${oaLink(oaQuery('snsapi_userinfo'))}#wechat_redirect`);
    expect(userinfo.headers.get('x-emulator-error')).toBeNull();
    expect(userinfo.text).toContain('value="deny"');
    // No QR code here: none of the QR page's status texts (issue 12.3).
    expect(userinfo.text).not.toMatch(/scan|QR code|二维码|扫描/i);
    const base = await get(oaLink(oaQuery('snsapi_base')));
    expect(base.text).not.toMatch(/scan|QR code|二维码|扫描/i);
    expect(base.text).toContain('silent in WeChat');
    expect(base.text).not.toContain('value="deny"');
  });

  it.each([
    ['snsapi_login scope', oaQuery('snsapi_login'), 'scope_invalid'],
    ['a website appid', oaQuery('snsapi_base').replace(OA.appid, WEBSITE.appid), 'wrong_app_kind'],
    ['a state with symbols', oaQuery('snsapi_base', 'a-b'), 'state_invalid'],
    ['a state over 128 bytes', oaQuery('snsapi_base', 'a'.repeat(129)), 'state_invalid'],
    ['another host of the same domain', oaQuery('snsapi_base', 'ok', 'https://pay.example.test/cb'), 'redirect_uri_mismatch'],
    [
      'reordered parameters',
      `scope=snsapi_base&appid=${OA.appid}&redirect_uri=${encodeURIComponent('https://m.example.test/cb')}&response_type=code&state=x`,
      'param_order',
    ],
  ])('rejects %s with an error page', async (_label, query, slug) => {
    const page = await get(oaLink(query));
    expect(page.status).toBe(200);
    expect(page.headers.get('location')).toBeNull();
    expect(page.headers.get('x-emulator-error')).toBe(slug);
  });

  it('shows code 10003 for a redirect_uri host mismatch', async () => {
    const page = await get(oaLink(oaQuery('snsapi_base', 'ok', 'https://evil.test/cb')));
    expect(page.text).toContain('10003');
  });

  it('accepts a 128-character state and reordered params when enforceParamOrder is off', async () => {
    expect((await get(oaLink(oaQuery('snsapi_base', 'a'.repeat(128))))).headers.get('x-emulator-error')).toBeNull();
    h.emulator.knobs.set({ enforceParamOrder: false });
    const reordered = `scope=snsapi_base&appid=${OA.appid}&redirect_uri=${encodeURIComponent('https://m.example.test/cb')}&response_type=code&state=x`;
    expect((await get(oaLink(reordered))).headers.get('x-emulator-error')).toBeNull();
  });

  it('confirm via the control API with (appid, redirect_uri, state) yields a code for the OA', async () => {
    const { status, body } = await postJson(`${h.url}/__emulator/confirm`, {
      appid: OA.appid,
      redirect_uri: 'https://m.example.test/wx/cb',
      state: 'abc',
      scope: 'snsapi_base',
      user: 'xiaoming',
    });
    expect(status).toBe(200);
    expect(callbackParams(body.redirectUrl as string)).toEqual({ code: expect.stringMatching(/^[0-9A-Za-z]{32}$/), state: 'abc' });
  });

  it('the control API validates like the page and names unknown users', async () => {
    const badHost = await postJson(`${h.url}/__emulator/confirm`, { appid: OA.appid, redirect_uri: 'https://evil.test/', user: 'xiaoming' });
    expect(badHost).toEqual({ status: 400, body: { error: 'redirect_uri_mismatch', message: expect.any(String) } });
    const badUser = await postJson(`${h.url}/__emulator/confirm`, { appid: OA.appid, redirect_uri: 'https://m.example.test/', user: 'nobody' });
    expect(badUser.body.error).toBe('unknown_user');
    const badTicket = await postJson(`${h.url}/__emulator/confirm`, { ticket: 'nope', user: 'xiaoming' });
    expect(badTicket.status).toBe(404);
  });
});
