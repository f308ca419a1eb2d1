import { ImproperlyConfigured, RedisStore, ServiceUnavailable, type KeyValueStore } from '@koa-auth/core';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { Throttled } from '../errors.js';
import { accountThrottleKey, addressThrottleKey } from './throttle-key.js';

/** One limit: `points` failures within `durationSeconds` lock the key for `blockSeconds`. */
export interface ThrottleLimit {
  /** Failures allowed in the window; the next attempt is refused. */
  points?: number;
  /** Length of the counting window, from the first failure, in whole seconds. */
  durationSeconds?: number;
  /** Lockout once `points` is reached, in whole seconds, counted from the failure that reached it; 0 locks until the window ends. */
  blockSeconds?: number;
}

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /**
   * Where counters live. A RedisStore's connection and prefix are reused (RateLimiterRedis) so
   * every app instance sees the same counts; any other store means this process's memory
   * (RateLimiterMemory), shared by the LoginThrottles built on the same store object.
   */
  store: KeyValueStore;
  /** Per login identifier. Default 5 failures per 15 minutes, then locked 15 minutes. */
  perAccount?: ThrottleLimit;
  /** Per client address, across accounts (password spraying). Default 50 / 15 min, locked 15 min. */
  perAddress?: ThrottleLimit;
  /**
   * Longest wait for the counter store, in milliseconds (default 2000). Slower answers count as
   * the store being down, so a hanging Redis cannot hang every login.
   */
  timeoutMs?: number;
}

type Scope = 'account' | 'address';

interface Limit {
  points: number;
  durationSeconds: number;
  blockSeconds: number;
}

const FIFTEEN_MINUTES = 15 * 60;
const DEFAULT_LIMITS: Record<Scope, Limit> = {
  account: { points: 5, durationSeconds: FIFTEEN_MINUTES, blockSeconds: FIFTEEN_MINUTES },
  address: { points: 50, durationSeconds: FIFTEEN_MINUTES, blockSeconds: FIFTEEN_MINUTES },
};
const DEFAULT_TIMEOUT_MS = 2000;

// In-memory limiters per store object, so two LoginThrottles on one MemoryStore share counts
// the way two on one Redis do.
const memoryLimiters = new WeakMap<KeyValueStore, Map<string, RateLimiterMemory>>();

/**
 * Brute-force protection for logins (what django-axes adds to Django), on rate-limiter-flexible.
 * Failures are counted per account and per client address; when either count is used up, the
 * key is locked for `blockSeconds`. Use it in this order:
 *
 * 1. `check(account, address)` before looking at the password — throws Throttled (429, with
 *    the seconds to wait) during a lockout, so even the right password is refused then;
 * 2. `failure(account, address)` when the credentials were wrong;
 * 3. `success(account, address)` after a successful login: resets the account's count only, so
 *    an attacker cannot clear the address count with an account of their own.
 *
 * Account identifiers are normalised and hashed before use (see accountThrottleKey).
 * Concurrent attempts that all pass `check()` before any `failure()` is recorded may exceed the
 * limit by the number of attempts in flight; the lockout still follows.
 *
 * When the counter store fails or does not answer within `timeoutMs`, every method throws
 * ServiceUnavailable('login throttle') (503): logins stop rather than go unthrottled.
 */
export class LoginThrottle {
  private readonly limits: Record<Scope, Limit>;
  private readonly limiters: Record<Scope, RateLimiterAbstract>;
  private readonly timeoutMs: number;

  constructor(options: LoginThrottleOptions) {
    if (!options?.store) throw new ImproperlyConfigured('LoginThrottle needs a store.');
    this.limits = {
      account: validLimit('perAccount', { ...DEFAULT_LIMITS.account, ...definedOnly(options.perAccount) }),
      address: validLimit('perAddress', { ...DEFAULT_LIMITS.address, ...definedOnly(options.perAddress) }),
    };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new ImproperlyConfigured('LoginThrottle timeoutMs must be a positive number of milliseconds.');
    }
    this.limiters = {
      account: createLimiter(options.store, 'account', this.limits.account),
      address: createLimiter(options.store, 'address', this.limits.address),
    };
  }

  /** Throws Throttled when the account or the address is locked or out of attempts. */
  async check(account: string, address: string): Promise<void> {
    const [accountState, addressState] = await this.guard(() =>
      Promise.all([this.limiters.account.get(accountThrottleKey(account)), this.limiters.address.get(addressThrottleKey(address))]),
    );
    const waits = [this.lockedForMs('account', accountState), this.lockedForMs('address', addressState)].filter(
      (ms): ms is number => ms !== null,
    );
    if (waits.length > 0) throw new Throttled(Math.max(...waits) / 1000);
  }

  /** Record a failed attempt against both the account and the address. */
  async failure(account: string, address: string): Promise<void> {
    await this.guard(() =>
      Promise.all([this.fail('account', accountThrottleKey(account)), this.fail('address', addressThrottleKey(address))]),
    );
  }

  /** Forget the account's failures after a successful login; the address count stays. */
  async success(account: string, _address: string): Promise<void> {
    await this.guard(() => this.limiters.account.delete(accountThrottleKey(account)));
  }

  private async fail(scope: Scope, key: string): Promise<void> {
    const limit = this.limits[scope];
    const limiter = this.limiters[scope];
    const state = await limiter.penalty(key, 1);
    // Lock only on the failure that reaches the limit: later ones (racing requests) must not
    // restart the lockout, or it would never end for a client that keeps trying.
    if (limit.blockSeconds > 0 && state.consumedPoints === limit.points) {
      await limiter.block(key, limit.blockSeconds);
    }
  }

  /** Milliseconds until `scope` is usable again, or null when it is not locked. */
  private lockedForMs(scope: Scope, state: RateLimiterRes | null): number | null {
    const limit = this.limits[scope];
    // An expired record not yet swept is no lock.
    if (state === null || state.consumedPoints < limit.points || state.msBeforeNext <= 0) return null;
    // Between the failure that reaches the limit and its block() call the record still shows
    // the counting window; the lockout about to start is never longer than blockSeconds.
    return limit.blockSeconds > 0 ? Math.min(state.msBeforeNext, limit.blockSeconds * 1000) : state.msBeforeNext;
  }

  /** Run a store operation; any failure or a timeout becomes ServiceUnavailable (fail closed). */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`login throttle store did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([operation(), timeout]);
    } catch (error) {
      const unavailable = new ServiceUnavailable('login throttle');
      unavailable.cause = error;
      throw unavailable;
    } finally {
      clearTimeout(timer);
    }
  }
}

function createLimiter(store: KeyValueStore, scope: Scope, limit: Limit): RateLimiterAbstract {
  // No blockDuration here: LoginThrottle blocks itself (see fail), because check() refuses the
  // attempt that would make the library block on its own.
  const settings = { points: limit.points, duration: limit.durationSeconds };
  if (store instanceof RedisStore) {
    return new RateLimiterRedis({ ...settings, storeClient: store.client, keyPrefix: `${store.prefix}login-throttle:${scope}` });
  }
  let limiters = memoryLimiters.get(store);
  if (!limiters) {
    limiters = new Map();
    memoryLimiters.set(store, limiters);
  }
  const id = `${scope}:${limit.points}:${limit.durationSeconds}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new RateLimiterMemory({ ...settings, keyPrefix: `login-throttle:${scope}` });
    limiters.set(id, limiter);
  }
  return limiter;
}

function validLimit(name: string, limit: Limit): Limit {
  const { points, durationSeconds, blockSeconds } = limit;
  // Whole seconds: RateLimiterRedis truncates durations to seconds anyway.
  if (!isPositiveInteger(points) || !isPositiveInteger(durationSeconds) || !(blockSeconds === 0 || isPositiveInteger(blockSeconds))) {
    throw new ImproperlyConfigured(
      `LoginThrottle ${name} needs positive whole points and durationSeconds, and whole blockSeconds >= 0.`,
    );
  }
  return limit;
}

function isPositiveInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/** Drop `undefined` values so `{ points: undefined }` keeps the default. */
function definedOnly(limit: ThrottleLimit | undefined): Partial<Limit> {
  return Object.fromEntries(Object.entries(limit ?? {}).filter(([, value]) => value !== undefined));
}
