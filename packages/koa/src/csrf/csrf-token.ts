import { ImproperlyConfigured, randomString } from '@koa-auth/core';
import type { Context } from 'koa';
import { CSRF_SESSION_KEY } from '../session/session-keys.js';
import { sessionOf } from '../session/session.js';

/** Default name of the readable cookie carrying the CSRF token to browser scripts. */
export const DEFAULT_CSRF_COOKIE_NAME = 'csrftoken';

/** Options of {@link ensureCsrfToken} and {@link rotateCsrfToken}. */
export interface CsrfCookieOptions {
  /** Cookie name; default: the one given to csrfProtection for this request, else `'csrftoken'`. */
  cookieName?: string;
}

// Django's CSRF_SECRET_LENGTH: 32 letters and digits, about 190 bits.
const SECRET_LENGTH = 32;
// Django's CSRF_COOKIE_AGE. The cookie is only a copy: the session holds the secret that counts.
const COOKIE_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

// csrfProtection records its cookie name here, so that rotateCsrfToken called from login code
// (which does not know the CSRF options) sets the cookie the app configured.
const cookieNames = new WeakMap<Context, string>();

/** Used by csrfProtection: the cookie name configured for this request. */
export function rememberCsrfCookieName(ctx: Context, cookieName: string): void {
  cookieNames.set(ctx, cookieName);
}

/** The session's CSRF secret, or null when there is no session or no secret yet. */
export function csrfSecret(ctx: Context): string | null {
  const value = sessionOf(ctx)?.[CSRF_SESSION_KEY];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The request's CSRF token, created in the session when missing, and (re)sent in a cookie
 * browser scripts can read (not httpOnly, SameSite=Lax, Secure over https) so they can echo it
 * in the `X-CSRF-Token` header. Only browsers that send neither Sec-Fetch-Site nor Origin need
 * it; call it from the route serving the page or an explicit `GET /csrf` endpoint. Needs the
 * session middleware (throws ImproperlyConfigured without it).
 */
export function ensureCsrfToken(ctx: Context, options: CsrfCookieOptions = {}): string {
  const session = requireSession(ctx);
  let secret = csrfSecret(ctx);
  if (secret === null) {
    secret = randomString(SECRET_LENGTH);
    session[CSRF_SESSION_KEY] = secret;
  }
  setCsrfCookie(ctx, secret, options);
  return secret;
}

/**
 * Replace the CSRF secret with a new one and send it in the cookie (Django's rotate_token).
 * Login calls it, so a token planted or read before login is worthless after it.
 */
export function rotateCsrfToken(ctx: Context, options: CsrfCookieOptions = {}): string {
  const session = requireSession(ctx);
  const secret = randomString(SECRET_LENGTH);
  session[CSRF_SESSION_KEY] = secret;
  setCsrfCookie(ctx, secret, options);
  return secret;
}

function setCsrfCookie(ctx: Context, secret: string, options: CsrfCookieOptions): void {
  const name = options.cookieName ?? cookieNames.get(ctx) ?? DEFAULT_CSRF_COOKIE_NAME;
  ctx.cookies.set(name, secret, {
    httpOnly: false,
    sameSite: 'lax',
    // ctx.secure honours app.proxy; Secure over plain http would make `cookies` throw.
    secure: ctx.secure,
    signed: false,
    overwrite: true,
    path: '/',
    maxAge: COOKIE_MAX_AGE_MS,
  });
}

function requireSession(ctx: Context): Record<string, unknown> {
  const session = sessionOf(ctx);
  if (!session) throw new ImproperlyConfigured('CSRF tokens need the session middleware to run first (ctx.session is missing).');
  return session;
}
