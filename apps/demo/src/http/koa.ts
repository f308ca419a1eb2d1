/**
 * Koa for the demo, typed. Koa 3 ships no type declarations and `@types/koa` is not among the
 * demo's dependencies, so the constructor is imported untyped and given the type Koa's own
 * context declares for its app (`ctx.app`), as seen through @koa-auth/koa's public signatures.
 * When `@types/koa` is added to the demo, the expect-error below fails the build: then replace
 * this file by `import Koa, { type Context, type Middleware } from 'koa'`.
 */
import type { login, loginRequired } from '@koa-auth/koa';
// @ts-expect-error -- TS7016: no declarations for 'koa' from this package (see above).
import KoaRuntime from 'koa';

/** Koa's request context (`koa.Context`). */
export type KoaContext = Parameters<typeof login>[0];
/** Koa middleware (`koa.Middleware`). */
export type KoaMiddleware = ReturnType<typeof loginRequired>;
/** A Koa application (`koa.Application`). */
export type KoaApp = KoaContext['app'];

/** Koa's constructor; `proxy: true` trusts X-Forwarded-* (only behind a proxy you run). */
export const Koa = KoaRuntime as new (options?: { proxy?: boolean; keys?: string[] }) => KoaApp;
