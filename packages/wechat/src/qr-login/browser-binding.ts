/**
 * Binding a QR login to the browser that started it, so that only that browser can read its
 * status or complete it — whoever else learns the state (it is in the QR URL, the callback URL
 * and WeChat's logs) gets FORBIDDEN.
 *
 * - Cookie mode: a random per-browser secret kept in the server-side session (created on first
 *   use, never sent to the client).
 * - Bearer mode: a random `browserKey` per login, returned to the client that started it.
 * Only a SHA-256 of the secret is stored with the state; comparison is constant-time.
 */
import { createHash } from 'node:crypto';
import { constantTimeEqual, ImproperlyConfigured, randomString } from '@koa-auth/core';
import type { Context } from 'koa';

export interface BrowserBinding {
  kind: 'session' | 'key';
  /** base64url SHA-256 of the secret. */
  hash: string;
}

/** Session key of the per-browser secret. */
export const BROWSER_SECRET_SESSION_KEY = 'wechatQrBrowser';
const SECRET_LENGTH = 43;
const KEY_PATTERN = /^[A-Za-z0-9]{43}$/;

/** Binds to the session's browser secret, creating it on first use. Needs the session middleware. */
export function bindToSession(ctx: Context): BrowserBinding {
  const session = sessionOf(ctx);
  if (!session) throw new ImproperlyConfigured('WeChat QR login in cookie mode needs the session middleware (or use bearer mode).');
  let secret = session[BROWSER_SECRET_SESSION_KEY];
  if (typeof secret !== 'string' || !KEY_PATTERN.test(secret)) {
    secret = randomString(SECRET_LENGTH);
    session[BROWSER_SECRET_SESSION_KEY] = secret;
  }
  return { kind: 'session', hash: digest(secret as string) };
}

/** A new browser key (bearer mode) and the binding to store. */
export function newBrowserKey(): { browserKey: string; binding: BrowserBinding } {
  const browserKey = randomString(SECRET_LENGTH);
  return { browserKey, binding: { kind: 'key', hash: digest(browserKey) } };
}

/** True when this request comes from the browser the binding names. */
export function isSameBrowser(ctx: Context, binding: BrowserBinding, browserKey: string | undefined): boolean {
  const secret = binding.kind === 'key' ? browserKey : sessionOf(ctx)?.[BROWSER_SECRET_SESSION_KEY];
  if (typeof secret !== 'string' || !KEY_PATTERN.test(secret)) return false;
  return constantTimeEqual(digest(secret), binding.hash);
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** koa-session's `ctx.session`, typed without depending on koa-session's type augmentation. */
function sessionOf(ctx: Context): Record<string, unknown> | null | undefined {
  return (ctx as unknown as { session?: Record<string, unknown> | null }).session;
}
