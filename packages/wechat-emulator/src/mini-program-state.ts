/**
 * The Mini Program side's data (§9), with lifetimes; the errcode rules live in the API routes.
 *
 * - Codes: `wx.login` codes and `getPhoneNumber` codes, each bound to one app and one user,
 *   single-use, 5 minutes by default.
 * - Session keys: a new one for every redeemed login code; the latest per (app, user) is kept
 *   so tests can check it never leaks out of the server under test.
 * - App access tokens (`stable_token`): one current token per app. Normal mode hands out the
 *   current token while more than 5 minutes of it are left (the platform renews it early; the old
 *   one stays valid until it expires); `force_refresh` revokes every earlier token at once, at
 *   most 20 times a day and 30 seconds apart.
 * - Rate windows: Mini Program calls per user in the last minute (45011 beyond the limit).
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from './clock.js';
import { newCode, newToken } from './ids.js';

/** What a Mini Program code stands for: a `wx.login()` result or a `getPhoneNumber` button result. */
export type MiniProgramCodeKind = 'miniprogram-login' | 'phone-number';

export interface MiniProgramCode {
  code: string;
  kind: MiniProgramCodeKind;
  appid: string;
  userKey: string;
  expiresAt: number;
  used: boolean;
}

export interface AppAccessToken {
  token: string;
  appid: string;
  expiresAt: number;
  /** Revoked by a later `force_refresh`: answers 40001 from then on. */
  revoked: boolean;
}

/** Why `force_refresh` was refused: 45011 (less than 30 s since the last one) or 45009 (20 today). */
export type ForceRefusal = 45011 | 45009;

/** The platform renews a token this long before it expires (normal mode then returns a new one). */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const FORCE_SPACING_MS = 30 * 1000;
const FORCES_PER_DAY = 20;
const DAY_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60 * 1000;

export class MiniProgramState {
  readonly #codes = new Map<string, MiniProgramCode>();
  readonly #sessionKeys = new Map<string, string>();
  readonly #tokens = new Map<string, AppAccessToken>();
  readonly #current = new Map<string, AppAccessToken>();
  readonly #forces = new Map<string, number[]>();
  readonly #calls = new Map<string, number[]>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly appTokenSeconds: number,
  ) {}

  /** Mints a single-use code of `kind` for `userKey` in `appid`, valid `ttlSeconds`. */
  issueCode(kind: MiniProgramCodeKind, appid: string, userKey: string, ttlSeconds: number): string {
    const code = newCode();
    this.#codes.set(code, { code, kind, appid, userKey, expiresAt: this.clock.now() + ttlSeconds * 1000, used: false });
    return code;
  }

  findCode(code: string): MiniProgramCode | undefined {
    return this.#codes.get(code);
  }

  isExpired(record: { expiresAt: number }): boolean {
    return this.clock.now() >= record.expiresAt;
  }

  /** A new session_key for a redeemed login code (16 random bytes, base64, as WeChat's), remembered as the latest. */
  newSessionKey(appid: string, userKey: string): string {
    const sessionKey = randomBytes(16).toString('base64');
    this.#sessionKeys.set(`${appid}\u0000${userKey}`, sessionKey);
    return sessionKey;
  }

  /** The latest session_key issued to `userKey` in `appid`, if any. */
  sessionKeyFor(appid: string, userKey: string): string | undefined {
    return this.#sessionKeys.get(`${appid}\u0000${userKey}`);
  }

  /** `stable_token` in normal mode: the current token while it has more than 5 minutes left, else a new one. */
  stableToken(appid: string): AppAccessToken {
    const current = this.#current.get(appid);
    if (current && !current.revoked && current.expiresAt - this.clock.now() > RENEW_BEFORE_MS) return current;
    return this.#newToken(appid);
  }

  /** `stable_token` with `force_refresh`: revokes every earlier token of the app, or refuses (see ForceRefusal). */
  forceRefresh(appid: string): AppAccessToken | ForceRefusal {
    const now = this.clock.now();
    const recent = (this.#forces.get(appid) ?? []).filter((at) => now - at < DAY_MS);
    const last = recent[recent.length - 1];
    if (last !== undefined && now - last < FORCE_SPACING_MS) return 45011;
    if (recent.length >= FORCES_PER_DAY) return 45009;
    this.#forces.set(appid, [...recent, now]);
    for (const token of this.#tokens.values()) if (token.appid === appid) token.revoked = true;
    return this.#newToken(appid);
  }

  findToken(token: string): AppAccessToken | undefined {
    return this.#tokens.get(token);
  }

  /** Seconds left, rounded up, never below 0. */
  secondsLeft(record: { expiresAt: number }): number {
    return Math.max(0, Math.ceil((record.expiresAt - this.clock.now()) / 1000));
  }

  /** Counts a Mini Program call of `userKey`; false when it is beyond `perMinute` in the last minute. */
  allowCall(userKey: string, perMinute: number): boolean {
    const now = this.clock.now();
    const recent = (this.#calls.get(userKey) ?? []).filter((at) => now - at < MINUTE_MS);
    const allowed = recent.length < perMinute;
    if (allowed) recent.push(now);
    this.#calls.set(userKey, recent);
    return allowed;
  }

  clear(): void {
    this.#codes.clear();
    this.#sessionKeys.clear();
    this.#tokens.clear();
    this.#current.clear();
    this.#forces.clear();
    this.#calls.clear();
  }

  #newToken(appid: string): AppAccessToken {
    const record: AppAccessToken = { token: newToken(), appid, expiresAt: this.clock.now() + this.appTokenSeconds * 1000, revoked: false };
    this.#tokens.set(record.token, record);
    this.#current.set(appid, record);
    return record;
  }
}
