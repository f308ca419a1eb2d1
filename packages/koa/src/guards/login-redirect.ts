import type { Context } from 'koa';
import { safeRedirectPath } from '../redirect/safe-redirect.js';

/**
 * Answer with `302` to `loginUrl`, adding `?<redirectField>=<current path and query>` so the
 * login page can send the user back (Django's redirect_to_login). The current URL is
 * `ctx.originalUrl` (so it stays right under mounted sub-apps) and only ever a same-origin
 * path: an absolute-form request target (`GET http://evil.com/ HTTP/1.1`) or any other oddity
 * becomes `/`. With `redirectField` null or empty, no parameter is added.
 */
export function redirectToLogin(ctx: Context, loginUrl: string, redirectField: string | null): void {
  let location = loginUrl;
  if (redirectField) {
    const next = safeRedirectPath(ctx.originalUrl, '/');
    const [beforeHash = '', hash] = splitOnce(loginUrl, '#');
    const separator = beforeHash.includes('?') ? '&' : '?';
    location = `${beforeHash}${separator}${encodeURIComponent(redirectField)}=${encodeURIComponent(next)}${hash === undefined ? '' : `#${hash}`}`;
  }
  ctx.redirect(location);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
