/**
 * Server-side client of WeChat's OAuth 2.0 API (website QR login and Official Account web
 * authorization): the code exchange (`/sns/oauth2/access_token`), `/sns/oauth2/refresh_token`,
 * `/sns/auth` and `/sns/userinfo`. WeChat answers errors with HTTP 200 and `{ errcode, errmsg }`,
 * sometimes labelled `text/plain` or `encoding=utf-8`, so bodies are read as UTF-8 JSON whatever
 * the Content-Type says.
 *
 * Guarantees:
 * - Every failure is a `WechatApiError`; `errcode` ≠ 0 answers keep WeChat's errcode/errmsg.
 * - The AppSecret, codes and access/refresh tokens never appear in an error's message, errmsg,
 *   cause or stack (errors name the endpoint path, never the query string). The secret is held
 *   in a private field, so logging the client does not print it either.
 * - Retries (with exponential back-off) happen on errcode -1 only. `exchangeCode` is never
 *   retried, not even on -1: a code is single-use, WeChat may have consumed it before answering
 *   -1, and re-sending it would turn a transient error into a confusing 40163. The caller
 *   restarts the login instead.
 * - Timeouts apply per attempt (`AbortSignal.timeout`) and are not retried, for the same reason.
 */
import { WechatApiError } from '../errors.js';
import { callApi, type FetchLike } from './http.js';
import { parseAnswer } from './parse-answer.js';
import { accessTokenSchema, checkTokenSchema, userInfoSchema, type WechatAccessToken, type WechatUserInfo } from './schemas.js';
import { buildAuthorizeUrl, OA_STATE_PATTERN, type OfficialAccountScope, type WebsiteScope } from './urls.js';
import { DEFAULT_RETRY_DELAY_MS, DEFAULT_TIMEOUT_MS, WECHAT_API_BASE_URL, WECHAT_OPEN_BASE_URL } from './api-defaults.js';

export interface WechatClientOptions {
  appid: string;
  secret: string;
  /** Base of the `/sns/*` API; point it at the emulator in tests. */
  apiBaseUrl?: string;
  /** Base of the browser-facing `/connect/*` pages. */
  openBaseUrl?: string;
  /** Per-attempt timeout. Default 5000. */
  timeoutMs?: number;
  /** Extra attempts after errcode -1 (not used by `exchangeCode`). Default 2. */
  retries?: number;
  /** First back-off delay; doubles per retry. Default 200. */
  retryDelayMs?: number;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
}

export interface QrConnectUrlOptions {
  /** Absolute callback URL; its host must be the app's registered callback domain. */
  redirectUri: string;
  /** Opaque CSRF value bound to the browser session; echoed back unchanged. */
  state: string;
  scope?: WebsiteScope;
  /** Language of WeChat's QR page. */
  lang?: 'cn' | 'en';
}

export interface AuthorizeUrlOptions {
  redirectUri: string;
  /** Only `[a-zA-Z0-9]`, at most 128 characters (WeChat's limit for this endpoint). */
  state: string;
  scope: OfficialAccountScope;
  /** Ask WeChat to show the consent dialog even where it could stay silent. */
  forcePopup?: boolean;
}

/** Language of the region fields in `/sns/userinfo`. */
export type WechatLang = 'zh_CN' | 'zh_TW' | 'en';

/** errcodes of `/sns/auth` meaning "this token is not usable for this openid". */
const TOKEN_REJECTED = new Set([40001, 40003, 40014, 42001, 42007]);

/**
 * WeChat's OAuth 2.0 API for one app (`appid` + AppSecret; TypeError when either is missing).
 * Every failure is a WechatApiError that never holds the AppSecret, a code or a token (the secret
 * sits in a private field, so logging the client prints none either). errcode -1 is retried
 * with back-off, except by `exchangeCode`: codes are single-use. Timeouts are per attempt.
 */
export class WechatClient {
  readonly appid: string;
  readonly apiBaseUrl: string;
  readonly openBaseUrl: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly #secret: string;
  readonly #fetch: FetchLike;

  constructor(options: WechatClientOptions) {
    if (!options.appid) throw new TypeError('WechatClient: appid is required');
    if (!options.secret) throw new TypeError('WechatClient: secret is required');
    this.appid = options.appid;
    this.#secret = options.secret;
    this.apiBaseUrl = options.apiBaseUrl ?? WECHAT_API_BASE_URL;
    this.openBaseUrl = options.openBaseUrl ?? WECHAT_OPEN_BASE_URL;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Website QR login page URL (`/connect/qrconnect`), ending in `#wechat_redirect`. */
  qrConnectUrl(options: QrConnectUrlOptions): string {
    return buildAuthorizeUrl({
      openBaseUrl: this.openBaseUrl,
      path: '/connect/qrconnect',
      appid: this.appid,
      redirectUri: options.redirectUri,
      scope: options.scope ?? 'snsapi_login',
      state: options.state,
      extra: options.lang ? [['lang', options.lang]] : [],
    });
  }

  /**
   * Official Account web authorization URL (`/connect/oauth2/authorize`), parameters in
   * WeChat's required order, ending in `#wechat_redirect`.
   * @throws RangeError when `state` is outside `[a-zA-Z0-9]{0,128}`.
   */
  authorizeUrl(options: AuthorizeUrlOptions): string {
    if (!OA_STATE_PATTERN.test(options.state)) {
      throw new RangeError('WechatClient.authorizeUrl: state must match [a-zA-Z0-9]{0,128}');
    }
    return buildAuthorizeUrl({
      openBaseUrl: this.openBaseUrl,
      path: '/connect/oauth2/authorize',
      appid: this.appid,
      redirectUri: options.redirectUri,
      scope: options.scope,
      state: options.state,
      extra: options.forcePopup ? [['forcePopup', 'true']] : [],
    });
  }

  /** Redeems an authorization code. Sent exactly once: never retried (see the class doc). */
  async exchangeCode(code: string): Promise<WechatAccessToken> {
    const path = '/sns/oauth2/access_token';
    const body = await this.#call(
      path,
      [
        ['appid', this.appid],
        ['secret', this.#secret],
        ['code', code],
        ['grant_type', 'authorization_code'],
      ],
      [code],
      0,
    );
    return parseAnswer(accessTokenSchema, body, path);
  }

  /**
   * Gets a usable access token from a refresh token: a fresh one if the old one expired, else
   * the same one with its lifetime extended. The refresh token itself lives 30 days, unrenewable.
   */
  async refreshToken(refreshToken: string): Promise<WechatAccessToken> {
    const path = '/sns/oauth2/refresh_token';
    const body = await this.#call(
      path,
      [
        ['appid', this.appid],
        ['grant_type', 'refresh_token'],
        ['refresh_token', refreshToken],
      ],
      [refreshToken],
    );
    return parseAnswer(accessTokenSchema, body, path);
  }

  /**
   * Whether `accessToken` is valid for `openid`. Resolves `false` when WeChat rejects the token
   * (errcode 40001, 40003, 40014, 42001, 42007); throws `WechatApiError` on anything else.
   */
  async checkToken(accessToken: string, openid: string): Promise<boolean> {
    const path = '/sns/auth';
    try {
      const body = await this.#call(
        path,
        [
          ['access_token', accessToken],
          ['openid', openid],
        ],
        [accessToken],
      );
      parseAnswer(checkTokenSchema, body, path);
      return true;
    } catch (error) {
      if (error instanceof WechatApiError && error.errcode !== null && TOKEN_REJECTED.has(error.errcode)) {
        return false;
      }
      throw error;
    }
  }

  /** The user's profile. Needs a `snsapi_userinfo` or `snsapi_login` token (else errcode 48001). */
  async userInfo(accessToken: string, openid: string, lang?: WechatLang): Promise<WechatUserInfo> {
    const path = '/sns/userinfo';
    const params: Array<readonly [string, string]> = [
      ['access_token', accessToken],
      ['openid', openid],
    ];
    if (lang) params.push(['lang', lang]);
    const body = await this.#call(path, params, [accessToken]);
    return parseAnswer(userInfoSchema, body, path);
  }

  #call(
    path: string,
    params: ReadonlyArray<readonly [string, string]>,
    sensitive: readonly string[],
    retries = this.retries,
  ): Promise<Record<string, unknown>> {
    return callApi({
      fetch: this.#fetch,
      baseUrl: this.apiBaseUrl,
      path,
      params,
      timeoutMs: this.timeoutMs,
      retries,
      retryDelayMs: this.retryDelayMs,
      sensitive: [this.#secret, ...sensitive],
    });
  }
}
