import { Throttled } from '../errors.js';
import type { ThrottleCounter } from './throttle-counter.js';

/** One point to take: a counter and its key. */
export interface PointToTake {
  counter: ThrottleCounter;
  key: string;
}

/**
 * Take one point from each counter, concurrently (each take is its own single-key operation).
 * All or nothing: when any is refused or fails, the points that were taken are given back and
 * the error is thrown — Throttled with the longest wait when some count is used up, else the
 * store's ServiceUnavailable. Resolves to each take's "was the last point" flag, in order.
 */
export async function takeAll(points: readonly PointToTake[]): Promise<boolean[]> {
  const outcomes = await Promise.allSettled(points.map(({ counter, key }) => counter.take(key)));
  const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (errors.length === 0) return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<boolean>).value);
  // Best effort: a give-back that fails leaves one extra point counted, the safe side.
  await Promise.allSettled(points.map(({ counter, key }, i) => (outcomes[i]!.status === 'fulfilled' ? counter.giveBack(key) : undefined)));
  const unavailable = errors.find((error) => !(error instanceof Throttled));
  if (unavailable !== undefined) throw unavailable;
  const throttled = errors as Throttled[];
  throw throttled.reduce((longest, error) => (error.retryAfterSeconds > longest.retryAfterSeconds ? error : longest));
}
