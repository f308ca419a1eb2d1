/**
 * Website QR-code login (the usual "QR + callback + polling" design, made safe): a small state
 * machine over the core KeyValueStore, so any app instance sharing the store (Redis) can serve
 * any step.
 *
 *   start ──► pending ──callback──► confirmed | denied | error ──complete──► (gone)
 *                 └────── timeout ──► expired
 *
 * - `start(ctx)`: a fresh single-use state bound to the starting browser (see browser-binding),
 *   valid `stateTtlSeconds`; returns WeChat's QR URL for it.
 * - `handleCallback(input)`: WeChat's redirect (see qr-callback).
 * - `status(ctx, state)` / `watch(ctx, state)`: the current status, for the starting browser only.
 * - `complete(ctx, state)`: takes the outcome exactly once and, for the starting browser, logs
 *   in (cookie mode), returns a token pair (bearer mode) or reports the linked account (bind).
 */
import { ImproperlyConfigured, PermissionDenied, ValidationError, type AbstractUser, type Auth, type KeyValueStore } from '@koa-auth/core';
import { markBackend, randomString } from '@koa-auth/core/internal';
import { authStateOf } from '@koa-auth/koa/internal';
import { login, NotAuthenticated, type TokenService } from '@koa-auth/koa';
import type { Context } from 'koa';
import { profileView } from '../binding/profile-view.js';
import { REFUSALS } from '../backend/wechat-login-context.js';
import type { WechatBackend } from '../backend/wechat-backend.js';
import { WechatProfile } from '../model/wechat-profile.js';
import { bindToBrowserCookie, isSameBrowser, newBrowserKey, releaseBrowserCookie, type BrowserBinding } from './browser-binding.js';
import { handleQrCallback, type QrCallbackDeps, type QrCallbackInput, type QrCallbackResult } from './qr-callback.js';
import { loginFailed, otherBrowser, QrLoginNotReady, stateGone } from './qr-errors.js';
import { QrRecords, type QrStateRecord } from './qr-records.js';
import type { QrCompleteResult, QrStartOptions, QrStartResult, QrStatusView } from './qr-types.js';
import { once, watchStatus } from './status-watch.js';

export interface QrLoginOptions<U extends AbstractUser> {
  auth: Auth<U>;
  backend: WechatBackend<U>;
  /** Absolute URL of the callback route; its host must be the app's registered callback domain. */
  callbackUrl: string;
  /** The website app to use. Default: the first configured app of kind `website`. */
  appid?: string;
  /** Issues token pairs for bearer-mode logins; without it bearer-mode login starts are refused. */
  tokens?: TokenService<U>;
  /** Default: `auth.store`. Must be shared by every instance (Redis) when there are several. */
  store?: KeyValueStore;
  /** Prefix of every key and channel. Default `wechat:qr:`. */
  keyPrefix?: string;
  /** How long a QR code is accepted. Default 300. */
  stateTtlSeconds?: number;
  /** How long a decided login waits for `complete`. Default 300. */
  completeTtlSeconds?: number;
  /** Fallback re-read of the store while watching, in case a pub/sub message is lost. Default 3000. */
  pollIntervalMs?: number;
  /** Language of WeChat's QR page. */
  lang?: 'cn' | 'en';
  /** Clock in epoch ms (tests). Store expiries always use real time. */
  now?: () => number;
  /** Hears unexpected errors of the callback. Default: console.error of the error's name and message. */
  onError?: (error: unknown) => void;
}

/** A callback still being processed keeps its state alive this much past its expiry. */
const PROCESSING_GRACE_MS = 60_000;
const FINAL = new Set(['confirmed', 'denied', 'error', 'expired']);

/**
 * Website QR-code login (and binding) over a KeyValueStore, so every instance sharing the store
 * serves every step: `start` → WeChat calls back (`handleCallback`) → `status`/`watch` →
 * `complete`. Each state is single-use, expires, and answers only the browser that started it.
 * Throws ImproperlyConfigured when the backend has no website app (`appid`) or `callbackUrl`
 * is not an absolute http(s) URL.
 */
export class QrLogin<U extends AbstractUser = AbstractUser> {
  readonly callbackUrl: string;
  readonly appid: string;
  readonly #auth: Auth<U>;
  readonly #backend: WechatBackend<U>;
  readonly #tokens: TokenService<U> | undefined;
  readonly #records: QrRecords;
  readonly #stateTtlMs: number;
  readonly #recordTtlMs: number;
  readonly #outcomeTtlMs: number;
  readonly #pollIntervalMs: number;
  readonly #lang: 'cn' | 'en' | undefined;
  readonly #now: () => number;
  readonly #report: (error: unknown) => void;

  constructor(options: QrLoginOptions<U>) {
    const app = options.backend.apps.ofKind('website', options.appid);
    if (!app) throw new ImproperlyConfigured(`WeChat QR login needs a website app${options.appid ? ` with appid ${options.appid}` : ''}.`);
    if (!/^https?:\/\//.test(options.callbackUrl)) throw new ImproperlyConfigured('WeChat QR login: callbackUrl must be an absolute http(s) URL.');
    this.callbackUrl = options.callbackUrl;
    this.appid = app.appid;
    this.#auth = options.auth;
    this.#backend = options.backend;
    this.#tokens = options.tokens;
    const store = options.store ?? options.auth.store;
    this.#records = new QrRecords(store, options.keyPrefix ?? 'wechat:qr:');
    this.#stateTtlMs = seconds(options.stateTtlSeconds, 300, 'stateTtlSeconds');
    this.#outcomeTtlMs = seconds(options.completeTtlSeconds, 300, 'completeTtlSeconds');
    this.#recordTtlMs = this.#stateTtlMs + this.#outcomeTtlMs + PROCESSING_GRACE_MS;
    this.#pollIntervalMs = options.pollIntervalMs ?? 3000;
    this.#lang = options.lang;
    this.#now = options.now ?? Date.now;
    this.#report = options.onError ?? reportError;
  }

  /** Starts a login (or, with `mode: 'bind'`, a binding for the logged-in user: 401 otherwise). */
  async start(ctx: Context, options: QrStartOptions = {}): Promise<QrStartResult> {
    const mode = options.mode ?? 'login';
    let userId: number | null = null;
    if (mode === 'bind') {
      const user = await authStateOf<U>(ctx).getUser();
      if (!user.isAuthenticated) throw new NotAuthenticated();
      userId = user.id;
    }
    if (options.bearer && mode === 'login' && !this.#tokens) {
      throw new ImproperlyConfigured('WeChat QR login in bearer mode needs a TokenService (option `tokens`).');
    }
    const state = randomString(32);
    let browser: BrowserBinding;
    let browserKey: string | undefined;
    if (options.bearer) ({ browserKey, binding: browser } = newBrowserKey());
    else browser = bindToBrowserCookie(ctx, state, this.#recordTtlMs);

    const now = this.#now();
    const record: QrStateRecord = { v: 1, mode, appid: this.appid, browser, userId, createdAt: now, expiresAt: now + this.#stateTtlMs };
    await this.#records.saveState(state, record, this.#recordTtlMs);
    const qrUrl = this.#backend.apps.client(this.appid).qrConnectUrl({
      redirectUri: this.callbackUrl,
      state,
      ...(this.#lang ? { lang: this.#lang } : {}),
    });
    return { state, qrUrl, expiresAt: new Date(record.expiresAt).toISOString(), ...(browserKey ? { browserKey } : {}) };
  }

  /** WeChat's redirect to the callback URL (see qr-callback for the rules). */
  handleCallback(input: QrCallbackInput): Promise<QrCallbackResult> {
    return handleQrCallback(this.#callbackDeps(), input);
  }

  /** The login's status. FORBIDDEN for another browser; unknown states report `expired`. */
  async status(ctx: Context, state: string, browserKey?: string): Promise<QrStatusView> {
    const record = await this.#ownRecord(ctx, state, browserKey);
    return record ? this.#view(state, record) : { status: 'expired' };
  }

  /**
   * The status now, then every change (pushed through the store's pub/sub, with a re-read every
   * `pollIntervalMs` in case a message is lost), until a final status or until `signal` aborts.
   * The browser check happens before this resolves, so a foreign browser gets FORBIDDEN as an
   * error of the call rather than inside the stream.
   */
  async watch(ctx: Context, state: string, browserKey?: string, signal?: AbortSignal): Promise<AsyncGenerator<QrStatusView, void>> {
    const record = await this.#ownRecord(ctx, state, browserKey);
    // Unknown state: say so and end, without subscribing to a channel nobody will use.
    if (!record) return once<QrStatusView>({ status: 'expired' });
    return watchStatus({
      store: this.#records.store,
      channel: this.#records.channel(state),
      read: async () => {
        const current = await this.#records.loadState(state);
        return current ? this.#view(state, current) : { status: 'expired' };
      },
      isFinal: (view) => FINAL.has(view.status),
      // Re-read at the poll interval, and right after the expiry so `expired` is reported on time.
      nextCheckMs: () => {
        const untilExpiry = record.expiresAt - this.#now();
        return untilExpiry > 0 ? Math.min(this.#pollIntervalMs, untilExpiry + 10) : this.#pollIntervalMs;
      },
      signal,
    });
  }

  /**
   * Takes the decided outcome (once) for the browser that started the login. Confirmed login:
   * logs in (cookie mode) or returns a token pair (bearer mode). Confirmed binding: the linked
   * account (the caller must still be the user who started it). Denied/failed: a ValidationError
   * on `state` with the reason's code. Not decided yet: CONFLICT. Unknown, expired or already
   * completed: ValidationError `state_invalid`.
   */
  async complete(ctx: Context, state: string, browserKey?: string): Promise<QrCompleteResult> {
    const record = await this.#ownRecord(ctx, state, browserKey);
    if (!record) throw stateGone();
    const outcome = await this.#records.takeOutcome(state);
    if (!outcome) {
      if (this.#now() >= record.expiresAt + PROCESSING_GRACE_MS) throw stateGone();
      throw new QrLoginNotReady();
    }
    await this.#records.forget(state);
    releaseBrowserCookie(ctx, state, record.browser);
    if (outcome.status !== 'confirmed') throw loginFailed(outcome.reason);

    const user = await this.#backend.getUser(this.#auth, outcome.userId);
    if (!user) throw ValidationError.field('state', REFUSALS.inactive_user.code, REFUSALS.inactive_user.message);
    markBackend(user, this.#backend.name);

    if (record.mode === 'bind') {
      const current = await authStateOf<U>(ctx).getUser();
      if (!current.isAuthenticated || current.id !== user.id) throw new PermissionDenied('This WeChat binding was started by another user.');
      const profile = outcome.profileId === null ? undefined : await WechatProfile.query(this.#auth.knex).findById(outcome.profileId);
      return { mode: 'bind', userId: user.id, profile: profile ? profileView(profile) : null };
    }
    if (record.browser.kind === 'key') {
      if (!this.#tokens) throw new ImproperlyConfigured('WeChat QR login in bearer mode needs a TokenService (option `tokens`).');
      const tokens = await this.#tokens.issue(user, { device: ctx.get('user-agent'), ip: ctx.ip });
      return { mode: 'login', userId: user.id, tokens };
    }
    await login(ctx, user, this.#backend.name);
    return { mode: 'login', userId: user.id };
  }

  /** The state's record if it exists and this request comes from its browser; null if unknown. */
  async #ownRecord(ctx: Context, state: string, browserKey: string | undefined): Promise<QrStateRecord | null> {
    const record = await this.#records.loadState(state);
    if (record && !isSameBrowser(ctx, state, record.browser, browserKey)) throw otherBrowser();
    return record;
  }

  async #view(state: string, record: QrStateRecord): Promise<QrStatusView> {
    const base = { mode: record.mode, expiresAt: new Date(record.expiresAt).toISOString() };
    const outcome = await this.#records.peekOutcome(state);
    if (outcome) return outcome.status === 'confirmed' ? { ...base, status: 'confirmed' } : { ...base, status: outcome.status, reason: outcome.reason };
    // A callback being processed right at expiry gets a grace period to record its outcome.
    const deadline = record.expiresAt + ((await this.#records.isClaimed(state)) ? PROCESSING_GRACE_MS : 0);
    return { ...base, status: this.#now() >= deadline ? 'expired' : 'pending' };
  }

  #callbackDeps(): QrCallbackDeps<U> {
    return {
      auth: this.#auth,
      backend: this.#backend,
      records: this.#records,
      now: this.#now,
      recordTtlMs: this.#recordTtlMs,
      outcomeTtlMs: this.#outcomeTtlMs,
      report: this.#report,
    };
  }
}

function seconds(value: number | undefined, fallback: number, name: string): number {
  const s = value ?? fallback;
  if (!Number.isFinite(s) || s <= 0) throw new ImproperlyConfigured(`WeChat QR login: ${name} must be a positive number of seconds.`);
  return s * 1000;
}

/** Name and message only: a cause or a request object could hold more than we want in logs. */
function reportError(error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[koa-auth] WeChat QR callback failed: ${text}`);
}
