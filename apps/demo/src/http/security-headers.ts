/**
 * Headers for the demo's HTML pages. The Content-Security-Policy allows scripts and styles from
 * this origin only (the pages carry no inline script or style), frames from WeChat's QR page
 * origin and this site only, images from anywhere over https (avatars live on other hosts), and forbids
 * framing the pages themselves (clickjacking).
 */
import type { KoaContext } from './koa.js';

export function setPageSecurityHeaders(ctx: KoaContext, wechatOpenOrigin: string): void {
  ctx.set(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' https: data:",
      // WeChat's QR page, and this site: once confirmed, the framed page moves on to our callback.
      `frame-src 'self' ${wechatOpenOrigin}`,
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; '),
  );
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('X-Frame-Options', 'DENY');
  // Pages show who is logged in: never from a shared cache, never after logout via Back.
  ctx.set('Cache-Control', 'no-store');
}
