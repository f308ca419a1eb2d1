/**
 * The Mini Program API on `api.weixin.qq.com` (§9). Every answer is HTTP 200, errors included.
 * Check orders (the real ones are not documented):
 * - `GET /sns/jscode2session` (appid, secret, js_code, grant_type=authorization_code):
 *   41002 → 40013 → 41004 → 40125 → 40002 → 41008 → 40029 (unknown, another app's, or not a
 *   login code) → 40163 (used) → 40029 (expired) → 45011 (the user's calls this minute) →
 *   40226 (high-risk user) → `{ openid, session_key, unionid? }`, a new session_key per code.
 * - `POST /cgi-bin/stable_token` (JSON: grant_type=client_credential, appid, secret,
 *   force_refresh): 41002 → 40013 → 41004 → 40125 → 40002 → (force) 45011 / 45009 →
 *   `{ access_token, expires_in }`.
 * - `POST /wxa/business/getuserphonenumber?access_token=…` (JSON: code, openid?): 41001 →
 *   40001 (unknown or revoked token) → 42001 (expired) → 41008 → 40029 (unknown, another
 *   app's, not a phone code, used or expired) → 40003 (openid given and not the code's user) →
 *   45011 → `{ errcode: 0, errmsg: 'ok', phone_info }`.
 */
import { Router } from '@koa/router';
import { apiRoute, type ApiHandler } from './api-response.js';
import type { EmulatorContext } from './context.js';
import { errorBody } from './errcodes.js';
import { deriveOpenid, deriveUnionid } from './ids.js';
import type { ApiEndpoint } from './knobs.js';

export function miniProgramRoutes(context: EmulatorContext): Router {
  const router = new Router();
  const { miniProgram: state } = context;

  const route = (path: string, endpoint: ApiEndpoint, methods: Array<'get' | 'post'>, handler: ApiHandler) => {
    const middleware = apiRoute(context, endpoint, handler);
    for (const method of methods) router[method](path, middleware);
  };

  /** The app behind appid + secret, or the error body (41002 → 40013 → 41004 → 40125). */
  const appOf = (appid: string | undefined, secret: string | undefined) => {
    if (!appid) return errorBody(41002);
    const app = context.apps.get(appid);
    if (app?.kind !== 'miniprogram') return errorBody(40013);
    if (!secret) return errorBody(41004);
    if (secret !== app.secret) return errorBody(40125);
    return app;
  };

  route('/sns/jscode2session', 'jscode2session', ['get', 'post'], (param) => {
    const app = appOf(param('appid'), param('secret'));
    if ('errcode' in app) return app;
    if (param('grant_type') !== 'authorization_code') return errorBody(40002);
    const jsCode = param('js_code');
    if (!jsCode) return errorBody(41008);
    const record = state.findCode(jsCode);
    if (!record || record.appid !== app.appid || record.kind !== 'miniprogram-login') return errorBody(40029);
    if (record.used) return errorBody(40163);
    if (state.isExpired(record)) return errorBody(40029);
    const knobs = context.knobs.get();
    if (!state.allowCall(record.userKey, knobs.miniProgramCallsPerMinute)) return errorBody(45011);
    if (knobs.highRiskUsers.includes(record.userKey)) return errorBody(40226);
    record.used = true;
    const unionid =
      app.openPlatformId && !knobs.usersWithoutUnionid.includes(record.userKey) ? deriveUnionid(context.seed, app.openPlatformId, record.userKey) : undefined;
    return {
      openid: deriveOpenid(context.seed, app.appid, record.userKey),
      session_key: state.newSessionKey(app.appid, record.userKey),
      ...(unionid ? { unionid } : {}),
    };
  });

  route('/cgi-bin/stable_token', 'stable_token', ['post'], (param, fields) => {
    const app = appOf(param('appid'), param('secret'));
    if ('errcode' in app) return app;
    if (param('grant_type') !== 'client_credential') return errorBody(40002);
    const force = fields.force_refresh === true || fields.force_refresh === 'true';
    if (!force) {
      const token = state.stableToken(app.appid);
      return { access_token: token.token, expires_in: state.secondsLeft(token) };
    }
    context.calls.count('stable_token_force_refresh');
    const token = state.forceRefresh(app.appid);
    if (typeof token === 'number') return errorBody(token);
    return { access_token: token.token, expires_in: state.secondsLeft(token) };
  });

  route('/wxa/business/getuserphonenumber', 'getuserphonenumber', ['post'], (param) => {
    const accessToken = param('access_token');
    if (!accessToken) return errorBody(41001);
    const token = state.findToken(accessToken);
    if (!token || token.revoked) return errorBody(40001);
    if (state.isExpired(token)) return errorBody(42001);
    const code = param('code');
    if (!code) return errorBody(41008);
    const record = state.findCode(code);
    if (!record || record.appid !== token.appid || record.kind !== 'phone-number' || record.used || state.isExpired(record)) return errorBody(40029);
    const openid = param('openid');
    if (openid && openid !== deriveOpenid(context.seed, token.appid, record.userKey)) return errorBody(40003);
    const knobs = context.knobs.get();
    if (!state.allowCall(record.userKey, knobs.miniProgramCallsPerMinute)) return errorBody(45011);
    const phone = context.users.get(record.userKey)?.phone;
    // Phone codes are only minted for users with a phone; a user removed since cannot answer.
    if (!phone) return errorBody(40029);
    record.used = true;
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        // Chinese numbers come without the country code; others with it.
        phoneNumber: phone.countryCode === '86' ? phone.number : `+${phone.countryCode}${phone.number}`,
        purePhoneNumber: phone.number,
        countryCode: knobs.phoneCountryCodeType === 'number' ? Number(phone.countryCode) : phone.countryCode,
        watermark: { timestamp: Math.floor(context.clock.now() / 1000), appid: knobs.phoneWatermarkAppid ?? token.appid },
      },
    };
  });

  return router;
}
