import { ImproperlyConfigured, type KeyValueStore } from '@koa-auth/core';
import { Throttled } from '../errors.js';
import { takeAll } from './take-all.js';
import { ThrottleCounter } from './throttle-counter.js';
import { accountThrottleKey, addressThrottleKey } from './throttle-key.js';
import { resolveLimit, resolveTimeout, type ThrottleLimit } from './throttle-limit.js';

export type { ThrottleLimit } from './throttle-limit.js';

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /**
   * Where counters live. A RedisStore's connection and prefix are reused (RateLimiterRedis) so
   * every app instance sees the same counts; any other store means this process's memory
   * (RateLimiterMemory), shared by the LoginThrottles built on the same store object.
   */
  store: KeyValueStore;
  /** Per account. Default 5 attempts per 15 minutes, then locked 15 minutes. */
  perAccount?: ThrottleLimit;
  /** Per client address, across accounts (password spraying). Default 50 / 15 min, locked 15 min. */
  perAddress?: ThrottleLimit;
  /**
   * Longest wait for the counter store, in milliseconds (default 2000). Slower answers count as
   * the store being down, so a hanging Redis cannot hang every login.
   */
  timeoutMs?: number;
}

/** One reserved credential check; settle it exactly once with `failed()` or `succeeded()`. */
export interface LoginAttempt {
  /** The credentials were wrong: the attempt stays counted; if it used the last point, the lockout starts now. */
  failed(): Promise<void>;
  /** The credentials were right: the account's count starts over, the address gets its point back. */
  succeeded(): Promise<void>;
}

const FIFTEEN_MINUTES = 15 * 60;
const DEFAULT_ACCOUNT = { points: 5, durationSeconds: FIFTEEN_MINUTES, blockSeconds: FIFTEEN_MINUTES };
const DEFAULT_ADDRESS = { points: 50, durationSeconds: FIFTEEN_MINUTES, blockSeconds: FIFTEEN_MINUTES };
const DEFAULT_TIMEOUT_MS = 2000;

/**
 * Brute-force protection for credential checks (what django-axes adds to Django), counted per
 * account and per client address:
 *
 * 1. `reserve(account, address)` before the password is hashed takes one attempt from both
 *    counts, atomically per key, so N concurrent attempts can never pass more than the limit;
 *    when either count is used up (or locked) it throws Throttled (429, with the seconds to
 *    wait), so even the right password is refused during a lockout;
 * 2. `attempt.failed()` when the credentials were wrong: the attempt stays counted, and the one
 *    that used the last point locks the key for `blockSeconds`;
 * 3. `attempt.succeeded()` when they were right: the account's count is reset, and the address
 *    gets back the one point this attempt took — never more, so an attacker cannot clear the
 *    address count with an account of their own.
 *
 * An attempt never settled (the check itself threw: database down) stays counted — the safe side.
 *
 * `account` is any stable name of the account (the auth router uses `user:<id>` once the
 * identifier resolves to a user); it is normalised and hashed before use (accountThrottleKey).
 * Every store operation touches one key, so the throttle works on Redis Cluster. When the
 * store fails or does not answer within `timeoutMs`, every method throws
 * ServiceUnavailable('login throttle') (503): logins stop rather than go unthrottled.
 */
export class LoginThrottle {
  private readonly account: ThrottleCounter;
  private readonly address: ThrottleCounter;

  constructor(options: LoginThrottleOptions) {
    if (!options?.store) throw new ImproperlyConfigured('LoginThrottle needs a store.');
    const timeoutMs = resolveTimeout('LoginThrottle', options.timeoutMs, DEFAULT_TIMEOUT_MS);
    const common = { store: options.store, timeoutMs, service: 'login throttle' };
    this.account = new ThrottleCounter({
      ...common,
      family: 'login-throttle:account',
      limit: resolveLimit('LoginThrottle perAccount', DEFAULT_ACCOUNT, options.perAccount),
    });
    this.address = new ThrottleCounter({
      ...common,
      family: 'login-throttle:address',
      limit: resolveLimit('LoginThrottle perAddress', DEFAULT_ADDRESS, options.perAddress),
    });
  }

  /** Reserve one attempt for `account` from `address`, or throw Throttled; see the class comment. */
  async reserve(account: string, address: string): Promise<LoginAttempt> {
    const accountKey = accountThrottleKey(account);
    const addressKey = addressThrottleKey(address);
    const [accountLast, addressLast] = await takeAll([
      { counter: this.account, key: accountKey },
      { counter: this.address, key: addressKey },
    ]);
    let settled = false;
    const settle = () => {
      if (settled) throw new ImproperlyConfigured('A LoginAttempt is settled once.');
      settled = true;
    };
    return {
      failed: async () => {
        settle();
        await Promise.all([accountLast ? this.account.lock(accountKey) : undefined, addressLast ? this.address.lock(addressKey) : undefined]);
      },
      succeeded: async () => {
        settle();
        await Promise.all([this.account.reset(accountKey), this.address.giveBack(addressKey)]);
      },
    };
  }

  /**
   * Read-only: throws Throttled when `account` or `address` has no attempt left right now. For
   * showing a lockout; never a gate before a password check (use `reserve`, which counts).
   */
  async check(account: string, address: string): Promise<void> {
    const waits = await Promise.all([this.account.lockedForMs(accountThrottleKey(account)), this.address.lockedForMs(addressThrottleKey(address))]);
    const locked = waits.filter((ms): ms is number => ms !== null);
    if (locked.length > 0) throw new Throttled(Math.max(...locked) / 1000);
  }
}
