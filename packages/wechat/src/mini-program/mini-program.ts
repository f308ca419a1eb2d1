/**
 * WeChat Mini Program login and phone binding (the `wechat.miniProgram.*` procedures use it).
 *
 * `login(ctx, { code, appid? })`: the `wx.login()` code goes through core's authenticate() —
 * WechatBackend exchanges it with `jscode2session` and finds or creates the user like every
 * WeChat flow (unionid first, one profile row per (appid, openid)) — then a bearer token pair
 * is issued (Mini Programs have no cookies) and the session_key is kept server-side, tied to
 * that pair's token family (MiniProgramSessionKeys): replaced by the next login, dropped when
 * the family is revoked (logout, revokeUser, reuse, a changed password).
 *
 * `bindPhone(ctx, user, { code, appid? })`: a phone-number code from the `getPhoneNumber`
 * button, exchanged with `getuserphonenumber` (the shared app access token, see
 * AppAccessTokens) and checked by WeChat against the user's openid in that app; the answer's
 * `watermark.appid` must be that app; the number is normalised to E.164 by core and stored as
 * the user's phone (a number another account holds is a field error on `phone`).
 *
 * Errors: see mini-program-errors.ts. Nothing here logs, and no answer, error or event holds
 * a code, token, secret or session_key.
 */
import { PermissionDenied, ValidationError, type AbstractUser, type Auth } from '@koa-auth/core';
import type { TokenPair, TokenService } from '@koa-auth/koa';
import { authRequestOf } from '@koa-auth/koa/internal';
import type { Context } from 'koa';
import type { WechatApp } from '../backend/wechat-apps.js';
import type { WechatBackend } from '../backend/wechat-backend.js';
import { wechatRefusalOf } from '../backend/wechat-login-context.js';
import type { WechatPhoneInfo } from '../client/mini-program-schemas.js';
import { WechatProfile } from '../model/wechat-profile.js';
import { AppAccessTokens, type AppAccessTokensOptions } from './app-access-tokens.js';
import { MiniProgramCodeRejected, miniProgramErrorOf } from './mini-program-errors.js';
import { phoneFromWechat } from './phone-from-wechat.js';
import { MiniProgramSessionKeys, type MiniProgramSessionKeysOptions } from './session-keys.js';
import { takeMiniProgramSession } from './session-note.js';

/** Options of MiniProgram. */
export interface MiniProgramOptions<U extends AbstractUser> {
  auth: Auth<U>;
  /** The WechatBackend of `auth`, configured with at least one app of kind `miniprogram`. */
  backend: WechatBackend<U>;
  /** Issues the bearer pairs (the stack's TokenService). */
  tokens: TokenService<U>;
  /** Where session_keys are kept (key prefix, lifetime: set it to the TokenService's refresh lifetime). */
  sessionKeys?: MiniProgramSessionKeysOptions;
  /** The shared app access token (key prefix, lock timing). */
  accessTokens?: Omit<AppAccessTokensOptions, 'store' | 'clientOf'>;
}

/** What `login` answers: the user, whether this login created them, and their bearer pair. */
export interface MiniProgramLoginResult<U extends AbstractUser> {
  user: U;
  created: boolean;
  tokens: TokenPair;
}

/** Mini Program login and phone binding (see the module comment). */
export class MiniProgram<U extends AbstractUser = AbstractUser> {
  readonly sessionKeys: MiniProgramSessionKeys;
  readonly accessTokens: AppAccessTokens;
  readonly #auth: Auth<U>;
  readonly #backend: WechatBackend<U>;
  readonly #tokens: TokenService<U>;

  /** Also registers with `tokens` so a revoked family drops its session_key. */
  constructor(options: MiniProgramOptions<U>) {
    this.#auth = options.auth;
    this.#backend = options.backend;
    this.#tokens = options.tokens;
    this.sessionKeys = new MiniProgramSessionKeys(options.auth.store, options.sessionKeys);
    this.accessTokens = new AppAccessTokens({
      ...options.accessTokens,
      store: options.auth.store,
      clientOf: (appid) => this.#backend.apps.miniProgramClient(appid),
    });
    this.#tokens.onRevoke((familyId) => this.sessionKeys.dropFamily(familyId));
  }

  /** Logs a Mini Program user in with a `wx.login()` code (see the module comment). */
  async login(ctx: Context, input: { code: string; appid?: string }): Promise<MiniProgramLoginResult<U>> {
    const app = this.#app(input.appid);
    const request = authRequestOf(ctx);
    let user: U | null;
    try {
      user = await this.#auth.authenticate(request, { wechatCode: input.code, appid: app.appid });
    } catch (error) {
      throw miniProgramErrorOf(error);
    }
    const session = takeMiniProgramSession(request);
    if (!user || !session) throw new PermissionDenied(wechatRefusalOf(request)?.message ?? 'This WeChat account cannot log in here.');
    const tokens = await this.#tokens.issue(user, { device: `WeChat Mini Program ${app.appid}`, ip: ctx.ip });
    const { familyId } = await this.#tokens.verifyAccess(tokens.accessToken);
    await this.sessionKeys.save(String(user.id), app.appid, session.sessionKey, familyId);
    return { user, created: session.created, tokens };
  }

  /** Stores the phone number behind a `getPhoneNumber` code as `user`'s phone (see the module comment). */
  async bindPhone(user: U, input: { code: string; appid?: string }): Promise<U> {
    const app = this.#app(input.appid);
    const profile = await WechatProfile.query(this.#auth.knex).findOne({ user_id: user.id, appid: app.appid });
    if (!profile) throw new PermissionDenied('Log in through this Mini Program before binding its phone number.');
    const client = this.#backend.apps.miniProgramClient(app.appid);
    let info: WechatPhoneInfo;
    try {
      info = await this.accessTokens.withToken(app.appid, (accessToken) => client.phoneNumber(accessToken, input.code, profile.openid));
    } catch (error) {
      throw miniProgramErrorOf(error);
    }
    // The answer must be about this app: a code of another app, or a misrouted answer, is refused.
    if (info.watermark.appid !== app.appid) throw new MiniProgramCodeRejected('code_invalid');
    const phone = phoneFromWechat(this.#auth as unknown as Auth<AbstractUser>, info);
    if (!phone) throw ValidationError.field('code', 'phone_invalid', 'WeChat returned a phone number that is not valid.');
    return this.#auth.users.updateUser(user, { phone });
  }

  /** The session_key of `user`'s live Mini Program login in `appid` (default: the first Mini Program), for server-side decryption only. */
  async sessionKeyOf(user: U, appid?: string): Promise<string | null> {
    return this.sessionKeys.get(String(user.id), this.#app(appid).appid);
  }

  /** The Mini Program named by `appid`, or the first one; a field error for any other appid. */
  #app(appid: string | undefined): WechatApp {
    const app = this.#backend.apps.ofKind('miniprogram', appid);
    if (!app) throw ValidationError.field('appid', 'unknown_app', 'This appid is not a Mini Program configured on this site.');
    return app;
  }
}
