/**
 * Builders for the two browser-facing authorization URLs. Parameters are written in the order
 * WeChat documents (appid, redirect_uri, response_type, scope, state) because the Official
 * Account endpoint rejects reordered links, and `#wechat_redirect` is always appended.
 */

export type WebsiteScope = 'snsapi_login';
export type OfficialAccountScope = 'snsapi_base' | 'snsapi_userinfo';

export interface AuthorizeUrlParts {
  openBaseUrl: string;
  path: '/connect/qrconnect' | '/connect/oauth2/authorize';
  appid: string;
  redirectUri: string;
  scope: string;
  state: string;
  /** Appended after `state`, in this order. */
  extra?: ReadonlyArray<readonly [string, string]>;
}

/**
 * `<openBaseUrl><path>?appid&redirect_uri&response_type=code&scope&state[&extra]#wechat_redirect`,
 * parameters in exactly this order and URI-encoded. Validates nothing (callers check `state`).
 */
export function buildAuthorizeUrl(parts: AuthorizeUrlParts): string {
  const params: Array<readonly [string, string]> = [
    ['appid', parts.appid],
    ['redirect_uri', parts.redirectUri],
    ['response_type', 'code'],
    ['scope', parts.scope],
    ['state', parts.state],
    ...(parts.extra ?? []),
  ];
  return `${parts.openBaseUrl.replace(/\/+$/, '')}${parts.path}?${encodeQuery(params)}#wechat_redirect`;
}

/**
 * `k=v&k=v` in the given order, each part URI-encoded. Never throws: a lone UTF-16 surrogate
 * (which `encodeURIComponent` refuses with a URIError) is sent as U+FFFD, as a browser's form
 * encoding does, so odd input becomes WeChat's "invalid code" answer rather than a crash.
 */
export function encodeQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`).join('&');
}

function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Official Account pages break on a `state` outside `[a-zA-Z0-9]{0,128}`. */
export const OA_STATE_PATTERN = /^[A-Za-z0-9]{0,128}$/;
