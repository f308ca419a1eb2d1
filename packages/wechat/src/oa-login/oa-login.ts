/**
 * Official Account web authorization (公众号网页授权, §2): login inside WeChat's in-app browser.
 *
 * - `start(ctx)` (GET `…/oa/start?scope=snsapi_base|snsapi_userinfo&next=/path`): a fresh state
 *   (32 × `[A-Za-z0-9]`, WeChat's limit for this endpoint) and the `next` path are kept in the
 *   server-side session — never in the redirect URI — and the browser is sent to WeChat.
 * - `callback(ctx)` (GET `…/oa/callback?code=…&state=…`): the state must equal the session's
 *   (constant-time), be unexpired and unused BEFORE the code is exchanged. It is single-use:
 *   the first callback claims it in the store (set-if-absent) and removes it from the session.
 *   WeChat's duplicate callbacks (same state, another code) exchange nothing: they are sent
 *   where the first one went. Then the code is authenticated, the user logged in, and the
 *   browser redirected to `next` — a same-origin path only.
 *
 * The browser's logged-in user, if any, is passed to the backend, which links a WeChat account
 * seen for the first time to that user (seed 000's binding).
 */
import { constantTimeEqual, ImproperlyConfigured, randomString, type AbstractUser, type Auth, type KeyValueStore } from '@koa-auth/core';
import { authRequestOf, login, safeRedirectPath } from '@koa-auth/koa';
import type { Context } from 'koa';
import { wechatRefusalOf } from '../backend/login-notes.js';
import type { WechatBackend } from '../backend/wechat-backend.js';
import type { OfficialAccountScope } from '../client/index.js';
import { WechatApiError } from '../errors.js';
import { renderResultPage, type ResultPage } from '../routes/result-page.js';

export interface OaLoginOptions<U extends AbstractUser> {
  auth: Auth<U>;
  backend: WechatBackend<U>;
  /** Absolute URL of the OA callback route; its host must be a 网页授权域名 of the account. */
  callbackUrl: string;
  /** The Official Account to use. Default: the first configured app of kind `oa`. */
  appid?: string;
  /** Where to go after login when `next` is absent or unsafe. Default `/`. */
  defaultNext?: string;
  /** How long the authorization may take. Default 600 s. */
  stateTtlSeconds?: number;
  /** For the duplicate-callback claim. Default `auth.store`. */
  store?: KeyValueStore;
  /** Default `wechat:oa:`. */
  keyPrefix?: string;
}

/** Session key of the pending authorization. */
export const OA_SESSION_KEY = 'wechatOa';
const SCOPES: readonly OfficialAccountScope[] = ['snsapi_base', 'snsapi_userinfo'];
const STATE = /^[A-Za-z0-9]{32}$/;

interface PendingAuthorization {
  state: string;
  next: string;
  expiresAt: number;
}

export class OaLogin<U extends AbstractUser = AbstractUser> {
  readonly callbackUrl: string;
  readonly appid: string;
  readonly #auth: Auth<U>;
  readonly #backend: WechatBackend<U>;
  readonly #defaultNext: string;
  readonly #ttlMs: number;
  readonly #store: KeyValueStore;
  readonly #prefix: string;

  constructor(options: OaLoginOptions<U>) {
    const app = options.backend.apps.ofKind('oa', options.appid);
    if (!app) throw new ImproperlyConfigured(`WeChat OA login needs an app of kind 'oa'${options.appid ? ` with appid ${options.appid}` : ''}.`);
    if (!/^https?:\/\//.test(options.callbackUrl)) throw new ImproperlyConfigured('WeChat OA login: callbackUrl must be an absolute http(s) URL.');
    this.callbackUrl = options.callbackUrl;
    this.appid = app.appid;
    this.#auth = options.auth;
    this.#backend = options.backend;
    this.#defaultNext = safeRedirectPath(options.defaultNext, '/');
    this.#ttlMs = (options.stateTtlSeconds ?? 600) * 1000;
    this.#store = options.store ?? options.auth.store;
    this.#prefix = options.keyPrefix ?? 'wechat:oa:';
  }

  /** Redirects to WeChat's consent page; 400 page for an unknown scope. */
  async start(ctx: Context): Promise<void> {
    const session = sessionOf(ctx);
    const scope = typeof ctx.query.scope === 'string' ? ctx.query.scope : 'snsapi_userinfo';
    if (!isScope(scope)) return page(ctx, 400, { title: 'Invalid request', message: 'Unknown authorization scope.' });
    const pending: PendingAuthorization = {
      state: randomString(32),
      next: safeRedirectPath(ctx.query.next, this.#defaultNext),
      expiresAt: Date.now() + this.#ttlMs,
    };
    session[OA_SESSION_KEY] = pending;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(this.#backend.apps.client(this.appid).authorizeUrl({ redirectUri: this.callbackUrl, state: pending.state, scope }));
  }

  /** Checks the state, logs in and redirects to `next`; an HTML page explains any failure. */
  async callback(ctx: Context): Promise<void> {
    const session = sessionOf(ctx);
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    ctx.set('Cache-Control', 'no-store');
    if (!STATE.test(state)) return page(ctx, 400, EXPIRED_PAGE);
    const pending = session[OA_SESSION_KEY] as PendingAuthorization | undefined;
    const claimKey = `${this.#prefix}claim:${state}`;
    if (!isPendingState(pending, state)) {
      // WeChat's duplicate callback after the first one logged in (and so replaced the session):
      // nothing is exchanged, the browser just goes where the first one went.
      const claimed = await this.#store.get(claimKey);
      if (claimed === null) return page(ctx, 400, EXPIRED_PAGE);
      ctx.redirect(safeRedirectPath((JSON.parse(claimed) as { next?: unknown }).next, this.#defaultNext));
      return;
    }
    // Concurrent duplicates carry the same session and state: only the first one may exchange.
    if (!(await this.#store.setIfAbsent(claimKey, JSON.stringify({ next: pending.next }), this.#ttlMs))) {
      ctx.redirect(pending.next);
      return;
    }
    delete session[OA_SESSION_KEY];
    if (!code) return page(ctx, 403, { title: 'Login cancelled', message: 'The WeChat login was cancelled.' });

    const request = authRequestOf(ctx);
    let user: U | null;
    try {
      user = await this.#auth.authenticate(request, { wechatCode: code, appid: this.appid });
    } catch (error) {
      if (!(error instanceof WechatApiError)) throw error;
      return page(ctx, 502, { title: 'WeChat login failed', message: 'WeChat could not confirm the login. Please try again.' });
    }
    if (!user) {
      const refusal = wechatRefusalOf(request);
      return page(ctx, 403, { title: 'Login refused', message: refusal?.message ?? 'WeChat login was refused for this account.' });
    }
    await login(ctx, user, this.#backend.name);
    ctx.redirect(pending.next);
  }
}

const EXPIRED_PAGE: ResultPage = { title: 'Login link expired', message: 'This login link is invalid or has expired. Please start again.' };

/** The session's pending authorization is for `state` and still valid (constant-time compare). */
function isPendingState(pending: PendingAuthorization | undefined, state: string): pending is PendingAuthorization {
  return (
    typeof pending === 'object' &&
    pending !== null &&
    typeof pending.state === 'string' &&
    constantTimeEqual(state, pending.state) &&
    typeof pending.expiresAt === 'number' &&
    Date.now() < pending.expiresAt
  );
}

function isScope(value: string): value is OfficialAccountScope {
  return (SCOPES as readonly string[]).includes(value);
}

function page(ctx: Context, status: number, content: ResultPage): void {
  ctx.status = status;
  renderResultPage(ctx, content);
}

function sessionOf(ctx: Context): Record<string, unknown> {
  const session = (ctx as unknown as { session?: Record<string, unknown> | null }).session;
  if (!session) throw new ImproperlyConfigured('WeChat OA login needs the session middleware.');
  return session;
}
