/**
 * Error pages for page loads. Guards below throw koa-auth's typed errors (e.g. Forbidden from
 * `permissionRequired(…, { raise: true })`); for browsers asking for HTML they become a page
 * with the right status instead of authErrorHandler's JSON. Other callers (scripts asking for
 * JSON) still get the JSON answer. Unexpected errors get a 500 page and go to Koa's error
 * reporting; their text is never shown.
 */
import { authErrorStatus } from '@koa-auth/koa/internal';
import type { KoaContext, KoaMiddleware } from './koa.js';

export function htmlErrors(render: (ctx: KoaContext, status: number) => Promise<void>): KoaMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (ctx.headerSent || ctx.accepts('html', 'json') !== 'html') throw error;
      const status = authErrorStatus(error);
      if (status === null) ctx.app.emit('error', error, ctx);
      ctx.remove('Location');
      await render(ctx, status ?? 500);
      ctx.status = status ?? 500;
    }
  };
}
