/**
 * How often each API endpoint was called (faulted calls included), so tests can assert, e.g.,
 * that several server instances fetched the Mini Program's app access token exactly once.
 */
import { API_ENDPOINTS, type ApiEndpoint } from './knobs.js';

/** Calls per endpoint, plus `stable_token` calls that asked for `force_refresh`. */
export type CallCounts = Record<ApiEndpoint | 'stable_token_force_refresh', number>;

/** Counters of API calls; `reset()` zeroes them (the emulator's reset does). */
export class CallCounters {
  #counts: CallCounts = CallCounters.#zero();

  /** Count one call of `name`. */
  count(name: keyof CallCounts): void {
    this.#counts[name] += 1;
  }

  /** A copy of the current counts. */
  get(): CallCounts {
    return { ...this.#counts };
  }

  reset(): void {
    this.#counts = CallCounters.#zero();
  }

  static #zero(): CallCounts {
    return { ...Object.fromEntries(API_ENDPOINTS.map((endpoint) => [endpoint, 0])), stable_token_force_refresh: 0 } as CallCounts;
  }
}
