import { TRPCClientError } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

/** One problem with one input field, as the server reports it (`ValidationError.fields`). */
export interface FieldIssue {
  /** Machine-readable, e.g. `required`, `password_too_short`, `too_small`. */
  code: string;
  /** Human-readable, ready to show next to the field. */
  message: string;
}

/** Field name → its problems. Problems not tied to one field are under `__all__`. */
export type FieldErrors = Record<string, FieldIssue[]>;

/**
 * What went wrong, coarse enough to switch on in a UI:
 *
 * - `validation`: the input was refused (400/413/422); `fieldErrors` says where, when known.
 * - `unauthorized`: no valid credentials (401): wrong password, expired session or token.
 * - `forbidden`: authenticated but not allowed, or refused by the CSRF check (403).
 * - `not_found`, `conflict`: 404 and 409 (e.g. a feature the server did not enable).
 * - `throttled`: too many attempts (429); `retryAfter` says how many seconds to wait.
 * - `unavailable`: the server or one of its stores is down for now (502/503/504).
 * - `network`: no usable answer at all (offline, DNS, CORS, a proxy's HTML error page).
 * - `server`: an unexpected server error (500), or a code this client does not know.
 * - `aborted`: the caller cancelled (AbortSignal).
 * - `wechat_denied`, `wechat_expired`, `wechat_failed`: outcomes of a WeChat QR login.
 */
export type AuthClientErrorCode =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'throttled'
  | 'unavailable'
  | 'network'
  | 'server'
  | 'aborted'
  | 'wechat_denied'
  | 'wechat_expired'
  | 'wechat_failed';

export interface AuthClientErrorOptions {
  /** HTTP status of the answer; 0 when there was none (network, aborted). */
  status?: number;
  fieldErrors?: FieldErrors;
  retryAfter?: number;
  /** The server's own error code (`invalid_credentials`, `csrf_failed`, `throttled`, …). */
  reason?: string;
  cause?: unknown;
  /** The tRPC error this one replaces: its `shape`, `data` and `meta` are kept. */
  from?: TRPCClientError<AnyRouter>;
}

/**
 * Every error this client throws — from the typed procedures (`client.auth.login.mutate()`)
 * as well as from the helpers — and what {@link toAuthClientError} makes of anything else.
 * Switch on `code`; `reason` carries the server's finer code.
 *
 * It extends TRPCClientError, so code written for tRPC (`e.data?.code`, `isTRPCClientError`,
 * React Query's error typing) keeps working: `shape`, `data` and `meta` are the original's.
 */
export class AuthClientError extends TRPCClientError<AnyRouter> {
  readonly code: AuthClientErrorCode;
  /** HTTP status of the answer; 0 when there was none. */
  readonly status: number;
  /** Per-field problems, for `validation` errors the server could attribute to fields. */
  readonly fieldErrors?: FieldErrors;
  /** Seconds to wait before trying again, for `throttled` errors. */
  readonly retryAfter?: number;
  /** The server's own error code when it sent one (`invalid_credentials`, `csrf_failed`, …). */
  readonly reason?: string;

  constructor(code: AuthClientErrorCode, message: string, options: AuthClientErrorOptions = {}) {
    const from = options.from;
    super(message, {
      ...(from?.shape ? { result: { error: from.shape } } : {}),
      ...(from?.meta ? { meta: from.meta } : {}),
      // Not `instanceof Error`: fetch's errors may come from another realm.
      ...(typeof options.cause === 'object' && options.cause !== null ? { cause: options.cause as Error } : {}),
    });
    this.name = 'AuthClientError';
    this.code = code;
    this.status = options.status ?? 0;
    if (options.fieldErrors !== undefined) this.fieldErrors = options.fieldErrors;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.reason !== undefined) this.reason = options.reason;
    // TRPCClientError's constructor pins the prototype to its own; restore the subclass's.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * The caller's AbortSignal fired. `name` is `'AbortError'`, like a DOMException from fetch,
 * so code that already ignores aborts (`e.name === 'AbortError'`) keeps working.
 */
export class AuthClientAbortError extends AuthClientError {
  constructor(reason?: unknown) {
    super('aborted', 'The operation was aborted.', { cause: reason });
    this.name = 'AbortError';
  }
}
