/**
 * Official Account web authorization (公众号网页授权): login — or binding — inside WeChat's
 * in-app browser. Only an explicit action of the user on this site starts it (ASVS 5.0 7.6.2):
 *
 * - `start(ctx, { mode, next })`: for a POST that was CSRF-checked (the tRPC mutation
 *   `wechat.oaStart`, or `startFromForm`). A fresh state (32 × `[A-Za-z0-9]`, WeChat's limit for
 *   this endpoint) is stored server-side with mode, `next` (a same-site path) and, for a
 *   binding, the logged-in user; it is bound to a fresh httpOnly cookie of this browser (see
 *   flow-cookie: a planted session cannot complete it, and tabs do not clash). The scope comes
 *   from the app's configuration, never from the request. Returns WeChat's consent URL.
 * - `startPage(ctx)` (GET): starts nothing — a page whose button posts to `startFromForm`. A
 *   cross-site page sending a visitor here gets the page, not a silent login.
 * - `startFromForm(ctx)` (POST, form): checks CSRF itself, then `start` and a 303 to WeChat.
 * - `callback(ctx)` (GET `…/oa/callback?code=…&state=…`): the state must be pending, unexpired
 *   and bound to this browser's cookie BEFORE the code is exchanged. The first callback claims
 *   it (set-if-absent); WeChat's duplicate callbacks exchange nothing and go where the first
 *   one went. A login logs the user in (never linking WeChat to whoever was logged in before);
 *   a binding links only to the user who started it, still logged in. The browser then goes on
 *   to `next` by a refresh page (a redirect would keep `#wechat_redirect` in the address bar).
 */
import { ImproperlyConfigured, type AbstractUser, type Auth, type KeyValueStore } from '@koa-auth/core';
import { randomString } from '@koa-auth/core/internal';
import { authRequestOf, authStateOf, verifyCsrf } from '@koa-auth/koa/internal';
import { CsrfFailed, login, NotAuthenticated, safeRedirectPath } from '@koa-auth/koa';
import type { Context } from 'koa';
import { bindWechatLoginTo, wechatLoginExistingOnly, wechatRefusalOf } from '../backend/wechat-login-context.js';
import type { WechatBackend } from '../backend/wechat-backend.js';
import { clearFlowCookie, hasFlowCookie, issueFlowCookie } from '../browser/flow-cookie.js';
import type { OfficialAccountScope } from '../client/index.js';
import { isSpentCodeError, WechatApiError } from '../errors.js';
import { renderResultPage } from '../routes/result-page.js';
import { OA_TEXT, oaPage, startAgain, type OaPageLinks } from './oa-pages.js';
import { OaRecords, type OaMode, type OaStateRecord } from './oa-records.js';

export interface OaLoginOptions<U extends AbstractUser> {
  auth: Auth<U>;
  backend: WechatBackend<U>;
  /** Absolute URL of the OA callback route; its host must be a 网页授权域名 of the account. */
  callbackUrl: string;
  /** The Official Account to use. Default: the first configured app of kind `oa`. */
  appid?: string;
  /** Scope of every login and binding. Default `snsapi_userinfo` (consent page, profile, unionid). */
  scope?: OfficialAccountScope;
  /**
   * Use the silent `snsapi_base` for a browser that logged in through this account before.
   * It reads no unionid, so it never signs anybody up: an identity it does not know goes on to
   * `scope` at once. Default false.
   */
  baseForReturningUsers?: boolean;
  /** Where to go after login when `next` is absent or unsafe. Default `/`. */
  defaultNext?: string;
  /** Path of the start route (the pages' buttons post there). Default `/auth/wechat/oa/start`. */
  startPath?: string;
  /** The pages' link home. Default `/`. */
  homeUrl?: string;
  /** How long the authorization may take. Default 600 s. */
  stateTtlSeconds?: number;
  /** Default `auth.store`. Must be shared by every instance (Redis) when there are several. */
  store?: KeyValueStore;
  /** Default `wechat:oa:`. */
  keyPrefix?: string;
}

export interface OaStartInput {
  /** Default `login`. `bind` needs a logged-in user. */
  mode?: OaMode;
  /** Where to go afterwards: a same-site path (anything else becomes the default). */
  next?: unknown;
}

export interface OaStartResult {
  /** WeChat's consent page for this flow: navigate the in-app browser there. */
  url: string;
  /** ISO 8601. */
  expiresAt: string;
}

/** Name prefix of the per-flow cookies. */
export const OA_COOKIE_PREFIX = 'wxoa_';
/** Marks a browser that logged in through the Official Account (for `baseForReturningUsers`). */
export const OA_RETURNING_COOKIE = 'wechat_oa_returning';
const RETURNING_MAX_AGE_MS = 365 * 24 * 3600 * 1000;
const MAX_PENDING = 5;

/**
 * Official Account web authorization (login or binding inside WeChat's browser), started only by
 * a CSRF-checked POST of this site. The state is single-use, stored server-side and bound to an
 * httpOnly cookie of the starting browser, and is checked before the code is exchanged; the
 * scope comes from configuration only. Throws ImproperlyConfigured when the backend has no `oa`
 * app (`appid`), `callbackUrl` is not absolute http(s), or `scope` is not an OA scope.
 */
export class OaLogin<U extends AbstractUser = AbstractUser> {
  readonly callbackUrl: string;
  readonly appid: string;
  readonly startPath: string;
  readonly #auth: Auth<U>;
  readonly #backend: WechatBackend<U>;
  readonly #scope: OfficialAccountScope;
  readonly #baseForReturning: boolean;
  readonly #defaultNext: string;
  readonly #links: OaPageLinks;
  readonly #ttlMs: number;
  readonly #records: OaRecords;

  constructor(options: OaLoginOptions<U>) {
    const app = options.backend.apps.ofKind('oa', options.appid);
    if (!app) throw new ImproperlyConfigured(`WeChat OA login needs an app of kind 'oa'${options.appid ? ` with appid ${options.appid}` : ''}.`);
    if (!/^https?:\/\//.test(options.callbackUrl)) throw new ImproperlyConfigured('WeChat OA login: callbackUrl must be an absolute http(s) URL.');
    const scope = options.scope ?? 'snsapi_userinfo';
    if (scope !== 'snsapi_userinfo' && scope !== 'snsapi_base')
      throw new ImproperlyConfigured('WeChat OA login: scope must be snsapi_userinfo or snsapi_base.');
    this.callbackUrl = options.callbackUrl;
    this.appid = app.appid;
    this.startPath = options.startPath ?? '/auth/wechat/oa/start';
    this.#auth = options.auth;
    this.#backend = options.backend;
    this.#scope = scope;
    this.#baseForReturning = options.baseForReturningUsers === true && scope === 'snsapi_userinfo';
    this.#defaultNext = safeRedirectPath(options.defaultNext, '/');
    this.#links = { startPath: this.startPath, homeUrl: options.homeUrl ?? '/' };
    this.#ttlMs = (options.stateTtlSeconds ?? 600) * 1000;
    this.#records = new OaRecords(options.store ?? options.auth.store, options.keyPrefix ?? 'wechat:oa:');
  }

  /**
   * Start a login (or binding) for a request the caller has CSRF-checked (a POST). Throws
   * NotAuthenticated for a binding without a logged-in user. Sets the flow's cookie.
   */
  async start(ctx: Context, input: OaStartInput = {}): Promise<OaStartResult> {
    const mode: OaMode = input.mode === 'bind' ? 'bind' : 'login';
    let userId: number | null = null;
    if (mode === 'bind') {
      const user = await authStateOf<U>(ctx).getUser();
      if (!user.isAuthenticated) throw new NotAuthenticated();
      userId = user.id;
    }
    const returning = this.#baseForReturning && mode === 'login' && ctx.cookies.get(OA_RETURNING_COOKIE) === '1';
    return this.#begin(ctx, { mode, userId, next: safeRedirectPath(input.next, this.#defaultNext), scope: returning ? 'snsapi_base' : this.#scope });
  }

  /** GET on the start route: a page whose button posts the start (nothing starts on a GET). */
  async startPage(ctx: Context): Promise<void> {
    const mode: OaMode = ctx.query.mode === 'bind' ? 'bind' : 'login';
    const next = safeRedirectPath(ctx.query.next, this.#defaultNext);
    ctx.status = 200;
    renderResultPage(ctx, {
      title: mode === 'bind' ? 'Link WeChat' : 'Log in with WeChat',
      message: mode === 'bind' ? 'Link your WeChat account to the account you are logged in to.' : 'Continue with your WeChat account.',
      startAgain: startAgain(this.#links, mode, next, mode === 'bind' ? 'Link WeChat' : 'Log in with WeChat'),
      homeUrl: this.#links.homeUrl,
    });
  }

  /** POST on the start route (a form of this site): CSRF check, then a 303 to WeChat's consent page. */
  async startFromForm(ctx: Context): Promise<void> {
    const mode: OaMode = ctx.query.mode === 'bind' ? 'bind' : 'login';
    const next = safeRedirectPath(ctx.query.next, this.#defaultNext);
    try {
      verifyCsrf(ctx);
      const { url } = await this.start(ctx, { mode, next });
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 303;
      ctx.redirect(url);
    } catch (error) {
      if (error instanceof CsrfFailed) return oaPage(ctx, 403, { ...OA_TEXT.forbidden, homeUrl: this.#links.homeUrl });
      if (error instanceof NotAuthenticated) return oaPage(ctx, 401, { ...OA_TEXT.loginNeeded, homeUrl: this.#links.homeUrl });
      throw error;
    }
  }

  /** WeChat's redirect back: checks the state and browser, then logs in or binds (see the module comment). */
  async callback(ctx: Context): Promise<void> {
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    ctx.set('Cache-Control', 'no-store');
    const home = { homeUrl: this.#links.homeUrl };
    const claimed = await this.#records.claimOf(state);
    if (claimed) {
      // WeChat's duplicate callback: nothing is exchanged, the browser goes where the first went.
      return oaPage(ctx, 200, { title: 'Continuing', message: 'Taking you back…', continueTo: safeRedirectPath(claimed.next, this.#defaultNext) });
    }
    const record = await this.#records.load(state);
    if (!record || Date.now() >= record.expiresAt || !hasFlowCookie(ctx, state, record.browser, OA_COOKIE_PREFIX)) {
      return oaPage(ctx, 400, { ...OA_TEXT.expired, startAgain: startAgain(this.#links, record?.mode ?? 'login', record?.next ?? this.#defaultNext), ...home });
    }
    const again = { startAgain: startAgain(this.#links, record.mode, record.next), ...home };
    if (!(await this.#records.claim(state, { mode: record.mode, next: record.next }, this.#ttlMs))) {
      return oaPage(ctx, 200, { title: 'Continuing', message: 'Taking you back…', continueTo: record.next });
    }
    await this.#records.forget(state);
    clearFlowCookie(ctx, state, OA_COOKIE_PREFIX);
    if (!code) return oaPage(ctx, 403, { ...OA_TEXT.cancelled, ...again });

    const request = authRequestOf(ctx);
    let bindUser: U | null = null;
    if (record.mode === 'bind') {
      const current = await authStateOf<U>(ctx).getUser();
      if (!current.isAuthenticated || current.id !== record.userId) return oaPage(ctx, 403, { ...OA_TEXT.otherUser, ...home });
      bindUser = current;
      bindWechatLoginTo(request, current);
    } else if (record.scope === 'snsapi_base' && this.#scope !== 'snsapi_base') {
      // A silent login for a returning browser never signs up: it reads no unionid.
      wechatLoginExistingOnly(request);
    }

    let user: U | null;
    try {
      user = await this.#auth.authenticate(request, { wechatCode: code, appid: this.appid });
    } catch (error) {
      if (!(error instanceof WechatApiError)) throw error;
      if (isSpentCodeError(error)) return oaPage(ctx, 400, { ...OA_TEXT.expired, ...again });
      return oaPage(ctx, 502, { ...OA_TEXT.failed, ...again });
    }
    if (!user) {
      const refusal = wechatRefusalOf(request);
      if (refusal?.code === 'unknown_identity') {
        // Not known after all (another WeChat user on this phone, an unlinked account): ask for the full scope.
        const { url } = await this.#begin(ctx, { mode: record.mode, userId: record.userId, next: record.next, scope: this.#scope });
        ctx.redirect(url);
        return;
      }
      return oaPage(ctx, 403, { title: OA_TEXT.refused.title, message: refusal?.message ?? OA_TEXT.refused.message, ...again });
    }
    if (bindUser) {
      if (user.id !== bindUser.id) return oaPage(ctx, 409, { ...OA_TEXT.alreadyBound, ...home });
      this.#markReturning(ctx);
      return oaPage(ctx, 200, { title: 'WeChat account linked', message: 'Taking you back…', continueTo: record.next });
    }
    await login(ctx, user, this.#backend.name);
    this.#markReturning(ctx);
    oaPage(ctx, 200, { title: 'Logged in with WeChat', message: 'Taking you back…', continueTo: record.next });
  }

  async #begin(ctx: Context, flow: Pick<OaStateRecord, 'mode' | 'userId' | 'next' | 'scope'>): Promise<OaStartResult> {
    const state = randomString(32);
    const browser = issueFlowCookie(ctx, state, { prefix: OA_COOKIE_PREFIX, maxAgeMs: this.#ttlMs, maxPending: MAX_PENDING });
    const record: OaStateRecord = { v: 1, ...flow, browser, expiresAt: Date.now() + this.#ttlMs };
    await this.#records.save(state, record, this.#ttlMs);
    const url = this.#backend.apps.client(this.appid).authorizeUrl({ redirectUri: this.callbackUrl, state, scope: flow.scope });
    return { url, expiresAt: new Date(record.expiresAt).toISOString() };
  }

  #markReturning(ctx: Context): void {
    if (!this.#baseForReturning) return;
    ctx.cookies.set(OA_RETURNING_COOKIE, '1', {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
      signed: false,
      overwrite: true,
      path: '/',
      maxAge: RETURNING_MAX_AGE_MS,
    });
  }
}
