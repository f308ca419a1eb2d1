import type { Context, Middleware } from 'koa';
import { DisallowedHost } from '../errors.js';
import { allowedHostMatcher, hostWithoutPort } from './host-matcher.js';

/** Options of {@link allowedHosts}. */
export interface AllowedHostsOptions {
  /**
   * Requests for which the check is skipped, e.g. a load balancer's health check that addresses
   * the instance by its IP address. Default: none.
   */
  exempt?: (ctx: Context) => boolean;
}

/**
 * Koa middleware refusing requests whose host is not one of `hosts` (Django's ALLOWED_HOSTS),
 * with DisallowedHost (400) before anything further down runs. Install it right after the error
 * handler. The host is `X-Forwarded-Host` when `app.proxy` is true (its first value, as Koa's
 * `ctx.host` reads it), else the `Host` header (`:authority` on HTTP/2); its port is ignored.
 * Entries: `'example.com'` (exact), `'.example.com'` (the domain and its subdomains), `'[::1]'`
 * (IPv6 literal), `'*'` (any); case-insensitive. A missing or malformed host is refused.
 * An empty list or a malformed entry throws ImproperlyConfigured here, at startup.
 */
export function allowedHosts(hosts: readonly string[], options: AllowedHostsOptions = {}): Middleware {
  const isAllowed = allowedHostMatcher(hosts);
  const exempt = options.exempt;

  return async function allowedHostsMiddleware(ctx, next) {
    if (!exempt?.(ctx)) {
      const host = hostWithoutPort(rawHost(ctx));
      if (host === null || !isAllowed(host)) throw new DisallowedHost();
    }
    await next();
  };
}

// The header Koa's ctx.host reads, before Koa rewrites `user@host` values: a Host carrying
// userinfo is malformed and must be refused, not reinterpreted.
function rawHost(ctx: Context): string {
  let value = ctx.app.proxy ? ctx.get('x-forwarded-host') : '';
  if (!value && ctx.req.httpVersionMajor >= 2) value = ctx.get(':authority');
  if (!value) value = ctx.get('host');
  return (value.split(',', 1)[0] ?? '').trim();
}
