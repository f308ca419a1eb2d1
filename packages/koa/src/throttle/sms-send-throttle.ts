import { ImproperlyConfigured, type KeyValueStore } from '@koa-auth/core';
import { takeAll, type PointToTake } from './take-all.js';
import { ThrottleCounter } from './throttle-counter.js';
import { accountThrottleKey, addressThrottleKey } from './throttle-key.js';
import { resolveLimit, resolveTimeout, type ResolvedLimit, type ThrottleLimit } from './throttle-limit.js';

/**
 * Limits of SMS sends. The per-number defaults match what the carriers enforce anyway (Aliyun:
 * 1 per minute, 5 per hour, 10 per day per number), so a site never pays for refused messages.
 */
export interface SmsSendLimits {
  /** Windows per phone number, all of which must have room. Default 1 / 60 s, 5 / hour, 10 / day. */
  perNumber?: ThrottleLimit[];
  /** Per client address. Default 10 per hour; `false`: not limited (not recommended). */
  perAddress?: ThrottleLimit | false;
  /** Every send of the site together (a cost cap). Default 100 per minute; `false`: none. */
  global?: ThrottleLimit | false;
  /** Longest wait for the store, in milliseconds (default 2000); slower means down (503). */
  timeoutMs?: number;
}

/** One reserved send; `release()` gives the number's points back when the message was not sent. */
export interface SmsSendReservation {
  /** Give back the per-number points (the provider refused: the number got nothing). Once only. */
  release(): Promise<void>;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DEFAULT_PER_NUMBER: ResolvedLimit[] = [
  { points: 1, durationSeconds: MINUTE, blockSeconds: 0 },
  { points: 5, durationSeconds: HOUR, blockSeconds: 0 },
  { points: 10, durationSeconds: DAY, blockSeconds: 0 },
];
const DEFAULT_PER_ADDRESS: ResolvedLimit = { points: 10, durationSeconds: HOUR, blockSeconds: 0 };
const DEFAULT_GLOBAL: ResolvedLimit = { points: 100, durationSeconds: MINUTE, blockSeconds: 0 };
const DEFAULT_TIMEOUT_MS = 2000;
const GLOBAL_KEY = 'all';

/**
 * The send limits of SMS codes on ThrottleCounter (the one home of how koa-auth counts): one
 * counter per per-number window, one per address, one global. `reserve` takes a point from
 * every one of them at once, before anything is sent — all or nothing (takeAll), so concurrent
 * sends never pass a limit and a refused send costs no count; a used-up one throws Throttled
 * (429, Retry-After: the longest wait). A send the provider then refuses gives the number's
 * points back (`release`); the address and global points stay taken: the call happened.
 */
export class SmsSendThrottle {
  /** Seconds until a number may get its next message when the sends go through (the shortest 1-point window), for countdowns. */
  readonly resendAfterSeconds: number;
  private readonly numbers: ThrottleCounter[];
  private readonly address: ThrottleCounter | null;
  private readonly global: ThrottleCounter | null;

  constructor(store: KeyValueStore, limits: SmsSendLimits = {}) {
    if (!store) throw new ImproperlyConfigured('SmsSendThrottle needs a store.');
    const resolved = resolveSmsSendLimits(limits);
    const counter = (family: string, limit: ResolvedLimit) =>
      new ThrottleCounter({ store, family: `sms-throttle:${family}`, limit, timeoutMs: resolved.timeoutMs, service: 'SMS throttle' });
    this.numbers = resolved.perNumber.map((limit) => counter(`number-${limit.points}-${limit.durationSeconds}`, limit));
    this.address = resolved.perAddress && counter('address', resolved.perAddress);
    this.global = resolved.global && counter('global', resolved.global);
    const single = resolved.perNumber.filter((limit) => limit.points === 1).map((limit) => limit.durationSeconds);
    this.resendAfterSeconds = single.length > 0 ? Math.min(...single) : 0;
  }

  /** Take one send for `phone` (E.164) from `address`, or throw Throttled / ServiceUnavailable (nothing counted then). */
  async reserve(phone: string, address: string): Promise<SmsSendReservation> {
    const numberKey = accountThrottleKey(`phone:${phone}`);
    const numberPoints: PointToTake[] = this.numbers.map((counter) => ({ counter, key: numberKey }));
    const points = [...numberPoints];
    if (this.address) points.push({ counter: this.address, key: addressThrottleKey(address) });
    if (this.global) points.push({ counter: this.global, key: GLOBAL_KEY });
    await takeAll(points);
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        // Best effort, as takeAll's own give-backs: a failure leaves the count on the safe side.
        await Promise.allSettled(numberPoints.map(({ counter, key }) => counter.giveBack(key)));
      },
    };
  }
}

/** The limits with defaults filled in and checked; ImproperlyConfigured names a wrong one. */
export function resolveSmsSendLimits(limits: SmsSendLimits = {}) {
  if (limits.perNumber !== undefined && (!Array.isArray(limits.perNumber) || limits.perNumber.length === 0)) {
    throw new ImproperlyConfigured('SMS limits: perNumber must be a non-empty list of limits.');
  }
  const perNumber = limits.perNumber
    ? limits.perNumber.map((limit, i) => resolveLimit(`SMS limits perNumber[${i}]`, { ...DEFAULT_PER_NUMBER[0]!, blockSeconds: 0 }, limit))
    : DEFAULT_PER_NUMBER;
  const durations = perNumber.map((limit) => `${limit.points}-${limit.durationSeconds}`);
  if (new Set(durations).size !== durations.length) throw new ImproperlyConfigured('SMS limits: perNumber lists the same limit twice.');
  return {
    perNumber,
    perAddress: limits.perAddress === false ? null : resolveLimit('SMS limits perAddress', DEFAULT_PER_ADDRESS, limits.perAddress),
    global: limits.global === false ? null : resolveLimit('SMS limits global', DEFAULT_GLOBAL, limits.global),
    timeoutMs: resolveTimeout('SMS limits', limits.timeoutMs, DEFAULT_TIMEOUT_MS),
  };
}
