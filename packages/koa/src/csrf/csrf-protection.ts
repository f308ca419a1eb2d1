import { constantTimeEqual } from '@koa-auth/core/internal';
import type { Context, Middleware } from 'koa';
import { CsrfFailed } from '../errors.js';
import { csrfSecret, DEFAULT_CSRF_COOKIE_NAME, rememberCsrfCookieName } from './csrf-token.js';
import { parseOrigin, trustedOriginMatcher } from './trusted-origins.js';

/** Options of {@link csrfProtection}. */
export interface CsrfProtectionOptions {
  /** Other origins allowed to send unsafe requests (see trustedOriginMatcher for the format). */
  trustedOrigins?: readonly string[];
  /** Header carrying the token when a browser sends neither Sec-Fetch-Site nor Origin (default `'x-csrf-token'`). */
  headerName?: string;
  /** Cookie that ensureCsrfToken/rotateCsrfToken write the token to (default `'csrftoken'`). */
  cookieName?: string;
  /** Requests for which the check is skipped (e.g. a webhook authenticated by signature). */
  exempt?: (ctx: Context) => boolean;
}

// RFC 9110 safe methods: they must not change state, so they are never checked.
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const BEARER = /^Bearer\s+\S/i;

/**
 * Koa middleware refusing cross-site unsafe requests with CsrfFailed (403); place it after the
 * session middleware. Requests pass when any of these holds, in order:
 *
 * 1. the method is safe (GET, HEAD, OPTIONS, TRACE), or `exempt(ctx)` is true;
 * 2. it carries `Authorization: Bearer …`: tokens are not sent ambiently by browsers, and a
 *    cross-site page cannot add that header without a CORS preflight the app would have to allow;
 * 3. `Sec-Fetch-Site` is present: it must be `same-origin` or `none` (user-initiated), or else
 *    `Origin` must be a trusted origin — `same-site` is refused, sibling subdomains are not trusted;
 * 4. otherwise `Origin` is present: it must equal the request's own origin (protocol and host,
 *    which honour `app.proxy`) or a trusted origin; `Origin: null` is refused;
 * 5. otherwise (old browsers and non-browser clients send neither header) the token header must
 *    equal the session's CSRF secret (see ensureCsrfToken), compared in constant time.
 */
export function csrfProtection(options: CsrfProtectionOptions = {}): Middleware {
  const headerName = options.headerName ?? 'x-csrf-token';
  const cookieName = options.cookieName ?? DEFAULT_CSRF_COOKIE_NAME;
  const isTrusted = trustedOriginMatcher(options.trustedOrigins ?? []);
  const exempt = options.exempt;

  return async function csrfProtectionMiddleware(ctx, next) {
    rememberCsrfCookieName(ctx, cookieName);
    if (!SAFE_METHODS.has(ctx.method) && !exempt?.(ctx) && !BEARER.test(ctx.get('authorization'))) {
      checkRequest(ctx, headerName, isTrusted);
    }
    await next();
  };
}

/**
 * Throws CsrfFailed unless `ctx` passes csrfProtection's checks 2–5 (bearer, Sec-Fetch-Site,
 * Origin, token header), whatever its method: for a handler that must be CSRF-safe even where
 * the app mounted no csrfProtection (e.g. one starting a login).
 */
export function verifyCsrf(ctx: Context, options: Pick<CsrfProtectionOptions, 'trustedOrigins' | 'headerName'> = {}): void {
  if (BEARER.test(ctx.get('authorization'))) return;
  checkRequest(ctx, options.headerName ?? 'x-csrf-token', trustedOriginMatcher(options.trustedOrigins ?? []));
}

function checkRequest(ctx: Context, headerName: string, isTrusted: (origin: string) => boolean): void {
  const site = ctx.get('sec-fetch-site').toLowerCase();
  const origin = ctx.get('origin');
  if (site !== '') {
    if (site === 'same-origin' || site === 'none') return;
    if (origin !== '' && isTrusted(origin)) return;
    throw new CsrfFailed('the request came from another site.');
  }
  if (origin !== '') {
    if (isSameOrigin(origin, ctx) || isTrusted(origin)) return;
    throw new CsrfFailed('the Origin header does not match this site or a trusted origin.');
  }
  const secret = csrfSecret(ctx);
  const token = ctx.get(headerName);
  if (secret === null || token === '') throw new CsrfFailed('CSRF token missing.');
  if (!constantTimeEqual(token, secret)) throw new CsrfFailed('CSRF token incorrect.');
}

function isSameOrigin(origin: string, ctx: Context): boolean {
  // Koa 3's ctx.origin echoes the Origin header; the site's own origin is protocol + host.
  const own = parseOrigin(`${ctx.protocol}://${ctx.host}`);
  const theirs = parseOrigin(origin);
  return own !== null && theirs !== null && own.origin === theirs.origin;
}
