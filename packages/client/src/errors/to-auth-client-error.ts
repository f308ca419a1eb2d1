import { isTRPCClientError } from '@trpc/client';
import { AuthClientAbortError, AuthClientError, type AuthClientErrorCode, type FieldErrors } from './auth-client-error.js';
import { parseRetryAfter, UnexpectedResponse } from './unexpected-response.js';

// tRPC error codes (the server's `data.code`) → what a UI switches on.
const BY_TRPC_CODE: Record<string, AuthClientErrorCode> = {
  PARSE_ERROR: 'validation',
  BAD_REQUEST: 'validation',
  UNPROCESSABLE_CONTENT: 'validation',
  PAYLOAD_TOO_LARGE: 'validation',
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  TOO_MANY_REQUESTS: 'throttled',
  SERVICE_UNAVAILABLE: 'unavailable',
  BAD_GATEWAY: 'unavailable',
  GATEWAY_TIMEOUT: 'unavailable',
  CLIENT_CLOSED_REQUEST: 'aborted',
};

/** The `data` koa-auth's errorFormatter puts on every error (see @koa-auth/koa trpc.ts). */
interface KoaAuthErrorData {
  code?: unknown;
  httpStatus?: unknown;
  fieldErrors?: unknown;
  retryAfter?: unknown;
  authCode?: unknown;
}

/**
 * Any error from a tRPC call (or anything thrown near one) as an {@link AuthClientError}:
 * server errors keep their status, field errors, retry-after and koa-auth code; failures
 * without a usable answer become `network`; aborts become {@link AuthClientAbortError}. An
 * AuthClientError is returned unchanged.
 */
export function toAuthClientError(error: unknown): AuthClientError {
  if (error instanceof AuthClientError) return error;
  if (isAbort(error)) return new AuthClientAbortError(error);
  if (!isTRPCClientError(error)) return fromUnknown(error, error);
  if (error.cause instanceof AuthClientError) return error.cause;

  const data = (error.data ?? undefined) as KoaAuthErrorData | undefined;
  if (data && typeof data.code === 'string') {
    const status = typeof data.httpStatus === 'number' ? data.httpStatus : 0;
    const code = BY_TRPC_CODE[data.code] ?? 'server';
    const retryAfter = typeof data.retryAfter === 'number' ? data.retryAfter : retryAfterHeader(error.meta);
    return new AuthClientError(code, error.message, {
      status,
      cause: error,
      from: error,
      ...(isFieldErrors(data.fieldErrors) && { fieldErrors: data.fieldErrors }),
      ...(retryAfter !== undefined && { retryAfter }),
      ...(typeof data.authCode === 'string' && { reason: data.authCode }),
    });
  }
  // No tRPC error body: the request failed before or outside the API.
  if (isAbort(error.cause)) return new AuthClientAbortError(error.cause);
  const status = responseStatus(error.meta);
  if (status !== undefined) {
    const converted = fromStatus(status, error.message, error, retryAfterHeader(error.meta));
    const body = middlewareError(error.meta);
    if (!body) return converted;
    // Refused by koa-auth's Koa middleware (CSRF check, guards) before tRPC ran.
    return new AuthClientError(converted.code, body.message, {
      status,
      cause: error,
      reason: body.code,
      ...(isFieldErrors(body.fields) && { fieldErrors: body.fields }),
      ...(converted.retryAfter !== undefined && { retryAfter: converted.retryAfter }),
    });
  }
  return fromUnknown(error.cause ?? error, error);
}

function fromUnknown(inner: unknown, outer: unknown): AuthClientError {
  if (inner instanceof UnexpectedResponse) return fromStatus(inner.status, inner.message, outer, inner.retryAfter);
  // fetch rejects with a TypeError when there is no answer at all (offline, DNS, CORS). By
  // name: the TypeError may come from another realm (an iframe's fetch, Node's bundled undici).
  if (errorName(inner) === 'TypeError') return new AuthClientError('network', 'The server could not be reached.', { cause: outer });
  const message = inner instanceof Error ? inner.message : 'Unknown error.';
  return new AuthClientError('server', message, { cause: outer });
}

function fromStatus(status: number, message: string, cause: unknown, retryAfter: number | undefined): AuthClientError {
  const code: AuthClientErrorCode =
    status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not_found'
          : status === 409
            ? 'conflict'
            : status === 429
              ? 'throttled'
              : status === 400 || status === 413 || status === 422
                ? 'validation'
                : status === 502 || status === 503 || status === 504
                  ? 'unavailable'
                  : status >= 500
                    ? 'server'
                    : 'network';
  return new AuthClientError(code, message, { status, cause, ...(retryAfter !== undefined && { retryAfter }) });
}

function isAbort(error: unknown): boolean {
  return errorName(error) === 'AbortError';
}

function errorName(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
}

function isFieldErrors(value: unknown): value is FieldErrors {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every((issues) => Array.isArray(issues) && issues.every((i) => typeof i?.code === 'string' && typeof i?.message === 'string'));
}

/** The Response tRPC's HTTP links keep in `meta.response`, when there was one. */
function responseOf(meta: unknown): { status?: unknown; headers?: { get?(name: string): string | null } } | undefined {
  const response = (meta as { response?: unknown } | undefined)?.response;
  return typeof response === 'object' && response !== null ? (response as ReturnType<typeof responseOf>) : undefined;
}

/** The `{ error: { code, message, fields? } }` body of authErrorHandler (@koa-auth/koa), if that is what came back. */
function middlewareError(meta: unknown): { code: string; message: string; fields?: unknown } | undefined {
  const body = (meta as { responseJSON?: unknown } | undefined)?.responseJSON;
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, fields } = error as { code?: unknown; message?: unknown; fields?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message, fields } : undefined;
}

function responseStatus(meta: unknown): number | undefined {
  const status = responseOf(meta)?.status;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterHeader(meta: unknown): number | undefined {
  // Cross-origin, the header is only readable when the server exposes it (CORS); data.retryAfter always is.
  return parseRetryAfter(responseOf(meta)?.headers?.get?.('retry-after'));
}
