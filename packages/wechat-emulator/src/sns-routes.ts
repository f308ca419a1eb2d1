/**
 * The token API on `api.weixin.qq.com` (§3). GET with query parameters, or form POST.
 * Check orders follow the reference's checklist (§7), since the real order is unknown:
 * - access_token: 41002 → 40013 → 41004 → 40125 → 40002 → 41008 → 40029 (unknown or another
 *   app's code) → 40163 (used) → expired: 40029, or 42003 with the `expiredCodeErrcode` knob.
 * - refresh_token: 41002 → 40013 → 40002 → 41003 → 40030 (unknown or another app's) → 42002.
 * - auth / userinfo: 41001 → 41009 → unknown token: 40001, or 40014 with the
 *   `unknownTokenErrcode` knob → 42001 → 40003 → (userinfo) 48001 for snsapi_base tokens and
 *   snapshot users.
 */
import { Router } from '@koa/router';
import { apiRoute, type ApiHandler } from './api-response.js';
import type { EmulatorContext } from './context.js';
import { errorBody } from './errcodes.js';
import type { AccessTokenRecord, Grant } from './grants.js';
import type { ApiEndpoint } from './knobs.js';

export function snsRoutes(context: EmulatorContext): Router {
  const router = new Router();
  const { grants } = context;

  const route = (path: string, endpoint: ApiEndpoint, handler: ApiHandler) => {
    const middleware = apiRoute(context, endpoint, handler);
    router.get(path, middleware);
    router.post(path, middleware);
  };

  route('/sns/oauth2/access_token', 'access_token', (param) => {
    const appid = param('appid');
    if (!appid) return errorBody(41002);
    const app = context.apps.get(appid);
    if (!app) return errorBody(40013);
    const secret = param('secret');
    if (!secret) return errorBody(41004);
    if (secret !== app.secret) return errorBody(40125);
    if (param('grant_type') !== 'authorization_code') return errorBody(40002);
    const code = param('code');
    if (!code) return errorBody(41008);
    const record = grants.findCode(code);
    if (!record || record.authorization.appid !== appid) return errorBody(40029);
    if (record.used) return errorBody(40163);
    if (grants.isExpired(record)) return errorBody(context.knobs.get().expiredCodeErrcode);
    const grant = grants.redeem(record);
    const { unionid, snapshot } = grant.authorization;
    return {
      ...tokenBody(grant, grant.accessToken),
      ...(unionid ? { unionid } : {}),
      ...(snapshot ? { is_snapshotuser: 1 } : {}),
    };
  });

  route('/sns/oauth2/refresh_token', 'refresh_token', (param) => {
    const appid = param('appid');
    if (!appid) return errorBody(41002);
    if (!context.apps.has(appid)) return errorBody(40013);
    if (param('grant_type') !== 'refresh_token') return errorBody(40002);
    const refreshToken = param('refresh_token');
    if (!refreshToken) return errorBody(41003);
    const grant = grants.findGrantByRefreshToken(refreshToken);
    if (!grant || grant.authorization.appid !== appid) return errorBody(40030);
    if (grants.isExpired({ expiresAt: grant.refreshExpiresAt })) return errorBody(42002);
    // §3.2: no unionid documented on refresh; the refresh_token string stays the same.
    return tokenBody(grant, grants.refresh(grant));
  });

  /** Common checks of the user-token endpoints; returns the token or an error body. */
  const userToken = (param: (name: string) => string | undefined): AccessTokenRecord | object => {
    const token = param('access_token');
    if (!token) return errorBody(41001);
    const openid = param('openid');
    if (!openid) return errorBody(41009);
    const record = grants.findAccessToken(token);
    if (!record) return errorBody(context.knobs.get().unknownTokenErrcode);
    if (grants.isExpired(record)) return errorBody(42001);
    if (record.grant.authorization.openid !== openid) return errorBody(40003);
    return record;
  };

  route('/sns/auth', 'auth', (param) => {
    const result = userToken(param);
    return isToken(result) ? { errcode: 0, errmsg: 'ok' } : result;
  });

  route('/sns/userinfo', 'userinfo', (param) => {
    const result = userToken(param);
    if (!isToken(result)) return result;
    const { authorization } = result.grant;
    const scopes = authorization.scope.split(',');
    if (!scopes.includes('snsapi_userinfo') && !scopes.includes('snsapi_login')) return errorBody(48001);
    // §2: snapshot users' /sns/userinfo "may answer 48001"; the emulator always does.
    if (authorization.snapshot) return errorBody(48001);
    const user = context.users.get(authorization.userKey);
    if (!user) return errorBody(40003);
    // `lang` only localizes the region fields, which are empty since 2021-10-20.
    return {
      openid: authorization.openid,
      nickname: user.nickname,
      sex: user.sex,
      language: user.language,
      province: user.province,
      city: user.city,
      country: user.country,
      headimgurl: user.headimgurl,
      privilege: user.privilege,
      ...(authorization.unionid ? { unionid: authorization.unionid } : {}),
    };
  });

  return router;

  function tokenBody(grant: Grant, token: AccessTokenRecord) {
    return {
      access_token: token.token,
      expires_in: grants.secondsLeft(token),
      refresh_token: grant.refreshToken,
      openid: grant.authorization.openid,
      scope: grant.authorization.scope,
    };
  }
}

function isToken(value: AccessTokenRecord | object): value is AccessTokenRecord {
  return 'grant' in value;
}
