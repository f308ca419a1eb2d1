/** Token storage for WeChat Mini Programs, which have no localStorage: `wx.getStorageSync` and friends. */
import type { TokenPair } from './token-pair.js';
import type { TokenStorage } from './token-storage.js';

/** The part of the Mini Program's `wx` object this storage uses. */
export interface WxStorageLike {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: string): void;
  removeStorageSync(key: string): void;
}

/**
 * The pair in the Mini Program's local storage under `key` (default `koa-auth:tokens`), so a
 * login survives the Mini Program being closed. Dates come back as strings; the client revives them.
 */
export function wxStorageTokenStorage(wx: WxStorageLike, key = 'koa-auth:tokens'): TokenStorage {
  return {
    get() {
      const raw = wx.getStorageSync(key);
      if (typeof raw !== 'string' || raw === '') return null;
      try {
        return JSON.parse(raw) as TokenPair;
      } catch {
        return null;
      }
    },
    set(pair) {
      if (pair === null) wx.removeStorageSync(key);
      else wx.setStorageSync(key, JSON.stringify(pair));
    },
  };
}
