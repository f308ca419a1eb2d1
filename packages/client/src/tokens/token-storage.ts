import type { TokenPair } from './token-pair.js';

/**
 * Where bearer mode keeps the TokenPair. `get` and `set` may be sync or async (e.g. a secure
 * store on mobile). The client revives the dates of whatever `get` returns, so a JSON-based
 * storage may hand back ISO strings.
 */
export interface TokenStorage {
  get(): TokenPair | null | Promise<TokenPair | null>;
  /** Store a pair, or forget it (`null`: logout, or the session expired). */
  set(pair: TokenPair | null): void | Promise<void>;
  /**
   * Optional: run `fn` while no other holder of the same storage (another tab) runs one.
   * Refreshes run under it: the server treats two refreshes with one refresh token as token
   * theft and logs that device out, so tabs sharing tokens must not refresh in parallel.
   */
  lock?<T>(fn: () => Promise<T>): Promise<T>;
}

/** Tokens in memory only: gone on reload. The default; the safest place against XSS. */
export function memoryTokenStorage(initial: TokenPair | null = null): TokenStorage {
  let pair = initial;
  return {
    get: () => pair,
    set(next) {
      pair = next;
    },
  };
}
