import { AuthError, databaseUnavailable, type FieldIssue } from '@koa-auth/core';
import type { Middleware } from 'koa';
import { authErrorStatus } from '../http/error-status.js';

/** Options of {@link authErrorHandler}. */
export interface AuthErrorHandlerOptions {
  /**
   * `WWW-Authenticate` value sent with every 401 (RFC 9110 requires one); null leaves it out.
   * Default `'Bearer realm="api"'`: a Bearer challenge never makes browsers show a password box.
   */
  wwwAuthenticate?: string | null;
}

/** The JSON body of an error answer. */
export interface AuthErrorBody {
  error: { code: string; message: string; fields?: Record<string, FieldIssue[]>; retryAfter?: number };
}

/**
 * Koa middleware answering koa-auth's typed errors thrown further down (see
 * {@link authErrorStatus}) with their status and `{ error: { code, message, fields?, retryAfter? } }`,
 * plus `Retry-After` for Throttled and `WWW-Authenticate` for 401s. Only the code, the message
 * (written for end users, never holding secrets) and ValidationError's fields are sent — never a
 * stack or cause. Every other error is rethrown unchanged for the app's own handling.
 */
export function authErrorHandler(options: AuthErrorHandlerOptions = {}): Middleware {
  const wwwAuthenticate = options.wwwAuthenticate === undefined ? 'Bearer realm="api"' : options.wwwAuthenticate;

  return async function authErrorHandlerMiddleware(ctx, next) {
    try {
      await next();
    } catch (thrown) {
      // A database outage is a 503 like a store outage, not a 500.
      const error = databaseUnavailable(thrown) ?? thrown;
      const status = authErrorStatus(error);
      // Once headers are out, the status can no longer change: let Koa deal with it.
      if (status === null || !(error instanceof AuthError) || ctx.headerSent) throw thrown;
      // A redirect prepared before the error must not ride along on a 4xx answer.
      ctx.remove('Location');
      ctx.status = status;
      if (status === 401 && wwwAuthenticate) ctx.set('WWW-Authenticate', wwwAuthenticate);
      const retryAfter = retryAfterSeconds(error);
      if (retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
      ctx.body = errorBody(error, retryAfter);
    }
  };
}

function errorBody(error: AuthError, retryAfter: number | undefined): AuthErrorBody {
  const body: AuthErrorBody = { error: { code: error.code, message: error.message } };
  // Also in the body: cross-origin pages cannot read Retry-After unless CORS exposes it.
  if (retryAfter !== undefined) body.error.retryAfter = retryAfter;
  const fields = (error as { fields?: unknown }).fields;
  if (typeof fields === 'object' && fields !== null) body.error.fields = fields as Record<string, FieldIssue[]>;
  return body;
}

function retryAfterSeconds(error: AuthError): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}
