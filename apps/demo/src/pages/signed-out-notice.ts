/**
 * "You were signed out": a browser whose session ended without it logging out — revoked from
 * another device, ended by a password change elsewhere, or expired — is told so on the login
 * page it lands on, instead of finding itself there with no word of why.
 *
 * A page request that still carries a (correctly signed) session cookie, but whose session is
 * gone from the store or was just ended by the authenticator, is such a browser. It gets a
 * short-lived flag cookie for the login page, and its dead session cookie is dropped, so the
 * notice shows once. Logging out removes the cookie itself, so it never triggers this.
 */
import { authStateOf, sessionOf } from '@koa-auth/koa';
import type { KoaContext } from '../http/koa.js';

/** The session cookie's name (koa-auth's `session()` default, which the demo uses). */
const SESSION_COOKIE = 'sessionid';
const FLAG_COOKIE = 'signed_out';
const FLAG_MAX_AGE_MS = 10 * 60 * 1000;

/** Requests that found their session ended (a login page opened directly shows the notice at once). */
const endedHere = new WeakSet<KoaContext>();

/** On a page GET: when the browser's session has ended under it, set the flag and drop the dead cookie. */
export async function noteEndedSession(ctx: KoaContext): Promise<void> {
  if (ctx.method !== 'GET' || ctx.cookies.get(SESSION_COOKIE, { signed: true }) === undefined) return;
  if ((await authStateOf(ctx).getUser()).isAuthenticated) return;
  const session = sessionOf(ctx);
  // An anonymous session that still exists (not new) has not ended.
  if (session && !session.isNew) return;
  (ctx as unknown as { session: null }).session = null;
  endedHere.add(ctx);
  ctx.cookies.set(FLAG_COOKIE, '1', { httpOnly: true, sameSite: 'lax', maxAge: FLAG_MAX_AGE_MS, overwrite: true });
}

/** True, once, when the browser was found signed out: the flag is cleared as it is read. */
export function takeSignedOutNotice(ctx: KoaContext): boolean {
  if (ctx.cookies.get(FLAG_COOKIE) !== '1' && !endedHere.has(ctx)) return false;
  ctx.cookies.set(FLAG_COOKIE, null, { overwrite: true });
  return true;
}
