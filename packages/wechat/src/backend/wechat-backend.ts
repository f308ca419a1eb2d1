/**
 * WechatBackend: logs users in with a WeChat authorization code (the `WechatBackend` of a Django
 * WeChat login, keyed safely on unionid / appid+openid). Users are loaded and their permissions
 * read from the user table like ModelBackend's (UserTableBackend).
 *
 * `authenticate(auth, request, { wechatCode, appid? })`:
 * 1. exchanges the code (once: codes are single-use and never retried) — for a Mini Program
 *    app through `jscode2session` (a `wx.login()` code), whose session_key is handed to the
 *    login flow through a per-request note (mini-program/session-note.ts), never stored here;
 * 2. refuses snapshot-mode users (`is_snapshotuser: 1`: WeChat's virtual stand-in accounts for
 *    an Official Account page opened in snapshot mode): records the reason and throws
 *    PermissionDenied, which stops the backend chain; nothing is stored;
 * 3. reads `/sns/userinfo` when the granted scope allows it (snsapi_login / snsapi_userinfo);
 * 4. resolves the identity (appid + openid, then the person's unionid; see resolveWechatUser),
 *    recording this app's openid, back-filling the unionid and refreshing nickname and avatar
 *    — or links it to the user of an explicit binding (`bindWechatLoginTo(request, user)`;
 *    never to whoever is logged in), or creates a user (not when the flow asked for existing
 *    users only: refusal `unknown_identity`);
 * 5. refuses inactive users (null, reason recorded).
 *
 * Refusal reasons are readable with `wechatRefusalOf(request)`, the matched profile with
 * `wechatProfileIdOf(request)`. A failure of WeChat itself (bad code, errcode, timeout) is
 * thrown as WechatApiError: it is not a wrong credential but an outage or a login to restart,
 * and the caller reports it as such. Neither errors nor events
 * ever hold the code, tokens or AppSecret.
 */
import { ImproperlyConfigured, PermissionDenied, type AbstractUser, type Auth, type AuthRequest } from '@koa-auth/core';
import { UserTableBackend } from '@koa-auth/core/internal';
import type { WechatApp } from './wechat-apps.js';
import { noteMiniProgramSession } from '../mini-program/session-note.js';
import { recordProfile, recordRefusal, wechatLoginIntent } from './wechat-login-context.js';
import { resolveWechatUser } from './resolve-user.js';
import { WechatApps, type WechatAppsOptions } from './wechat-apps.js';
import { isWechatCredentials, type WechatCredentials } from './wechat-credentials.js';
import { scopeAllowsUserInfo, type WechatIdentity } from './wechat-identity.js';

export type WechatBackendOptions = WechatAppsOptions;

/**
 * Logs users in with a WeChat authorization code (`{ wechatCode, appid? }`), keyed on appid +
 * openid and the person's unionid; users and permissions come from the user table. Codes are
 * exchanged once, never retried. Refusals are recorded for `wechatRefusalOf(request)`; WeChat's
 * own failures throw WechatApiError. Never logs or reports the code, tokens or AppSecret.
 */
export class WechatBackend<U extends AbstractUser = AbstractUser> extends UserTableBackend<WechatCredentials, U> {
  readonly name: string = 'WechatBackend';
  #apps: WechatApps | undefined;

  /**
   * With options the backend is ready. Without, it waits for `configure()` (which
   * `createWechat` calls), so it can be handed to `createAuth` before the WeChat set-up exists.
   */
  constructor(options?: WechatBackendOptions) {
    super();
    if (options) this.#apps = new WechatApps(options);
  }

  /** Configure the apps once. Throws ImproperlyConfigured when already configured. */
  configure(options: WechatBackendOptions): void {
    if (this.#apps) throw new ImproperlyConfigured('WechatBackend is already configured: give the apps in one place only.');
    this.#apps = new WechatApps(options);
  }

  /** True once apps were given (constructor or `configure()`). */
  get isConfigured(): boolean {
    return this.#apps !== undefined;
  }

  /** The configured apps and their clients. Throws ImproperlyConfigured before `configure()`. */
  get apps(): WechatApps {
    if (!this.#apps) throw new ImproperlyConfigured('WechatBackend has no apps: pass them to its constructor or to createWechat.');
    return this.#apps;
  }

  /** True for `{ wechatCode, appid? }` (see isWechatCredentials). */
  accepts(credentials: unknown): credentials is WechatCredentials {
    return isWechatCredentials(credentials);
  }

  /**
   * Exchanges the code (once), reads the profile when the scope allows, and returns the user
   * the identity resolves to (found, bound by `bindWechatLoginTo`, or created unless the flow
   * asked for existing users only). Null, with the reason recorded, for an unknown appid, an
   * unknown identity that may not be created, or an inactive user. Throws PermissionDenied for
   * snapshot-mode users (nothing stored), WechatApiError when WeChat fails (bad code, timeout),
   * ImproperlyConfigured before `configure()`.
   */
  async authenticate(auth: Auth<U>, request: AuthRequest | null, credentials: WechatCredentials): Promise<U | null> {
    const app = this.apps.resolve(credentials.appid);
    if (!app) {
      recordRefusal(request, 'unknown_app');
      return null;
    }
    const exchanged =
      app.kind === 'miniprogram'
        ? await this.#miniProgramIdentity(app, credentials.wechatCode)
        : await this.#oauthIdentity(app, request, credentials.wechatCode);
    const identity = exchanged.identity;
    const intent = wechatLoginIntent(request);
    const resolved = await resolveWechatUser(auth, identity, { bindTo: intent.bindTo as U | null, createUser: !intent.existingOnly });
    if (!resolved) {
      recordRefusal(request, 'unknown_identity');
      return null;
    }
    const { user, profile } = resolved;
    recordProfile(request, profile.id);
    if (!this.userCanAuthenticate(user)) {
      recordRefusal(request, 'inactive_user');
      return null;
    }
    if (exchanged.sessionKey !== undefined) {
      noteMiniProgramSession(request, { appid: app.appid, openid: identity.openid, sessionKey: exchanged.sessionKey, created: resolved.created });
    }
    return user;
  }

  /** Website / OA: the OAuth code exchange, then `/sns/userinfo` when the scope allows it. */
  async #oauthIdentity(app: WechatApp, request: AuthRequest | null, code: string): Promise<{ identity: WechatIdentity; sessionKey?: undefined }> {
    const client = this.apps.client(app.appid);
    const token = await client.exchangeCode(code);
    if (token.is_snapshotuser === 1) {
      recordRefusal(request, 'snapshot_user');
      throw new PermissionDenied('WeChat snapshot-mode users cannot log in.');
    }
    const info = scopeAllowsUserInfo(token.scope) ? await client.userInfo(token.access_token, token.openid) : null;
    return { identity: { appid: app.appid, openid: token.openid, unionid: info?.unionid ?? token.unionid ?? null, info } };
  }

  /** Mini Program: `jscode2session` (no profile: Mini Programs have no userinfo API). */
  async #miniProgramIdentity(app: WechatApp, code: string): Promise<{ identity: WechatIdentity; sessionKey: string }> {
    const session = await this.apps.miniProgramClient(app.appid).code2Session(code);
    return { identity: { appid: app.appid, openid: session.openid, unionid: session.unionid ?? null, info: null }, sessionKey: session.session_key };
  }
}
