import type { Context } from 'koa';

/** Path prefixes whose requests are API calls (JSON errors, never a login redirect) by default. */
export const DEFAULT_API_PREFIXES: readonly string[] = ['/api', '/trpc'];

/**
 * True when the request is a browser page load that should be redirected to the login page
 * rather than answered with a JSON 401/403. All of these must hold:
 *
 * - the path is not under one of `apiPrefixes` (segment-wise: `/api` covers `/api` and
 *   `/api/x`, not `/apidocs`);
 * - no `X-Requested-With` header (XHR libraries set it) and the body is not JSON;
 * - the `Accept` header names `text/html` explicitly and prefers it over JSON.
 *
 * The last rule is why `fetch()` with its default `Accept: *\/*`, curl and other programs get
 * JSON: only real navigations (whose Accept always lists text/html) are redirected, so a script
 * never receives a login page it cannot use.
 */
export function wantsHtml(ctx: Context, apiPrefixes: readonly string[] = DEFAULT_API_PREFIXES): boolean {
  if (isUnderPrefix(ctx.path, apiPrefixes)) return false;
  if (ctx.get('x-requested-with') !== '') return false;
  if (isJsonBody(ctx)) return false;
  if (!/\btext\/html\b/i.test(ctx.get('accept'))) return false;
  return ctx.accepts('html', 'json') === 'html';
}

function isUnderPrefix(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => {
    const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
    return path === base || path.startsWith(`${base}/`);
  });
}

function isJsonBody(ctx: Context): boolean {
  // Checked on the header itself: ctx.is() answers null for a request without a body.
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(ctx.get('content-type'));
}
