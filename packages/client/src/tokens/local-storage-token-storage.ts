import { toTokenPair, type TokenPair } from './token-pair.js';
import type { TokenStorage } from './token-storage.js';

/** The part of the Web Storage API this needs (`localStorage`, `sessionStorage` or a stand-in). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Tokens in `localStorage` under `key`: they survive reloads and are shared by the tabs of
 * the origin. Anything running script on the page can read them (XSS); prefer cookie mode for
 * browser apps on the API's own site. Refreshes are serialised across tabs with the Web Locks
 * API where the browser has it.
 */
export function localStorageTokenStorage(key = 'koa-auth.tokens', storage?: WebStorageLike): TokenStorage {
  const store = (): WebStorageLike => {
    const s = storage ?? (globalThis as { localStorage?: WebStorageLike }).localStorage;
    if (!s) throw new TypeError('localStorageTokenStorage: there is no localStorage here; pass a storage.');
    return s;
  };
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return {
    get(): TokenPair | null {
      const raw = store().getItem(key);
      if (raw === null) return null;
      try {
        return toTokenPair(JSON.parse(raw));
      } catch {
        // Corrupt or foreign data under our key: treat as logged out rather than fail every call.
        return null;
      }
    },
    set(pair) {
      if (pair === null) store().removeItem(key);
      else store().setItem(key, JSON.stringify(pair));
    },
    ...(locks && { lock: <T>(fn: () => Promise<T>) => locks.request(`${key}:refresh`, fn) }),
  };
}
