import { toAuthClientError } from '../errors/to-auth-client-error.js';
import { toTokenPair, type TokenPair } from './token-pair.js';
import type { TokenStorage } from './token-storage.js';

export interface TokenManagerOptions {
  storage: TokenStorage;
  /** Spends a refresh token on the server (`auth.refresh`) and returns what it answered. */
  refresh(refreshToken: string): Promise<unknown>;
  /**
   * Refresh once the access token has less than this left (ms). Capped at a quarter of the
   * token's lifetime, so very short-lived tokens are not refreshed on every call. Default 30 s.
   */
  refreshMarginMs?: number;
  now?(): number;
}

/**
 * Bearer mode's token bookkeeping: hands out an access token that is fresh enough to send,
 * refreshing first when it is about to expire, and recovers from a 401.
 *
 * Refreshes are single-flight: however many calls need one at the same time, one `auth.refresh`
 * goes out and they all wait for it. This is not only an optimisation — the server treats a
 * refresh token presented twice as stolen and revokes the whole token family. For the same
 * reason a refresh re-reads the storage first and skips the request when the pair it was about
 * to spend has been replaced meanwhile (by another call, or another tab under `storage.lock`).
 *
 * A refresh the server refuses with 401 (expired, revoked, or reuse detected) drops the tokens
 * and notifies the session-expired listeners; any other failure (network) keeps them.
 */
export class TokenManager {
  private inflight: Promise<TokenPair | null> | null = null;
  private readonly expiredListeners = new Set<() => void>();
  private readonly now: () => number;

  constructor(private readonly options: TokenManagerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The stored pair (dates revived), or null. Unreadable storage content counts as none. */
  async get(): Promise<TokenPair | null> {
    const raw = await this.options.storage.get();
    if (raw === null || raw === undefined) return null;
    try {
      return toTokenPair(raw);
    } catch {
      return null;
    }
  }

  /** Store a pair (any object with the TokenPair fields; dates may be strings) as it is, or forget it. */
  async set(pair: unknown): Promise<void> {
    await this.options.storage.set(pair === null ? null : toTokenPair(pair));
  }

  /** Store a pair the server just issued, its expiry dates moved to this machine's clock (see rebase). */
  async setIssued(pair: unknown): Promise<void> {
    await this.options.storage.set(this.rebase(toTokenPair(pair)));
  }

  /** Listen for the session ending on its own (refresh refused); returns the unsubscribe function. */
  onSessionExpired(listener: () => void): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  /**
   * An access token to send now, or null when logged out (or the session just expired).
   * Refreshes first when the stored one expires within the margin.
   */
  async accessToken(): Promise<string | null> {
    const pair = await this.get();
    if (!pair) return null;
    if (!this.expiresSoon(pair)) return pair.accessToken;
    return (await this.refreshFrom(pair))?.accessToken ?? null;
  }

  /**
   * A call made with `usedToken` got a 401. Refreshes unless the token was already replaced
   * (a concurrent call refreshed first); true when retrying with the stored token makes sense.
   */
  async recover(usedToken: string): Promise<boolean> {
    const pair = await this.get();
    if (!pair) return false;
    if (pair.accessToken !== usedToken) return true;
    return (await this.refreshFrom(pair)) !== null;
  }

  private expiresSoon(pair: TokenPair): boolean {
    const margin = Math.min(this.options.refreshMarginMs ?? 30_000, (pair.expiresIn * 1000) / 4);
    return pair.accessExpiresAt.getTime() - this.now() <= margin;
  }

  private refreshFrom(pair: TokenPair): Promise<TokenPair | null> {
    // Joining a refresh already under way is right whatever pair the caller read: it is
    // replacing the newest stored pair, which is at least as new as the caller's.
    this.inflight ??= this.lockedRefresh(pair).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private lockedRefresh(pair: TokenPair): Promise<TokenPair | null> {
    const { storage } = this.options;
    const run = () => this.exchange(pair);
    return storage.lock ? storage.lock(run) : run();
  }

  private async exchange(pair: TokenPair): Promise<TokenPair | null> {
    const stored = await this.get();
    if (!stored) return null;
    // Replaced meanwhile: spending our refresh token again would look like theft to the server.
    if (stored.refreshToken !== pair.refreshToken) return stored;
    if (stored.refreshExpiresAt.getTime() <= this.now()) return this.expire();
    let fresh: TokenPair;
    try {
      fresh = this.rebase(toTokenPair(await this.options.refresh(stored.refreshToken)));
    } catch (error) {
      if (toAuthClientError(error).code !== 'unauthorized') throw error;
      // Without a storage lock another tab may have refreshed while we were refused: keep its pair.
      const now = await this.get();
      if (now && now.refreshToken !== stored.refreshToken) return now;
      return this.expire();
    }
    await this.options.storage.set(fresh);
    return fresh;
  }

  /**
   * The server's dates are on the server's clock. Deciding "expires soon" with a skewed local
   * clock would refresh on every call (clock ahead) or send dead tokens (behind), so a freshly
   * issued pair's dates are shifted by the skew: the access token was issued `expiresIn`
   * seconds before its expiry, and that moment is now here.
   */
  private rebase(pair: TokenPair): TokenPair {
    const skew = this.now() - (pair.accessExpiresAt.getTime() - pair.expiresIn * 1000);
    return {
      ...pair,
      accessExpiresAt: new Date(pair.accessExpiresAt.getTime() + skew),
      refreshExpiresAt: new Date(pair.refreshExpiresAt.getTime() + skew),
    };
  }

  private async expire(): Promise<null> {
    await this.options.storage.set(null);
    // Listeners run like event handlers: after this, and a throwing one does not break the call.
    for (const listener of this.expiredListeners) queueMicrotask(listener);
    return null;
  }
}
