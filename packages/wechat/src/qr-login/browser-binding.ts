/**
 * Binding a QR login to the browser that started it, so that only that browser can read its
 * status or complete it — whoever else learns the state (it is in the QR URL, the callback URL
 * and WeChat's logs) gets FORBIDDEN.
 *
 * - Cookie mode: a fresh secret per login in an httpOnly cookie set by `start` (see
 *   flow-cookie: a planted session cookie can never complete someone else's login).
 * - Bearer mode: a random `browserKey` per login, returned to the client that started it.
 * Only a SHA-256 of the secret is stored with the state; comparison is constant-time.
 */
import { constantTimeEqual, randomString } from '@koa-auth/core/internal';
import type { Context } from 'koa';
import { clearFlowCookie, digest, hasFlowCookie, issueFlowCookie } from '../browser/flow-cookie.js';

export interface BrowserBinding {
  kind: 'cookie' | 'key';
  /** base64url SHA-256 of the secret. */
  hash: string;
}

/** Name prefix of the per-login cookies. */
export const QR_COOKIE_PREFIX = 'wxqr_';
/** QR logins a browser may have pending at once (tabs); older ones are dropped. */
const MAX_PENDING = 5;
const KEY_PATTERN = /^[A-Za-z0-9]{43}$/;

/** Binds the login `state` to a new per-login cookie of this browser. */
export function bindToBrowserCookie(ctx: Context, state: string, ttlMs: number): BrowserBinding {
  return { kind: 'cookie', hash: issueFlowCookie(ctx, state, { prefix: QR_COOKIE_PREFIX, maxAgeMs: ttlMs, maxPending: MAX_PENDING }) };
}

/** A new browser key (bearer mode) and the binding to store. */
export function newBrowserKey(): { browserKey: string; binding: BrowserBinding } {
  const browserKey = randomString(43);
  return { browserKey, binding: { kind: 'key', hash: digest(browserKey) } };
}

/** True when this request comes from the browser the binding names. */
export function isSameBrowser(ctx: Context, state: string, binding: BrowserBinding, browserKey: string | undefined): boolean {
  if (binding.kind === 'cookie') return hasFlowCookie(ctx, state, binding.hash, QR_COOKIE_PREFIX);
  if (binding.kind !== 'key' || typeof browserKey !== 'string' || !KEY_PATTERN.test(browserKey)) return false;
  return constantTimeEqual(digest(browserKey), binding.hash);
}

/** Forget the per-login cookie of a finished login (cookie mode). */
export function releaseBrowserCookie(ctx: Context, state: string, binding: BrowserBinding): void {
  if (binding.kind === 'cookie') clearFlowCookie(ctx, state, QR_COOKIE_PREFIX);
}
