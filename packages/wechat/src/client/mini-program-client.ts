/**
 * Server-side client of one Mini Program's API: `jscode2session` (the `wx.login()` code
 * exchange), `stable_token` (the app access token) and `getuserphonenumber` (the phone-number
 * button's code). Same guarantees as WechatClient: every failure is a WechatApiError, and the
 * AppSecret, codes and tokens never appear in one (nor does the `session_key` of an answer:
 * bodies are never quoted). An errcode -1 ("system busy") is retried once; nothing else is.
 */
import { callApi, type FetchLike } from './http.js';
import { code2SessionSchema, phoneInfoSchema, stableTokenSchema, type Code2Session, type StableToken, type WechatPhoneInfo } from './mini-program-schemas.js';
import { parseAnswer } from './parse-answer.js';
import { DEFAULT_RETRY_DELAY_MS, DEFAULT_TIMEOUT_MS, WECHAT_API_BASE_URL } from './api-defaults.js';

/** Settings of a MiniProgramClient (the `openBaseUrl` of WechatClientOptions is not used). */
export interface MiniProgramClientOptions {
  appid: string;
  secret: string;
  /** Base of `api.weixin.qq.com`; point it at the emulator in tests. */
  apiBaseUrl?: string;
  /** Per-attempt timeout. Default 5000. */
  timeoutMs?: number;
  /** Delay before the one retry after errcode -1. Default 200. */
  retryDelayMs?: number;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
}

/** WeChat's "system busy" answer is retried this many times, and no other. */
const BUSY_RETRIES = 1;

/**
 * The server-side calls of one Mini Program app: `jscode2session` (login code → openid, unionid
 * and session_key), `stable_token` (the app access token) and `getuserphonenumber`. Answers
 * with `errcode` become typed errors (see miniProgramErrorOf) that never hold the AppSecret,
 * the code or the session_key; WeChat's "system busy" (-1) is retried once, nothing else.
 */
export class MiniProgramClient {
  readonly appid: string;
  readonly apiBaseUrl: string;
  readonly timeoutMs: number;
  readonly retryDelayMs: number;
  readonly #secret: string;
  readonly #fetch: FetchLike;

  /** Throws TypeError without an appid or secret. */
  constructor(options: MiniProgramClientOptions) {
    if (!options.appid) throw new TypeError('MiniProgramClient: appid is required');
    if (!options.secret) throw new TypeError('MiniProgramClient: secret is required');
    this.appid = options.appid;
    this.#secret = options.secret;
    this.apiBaseUrl = options.apiBaseUrl ?? WECHAT_API_BASE_URL;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Exchanges a `wx.login()` code for `{ openid, session_key, unionid? }` (`/sns/jscode2session`). */
  async code2Session(jsCode: string): Promise<Code2Session> {
    const path = '/sns/jscode2session';
    const params = [
      ['appid', this.appid],
      ['secret', this.#secret],
      ['js_code', jsCode],
      ['grant_type', 'authorization_code'],
    ] as const;
    return parseAnswer(code2SessionSchema, await this.#call(path, params, undefined, [jsCode]), path);
  }

  /** The app access token (`/cgi-bin/stable_token`); `forceRefresh` invalidates the current one (20 a day, 30 s apart). */
  async stableToken(forceRefresh = false): Promise<StableToken> {
    const path = '/cgi-bin/stable_token';
    const json = { grant_type: 'client_credential', appid: this.appid, secret: this.#secret, force_refresh: forceRefresh };
    return parseAnswer(stableTokenSchema, await this.#call(path, [], json, []), path);
  }

  /**
   * The phone number behind a `getPhoneNumber` button code (`/wxa/business/getuserphonenumber`),
   * checked by WeChat against `openid` when given. The caller checks `watermark.appid`.
   */
  async phoneNumber(accessToken: string, code: string, openid?: string): Promise<WechatPhoneInfo> {
    const path = '/wxa/business/getuserphonenumber';
    const json = { code, ...(openid ? { openid } : {}) };
    const body = await this.#call(path, [['access_token', accessToken]], json, [accessToken, code]);
    return parseAnswer(phoneInfoSchema, body, path).phone_info;
  }

  #call(
    path: string,
    params: ReadonlyArray<readonly [string, string]>,
    json: Record<string, unknown> | undefined,
    sensitive: readonly string[],
  ): Promise<Record<string, unknown>> {
    return callApi({
      fetch: this.#fetch,
      baseUrl: this.apiBaseUrl,
      path,
      params,
      ...(json ? { json } : {}),
      timeoutMs: this.timeoutMs,
      retries: BUSY_RETRIES,
      retryDelayMs: this.retryDelayMs,
      sensitive: [this.#secret, ...sensitive],
    });
  }
}
