/**
 * WechatBackend: logs users in with a WeChat authorization code (the `WechatBackend` of a Django
 * WeChat login, keyed safely on unionid / appid+openid). Users are loaded and their permissions
 * read from the user table like ModelBackend's (UserTableBackend).
 *
 * `authenticate(auth, request, { wechatCode, appid? })`:
 * 1. exchanges the code (once: codes are single-use and never retried);
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
import { ImproperlyConfigured, PermissionDenied, UserTableBackend, type AbstractUser, type Auth, type AuthRequest } from '@koa-auth/core';
import { recordProfile, recordRefusal, wechatLoginIntent } from './login-notes.js';
import { resolveWechatUser } from './resolve-user.js';
import { WechatApps, type WechatAppsOptions } from './wechat-apps.js';
import { isWechatCredentials, type WechatCredentials } from './wechat-credentials.js';
import { scopeAllowsUserInfo, type WechatIdentity } from './wechat-identity.js';

export type WechatBackendOptions = WechatAppsOptions;

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

  get isConfigured(): boolean {
    return this.#apps !== undefined;
  }

  /** The configured apps and their clients. Throws ImproperlyConfigured before `configure()`. */
  get apps(): WechatApps {
    if (!this.#apps) throw new ImproperlyConfigured('WechatBackend has no apps: pass them to its constructor or to createWechat.');
    return this.#apps;
  }

  accepts(credentials: unknown): credentials is WechatCredentials {
    return isWechatCredentials(credentials);
  }

  async authenticate(auth: Auth<U>, request: AuthRequest | null, credentials: WechatCredentials): Promise<U | null> {
    const app = this.apps.resolve(credentials.appid);
    if (!app) {
      recordRefusal(request, 'unknown_app');
      return null;
    }
    const client = this.apps.client(app.appid);
    const token = await client.exchangeCode(credentials.wechatCode);
    if (token.is_snapshotuser === 1) {
      recordRefusal(request, 'snapshot_user');
      throw new PermissionDenied('WeChat snapshot-mode users cannot log in.');
    }
    const info = scopeAllowsUserInfo(token.scope) ? await client.userInfo(token.access_token, token.openid) : null;
    const identity: WechatIdentity = {
      appid: app.appid,
      openid: token.openid,
      unionid: info?.unionid ?? token.unionid ?? null,
      info,
    };
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
    return user;
  }
}
