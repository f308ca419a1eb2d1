/**
 * Validation of the browser-facing authorize links, `/connect/qrconnect` (website QR login,
 * §1) and `/connect/oauth2/authorize` (Official Account, §2). A failure never redirects: WeChat
 * shows an error page instead, so the result is a `PageError` for the page renderer.
 *
 * `#wechat_redirect` is a fragment, which browsers never send, so it is neither required nor
 * seen here (§1). Unknown parameters are ignored.
 */
import { isAllowedCallback, type AppKind, type EmulatorApp } from './config.js';
import type { EmulatorContext } from './context.js';

export type AuthorizeFlow = 'qrconnect' | 'oauth2';

export interface AuthorizeRequest {
  flow: AuthorizeFlow;
  app: EmulatorApp;
  redirectUri: string;
  /** Absent when the link had no `state`; echoed back unchanged otherwise. */
  state: string | undefined;
  /** Comma-separated, as requested. */
  scope: string;
  /** `login_type=jssdk`: the frameable variant loaded by wxLogin.js. */
  jssdk: boolean;
  /** wxLogin's `self_redirect=true`: the redirect happens inside the iframe, not the top window. */
  selfRedirect: boolean;
  /** Caption colour of the QR page: `black` (default) or `white`. */
  style: 'black' | 'white';
  /** wxLogin's `href`: an https or `data:text/css` stylesheet (ignored with `stylelite=1`). */
  href: string | undefined;
}

export interface PageError {
  /** Stable id, also sent as the `x-emulator-error` header for tests. */
  slug: string;
  message: string;
  /** The number WeChat's error page shows, where the reference names one. */
  wechatCode?: number;
}

export type AuthorizeParseResult = { ok: true; request: AuthorizeRequest } | { ok: false; error: PageError };

/** Scopes each kind of app may request. */
export const SCOPES: Record<AppKind, readonly string[]> = {
  website: ['snsapi_login'],
  oa: ['snsapi_base', 'snsapi_userinfo'],
  // Mini Programs log in with wx.login() codes (jscode2session), never through these pages.
  miniprogram: [],
};

/** Order WeChat requires on `/connect/oauth2/authorize` (§2). */
const OA_PARAM_ORDER = ['appid', 'redirect_uri', 'response_type', 'scope', 'state'];
const OA_STATE = /^[A-Za-z0-9]{0,128}$/;

export function parseAuthorizeRequest(flow: AuthorizeFlow, params: URLSearchParams, context: EmulatorContext): AuthorizeParseResult {
  const fail = (slug: string, message: string, wechatCode?: number): AuthorizeParseResult => ({
    ok: false,
    error: wechatCode === undefined ? { slug, message } : { slug, message, wechatCode },
  });
  const get = (name: string) => params.get(name) ?? undefined;

  const appid = get('appid');
  if (!appid) return fail('appid_missing', 'appid is missing');
  const app = context.apps.get(appid);
  if (!app) return fail('invalid_appid', 'appid is not registered');
  const expectedKind: AppKind = flow === 'qrconnect' ? 'website' : 'oa';
  if (app.kind !== expectedKind) {
    return fail(
      'wrong_app_kind',
      app.kind === 'miniprogram'
        ? 'this appid is a Mini Program, which has no web authorization; its codes come from wx.login()'
        : flow === 'qrconnect'
          ? 'this appid is an Official Account; use /connect/oauth2/authorize'
          : 'this appid is a website app; use /connect/qrconnect',
    );
  }

  const redirectUri = get('redirect_uri');
  if (!redirectUri) return fail('redirect_uri_missing', 'redirect_uri is missing');
  let callback: URL;
  try {
    callback = new URL(redirectUri);
  } catch {
    return fail('redirect_uri_invalid', 'redirect_uri is not an absolute URL');
  }
  if (callback.protocol !== 'http:' && callback.protocol !== 'https:') {
    return fail('redirect_uri_invalid', 'redirect_uri must be http or https');
  }
  if (!isAllowedCallback(app, callback)) {
    // §2: "redirect_uri 参数错误", commonly seen as code 10003 on Official Accounts.
    return fail('redirect_uri_mismatch', 'redirect_uri 参数错误: host is not a registered callback domain', flow === 'oauth2' ? 10003 : undefined);
  }

  const jssdk = flow === 'qrconnect' && get('login_type') === 'jssdk';
  const responseType = get('response_type');
  // wxLogin.js omits response_type (§1.1), so only the full-page links must carry it.
  if (jssdk ? responseType !== undefined && responseType !== 'code' : responseType !== 'code') {
    return fail('response_type_invalid', 'response_type must be "code"');
  }

  const scope = get('scope');
  if (!scope) return fail('scope_missing', 'scope is missing');
  const scopes = scope.split(',').map((s) => s.trim());
  if (scopes.some((s) => !SCOPES[app.kind].includes(s))) {
    return fail('scope_invalid', `scope must be ${SCOPES[app.kind].join(' or ')} for this app`);
  }

  const state = params.has('state') ? (params.get('state') ?? '') : undefined;
  if (flow === 'oauth2') {
    if (state !== undefined && !OA_STATE.test(state)) {
      return fail('state_invalid', 'state must be [a-zA-Z0-9], at most 128 bytes');
    }
    if (context.knobs.get().enforceParamOrder && !inOrder([...params.keys()], OA_PARAM_ORDER)) {
      return fail('param_order', 'parameters must be in the order appid, redirect_uri, response_type, scope, state');
    }
  }

  const style = get('style') === 'white' ? 'white' : 'black';
  const href = get('href');
  const stylelite = get('stylelite') === '1';
  const safeHref = href && !stylelite && (href.startsWith('https://') || href.startsWith('data:text/css')) ? href : undefined;

  return {
    ok: true,
    request: {
      flow,
      app,
      redirectUri,
      state,
      scope: scopes.join(','),
      jssdk,
      selfRedirect: jssdk && get('self_redirect') === 'true',
      style,
      href: safeHref,
    },
  };
}

/** Whether the known keys appear in `order`'s relative order (unknown keys may be anywhere). */
function inOrder(keys: string[], order: readonly string[]): boolean {
  const positions = keys.map((key) => order.indexOf(key)).filter((index) => index >= 0);
  return positions.every((position, i) => i === 0 || position > (positions[i - 1] ?? -1));
}
