import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ImproperlyConfigured } from '@koa-auth/core';
import type { AnyRouter } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Context, Middleware, Next } from 'koa';
import { Throttled } from '../errors.js';
import { createContext } from './context.js';
import { PayloadTooLarge } from './payload-too-large.js';
import { readBody } from './read-body.js';

export interface KoaTrpcOptions<TRouter extends AnyRouter> {
  router: TRouter;
  /** URL prefix. Default '/trpc' (the client's default). */
  prefix?: string;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Most calls in one batch (`/trpc/a,b,c?batch=1`); larger batches answer 400 before any call
   * runs. Default 10 — the typed client's batch size, so it never trips this.
   */
  maxBatchSize?: number;
}

/** koaTrpc's default `maxBatchSize` (the client SDK's `maxBatchItems` default is the same). */
export const DEFAULT_MAX_BATCH_SIZE = 10;

/**
 * Serves a tRPC router from Koa through tRPC's fetch adapter: HTTP batching, and subscriptions
 * as server-sent events that end when the client goes away. Place it after session(),
 * authMiddleware() and csrfProtection(), so mutations are CSRF-checked like any POST. Every
 * answer under the prefix carries `Cache-Control: no-store`; methods other than GET, HEAD and
 * POST get 405 with `Allow` (OPTIONS: 204 with `Allow`).
 */
export function koaTrpc<TRouter extends AnyRouter>(options: KoaTrpcOptions<TRouter>): Middleware {
  const prefix = (options.prefix ?? '/trpc').replace(/\/$/, '');
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  if (!Number.isSafeInteger(maxBatchSize) || maxBatchSize < 1) throw new ImproperlyConfigured('koaTrpc maxBatchSize must be a whole number >= 1.');

  return async function trpcMiddleware(ctx: Context, next: Next) {
    if (ctx.path !== prefix && !ctx.path.startsWith(`${prefix}/`)) return next();
    // Answers depend on the session or token: no shared cache may keep them, whatever they are.
    ctx.set('Cache-Control', 'no-store');
    if (!TRPC_METHODS.has(ctx.method)) {
      answerMethodNotAllowed(ctx);
      return;
    }
    let body: Buffer | undefined;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      try {
        body = await readBody(ctx.req, limit);
      } catch (error) {
        if (!(error instanceof PayloadTooLarge)) throw error;
        ctx.status = 413;
        ctx.body = { error: { code: 'PAYLOAD_TOO_LARGE', message: error.message } };
        ctx.set('Connection', 'close');
        return;
      }
    }
    const abort = new AbortController();
    ctx.req.once('close', () => abort.abort());
    // tRPC only reads the path and query: a fixed origin keeps a malformed Host header (which
    // would make ctx.href unparsable) from turning every call into a 500.
    const request = new Request(new URL(ctx.url, 'http://localhost'), {
      method: ctx.method,
      headers: toHeaders(ctx),
      body: body && body.length > 0 ? body : undefined,
      signal: abort.signal,
    });
    const response = await fetchRequestHandler({
      endpoint: prefix,
      req: request,
      router: options.router,
      maxBatchSize,
      createContext: () => createContext(ctx),
      onError({ error }) {
        // Unexpected failures go to Koa's usual error reporting (app.on('error')); the client
        // only ever sees "Internal server error.".
        if (error.code === 'INTERNAL_SERVER_ERROR') ctx.app.emit('error', error.cause ?? error, ctx);
      },
      responseMeta({ errors }) {
        const throttled = errors.map((e) => e.cause).find((c): c is Throttled => c instanceof Throttled);
        return throttled ? { headers: { 'Retry-After': String(throttled.retryAfterSeconds) } } : {};
      },
    });
    ctx.status = response.status;
    response.headers.forEach((value, key) => {
      if (key !== 'content-length') ctx.set(key, value);
    });
    if (!response.body) {
      ctx.body = null;
      return;
    }
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      // Stream subscriptions as they are produced, without buffering.
      ctx.req.socket.setNoDelay(true);
      ctx.body = Readable.fromWeb(response.body as unknown as NodeReadableStream);
      quietOnHangUp(ctx);
    } else {
      ctx.body = Buffer.from(await response.arrayBuffer());
    }
  };
}

// What tRPC's HTTP protocol uses (queries and subscriptions GET, mutations POST; tRPC answers
// HEAD itself). Anything else — TRACE, which the fetch Request cannot even represent, PUT,
// unknown tokens — is refused here, as an ordinary 405 rather than a logged 500.
const TRPC_METHODS = new Set(['GET', 'HEAD', 'POST']);
const ALLOW = 'GET, HEAD, POST, OPTIONS';

function answerMethodNotAllowed(ctx: Context): void {
  ctx.set('Allow', ALLOW);
  // OPTIONS asks which methods are allowed; CORS preflights are a CORS middleware's business.
  if (ctx.method === 'OPTIONS') {
    ctx.status = 204;
    return;
  }
  ctx.status = 405;
  ctx.body = { error: { code: 'METHOD_NOT_SUPPORTED', message: 'This method is not allowed on tRPC endpoints.' } };
}

/**
 * Every subscription ends with the client hanging up, which Koa reports as a "Premature close"
 * error of the response stream; for an event stream that is the normal end, not an error.
 */
function quietOnHangUp(ctx: Context): void {
  const report = ctx.onerror;
  ctx.onerror = (error: Error) => {
    if ((error as NodeJS.ErrnoException | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    report.call(ctx, error);
  };
}

function toHeaders(ctx: Context): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(ctx.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  return headers;
}
