/** Koa and its types under the names the demo's files use. */
import KoaApplication, { type Context, type Middleware } from 'koa';

/** Koa's request context. */
export type KoaContext = Context;
/** Koa middleware. */
export type KoaMiddleware = Middleware;
/** A Koa application. */
export type KoaApp = KoaApplication;

/** Koa's constructor; `proxy: true` trusts X-Forwarded-* (only behind a proxy you run). */
export const Koa = KoaApplication;
