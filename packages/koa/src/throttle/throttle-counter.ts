import { RedisStore, ServiceUnavailable, type KeyValueStore } from '@koa-auth/core';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Throttled } from '../errors.js';
import type { ResolvedLimit } from './throttle-limit.js';

/** Options of {@link ThrottleCounter}. */
export interface ThrottleCounterOptions {
  /** Where counts live: a RedisStore's connection and prefix, or this process's memory per store object. */
  store: KeyValueStore;
  /** Key family, e.g. `login-throttle:account`; two counters of one family on one store share counts. */
  family: string;
  limit: ResolvedLimit;
  /** Longest wait for the store; slower answers count as the store being down. */
  timeoutMs: number;
  /** Named in the 503 when the store fails, e.g. 'login throttle'. */
  service: string;
}

// In-memory limiters per store object, so two throttles on one MemoryStore share counts the
// way two on one Redis do.
const memoryLimiters = new WeakMap<KeyValueStore, Map<string, RateLimiterMemory>>();

/**
 * One family of counters (login attempts per account, registrations per address…) on
 * rate-limiter-flexible, the one home of how koa-auth counts. Every operation is one atomic
 * command on one key (INCRBY in a single-key script, SET, DEL), so it holds under any
 * concurrency and works on Redis Cluster.
 *
 * `take` reserves a point before the work it pays for: N concurrent callers can never get more
 * than `points` between them. A store that fails or does not answer within `timeoutMs` makes
 * every method throw ServiceUnavailable (503): throttled work stops rather than runs unthrottled.
 */
export class ThrottleCounter {
  private readonly limiter: RateLimiterAbstract;

  constructor(private readonly options: ThrottleCounterOptions) {
    this.limiter = createLimiter(options.store, options.family, options.limit);
  }

  /**
   * Take one point for `key`. Resolves to true when it was the window's last point (a failure
   * paid with it should start the lockout, see `lock`); throws Throttled, with the wait, when no
   * point is left.
   */
  async take(key: string): Promise<boolean> {
    const outcome = await this.guard(() =>
      this.limiter.consume(key, 1).catch((rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return rejection;
        throw rejection;
      }),
    );
    if (outcome.consumedPoints > this.options.limit.points) throw new Throttled(this.waitMs(outcome) / 1000);
    return outcome.consumedPoints === this.options.limit.points;
  }

  /** Return a point taken for work that turned out not to count (a success, a refused sibling). */
  async giveBack(key: string): Promise<void> {
    await this.guard(() => this.limiter.reward(key, 1));
  }

  /** Lock `key` for the limit's blockSeconds from now (nothing when blockSeconds is 0: the used-up window is the lock). */
  async lock(key: string): Promise<void> {
    const { blockSeconds } = this.options.limit;
    if (blockSeconds > 0) await this.guard(() => this.limiter.block(key, blockSeconds));
  }

  /** Forget `key`'s count. */
  async reset(key: string): Promise<void> {
    await this.guard(() => this.limiter.delete(key));
  }

  /** Milliseconds until `key` has a point again, or null when it has one now. Read-only. */
  async lockedForMs(key: string): Promise<number | null> {
    const state = await this.guard(() => this.limiter.get(key));
    // An expired record not yet swept is no lock.
    if (state === null || state.consumedPoints < this.options.limit.points || state.msBeforeNext <= 0) return null;
    return this.waitMs(state);
  }

  private waitMs(state: RateLimiterRes): number {
    const { blockSeconds } = this.options.limit;
    // While the last point's work is still running the record shows the counting window; the
    // lockout that may follow is never longer than blockSeconds.
    return blockSeconds > 0 ? Math.min(state.msBeforeNext, blockSeconds * 1000) : state.msBeforeNext;
  }

  /** Run a store operation; any failure or a timeout becomes ServiceUnavailable (fail closed). */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.options.service} store did not answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    try {
      return await Promise.race([operation(), timeout]);
    } catch (error) {
      const unavailable = new ServiceUnavailable(this.options.service);
      unavailable.cause = error;
      throw unavailable;
    } finally {
      clearTimeout(timer);
    }
  }
}

function createLimiter(store: KeyValueStore, family: string, limit: ResolvedLimit): RateLimiterAbstract {
  // No blockDuration here: the throttles lock themselves (see lock), on the failure that used
  // the last point, not on the refused attempt after it.
  const settings = { points: limit.points, duration: limit.durationSeconds };
  if (store instanceof RedisStore) {
    return new RateLimiterRedis({ ...settings, storeClient: store.client, keyPrefix: `${store.prefix}${family}` });
  }
  let limiters = memoryLimiters.get(store);
  if (!limiters) {
    limiters = new Map();
    memoryLimiters.set(store, limiters);
  }
  const id = `${family}:${limit.points}:${limit.durationSeconds}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new RateLimiterMemory({ ...settings, keyPrefix: family });
    limiters.set(id, limiter);
  }
  return limiter;
}
