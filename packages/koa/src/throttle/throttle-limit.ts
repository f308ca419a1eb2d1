import { ImproperlyConfigured } from '@koa-auth/core';

/** One limit: `points` attempts within `durationSeconds`; then the key is refused (and locked for `blockSeconds` where the throttle locks). */
export interface ThrottleLimit {
  /** Attempts allowed in the window; the next one is refused. */
  points?: number;
  /** Length of the counting window, from the first attempt, in whole seconds. */
  durationSeconds?: number;
  /** Lockout once `points` is reached, in whole seconds, counted from the failure that reached it; 0 locks until the window ends. */
  blockSeconds?: number;
}

/** A ThrottleLimit with every field set and checked. */
export interface ResolvedLimit {
  points: number;
  durationSeconds: number;
  blockSeconds: number;
}

/**
 * `given` over `defaults` (an `undefined` field keeps the default), checked: whole positive
 * points and durationSeconds, whole blockSeconds >= 0 (RateLimiterRedis truncates durations to
 * seconds anyway). Throws ImproperlyConfigured naming `name` otherwise.
 */
export function resolveLimit(name: string, defaults: ResolvedLimit, given: ThrottleLimit | undefined): ResolvedLimit {
  const limit = { ...defaults, ...definedOnly(given) };
  const { points, durationSeconds, blockSeconds } = limit;
  if (!isPositiveInteger(points) || !isPositiveInteger(durationSeconds) || !(blockSeconds === 0 || isPositiveInteger(blockSeconds))) {
    throw new ImproperlyConfigured(`${name} needs positive whole points and durationSeconds, and whole blockSeconds >= 0.`);
  }
  return limit;
}

/** A positive number of milliseconds, or ImproperlyConfigured naming `name`. */
export function resolveTimeout(name: string, timeoutMs: number | undefined, fallback: number): number {
  const value = timeoutMs ?? fallback;
  if (!Number.isFinite(value) || value <= 0) throw new ImproperlyConfigured(`${name} timeoutMs must be a positive number of milliseconds.`);
  return value;
}

function isPositiveInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

/** Drop `undefined` values so `{ points: undefined }` keeps the default. */
function definedOnly(limit: ThrottleLimit | undefined): Partial<ResolvedLimit> {
  return Object.fromEntries(Object.entries(limit ?? {}).filter(([, value]) => value !== undefined));
}
