import { ImproperlyConfigured, type KeyValueStore } from '@koa-auth/core';
import { Throttled } from '../errors.js';
import { takeAll, type PointToTake } from './take-all.js';
import { ThrottleCounter } from './throttle-counter.js';
import { accountThrottleKey, addressThrottleKey } from './throttle-key.js';
import { resolveLimit, resolveTimeout, type ResolvedLimit, type ThrottleLimit } from './throttle-limit.js';

/** The limits of an {@link ActionThrottle}; a scope left out is not limited. */
export interface ActionThrottleLimits {
  /** Calls per client address (what one household or office behind a NAT shares). */
  perAddress?: ThrottleLimit;
  /** Calls per target: the user acting, the email asked about… */
  perTarget?: ThrottleLimit;
}

/** Options of {@link ActionThrottle}. */
export interface ActionThrottleOptions extends ActionThrottleLimits {
  /** Where counts live (as for LoginThrottle): Redis shares them between instances. */
  store: KeyValueStore;
  /** Names the action in the store keys (`<name>-throttle:address:…`); letters, digits and dashes. */
  name: string;
  /** Longest wait for the store, in milliseconds (default 2000); slower means down (503). */
  timeoutMs?: number;
}

const HOUR = 60 * 60;
// A window's worth of calls, then refused until the window ends (blockSeconds 0).
const DEFAULT_LIMIT = { points: 20, durationSeconds: HOUR, blockSeconds: 0 };
const DEFAULT_TIMEOUT_MS = 2000;

/**
 * Rate limit for endpoints that are floods or existence oracles (registration answering "this
 * email is taken", a profile update checking phone uniqueness, reset mail): every call counts,
 * taken before the work, per client address and per target, so concurrent calls never pass the
 * limit. Counted points are never given back — the call happened. Same machinery and failure
 * mode as LoginThrottle: single-key store operations, 503 when the store is down.
 *
 * Count every call whatever its outcome, so the refusal itself says nothing about the target.
 */
export class ActionThrottle {
  private readonly address: ThrottleCounter | null;
  private readonly target: ThrottleCounter | null;

  constructor(options: ActionThrottleOptions) {
    if (!options?.store) throw new ImproperlyConfigured('ActionThrottle needs a store.');
    const { name, perAddress, perTarget, timeoutMs } = checkActionThrottleOptions(options);
    const counter = (scope: 'address' | 'target', limit: ResolvedLimit | null) =>
      limit ? new ThrottleCounter({ store: options.store, family: `${name}-throttle:${scope}`, limit, timeoutMs, service: `${name} throttle` }) : null;
    this.address = counter('address', perAddress);
    this.target = counter('target', perTarget);
  }

  /**
   * Count one call from `address` (and for `target`, when given and limited); throws Throttled
   * when either is used up, and then neither is counted.
   */
  async hit(address: string, target?: string): Promise<void> {
    const points: PointToTake[] = [];
    if (this.address) points.push({ counter: this.address, key: addressThrottleKey(address) });
    if (this.target && target !== undefined) points.push({ counter: this.target, key: accountThrottleKey(target) });
    await takeAll(points);
  }

  /**
   * Count one call for `target` only; false (instead of Throttled) when it is used up, for
   * endpoints that must answer the same either way (one reset mail per email per window).
   */
  async allowsTarget(target: string): Promise<boolean> {
    if (!this.target) return true;
    try {
      await this.target.take(accountThrottleKey(target));
      return true;
    } catch (error) {
      if (error instanceof Throttled) return false;
      throw error;
    }
  }

  /** Count one call from `address` only; throws Throttled when it is used up. */
  async hitAddress(address: string): Promise<void> {
    if (this.address) await this.address.take(addressThrottleKey(address));
  }
}

/** The options of an ActionThrottle, checked and resolved; ImproperlyConfigured when they make no sense. */
export function checkActionThrottleOptions(options: Omit<ActionThrottleOptions, 'store'>) {
  const name = options.name;
  if (typeof name !== 'string' || !/^[a-z0-9-]+$/i.test(name)) throw new ImproperlyConfigured('ActionThrottle needs a name of letters, digits and dashes.');
  if (!options.perAddress && !options.perTarget) throw new ImproperlyConfigured(`ActionThrottle ${name} needs perAddress or perTarget.`);
  return {
    name,
    perAddress: options.perAddress ? resolveLimit(`ActionThrottle ${name} perAddress`, DEFAULT_LIMIT, options.perAddress) : null,
    perTarget: options.perTarget ? resolveLimit(`ActionThrottle ${name} perTarget`, DEFAULT_LIMIT, options.perTarget) : null,
    timeoutMs: resolveTimeout(`ActionThrottle ${name}`, options.timeoutMs, DEFAULT_TIMEOUT_MS),
  };
}
