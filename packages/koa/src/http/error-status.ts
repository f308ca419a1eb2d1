import { AuthError, ValidationError } from '@koa-auth/core';

/**
 * The one table from koa-auth's error codes to HTTP statuses: the Koa error middleware
 * (authErrorHandler) answers with these statuses and the tRPC layer picks the tRPC code of the
 * same status (trpc/error-mapping.ts), so an error maps the same way on both transports.
 *
 * Keyed by the errors' stable `code` rather than their class, so subclasses (an app's own
 * Forbidden variant) map like their parent. Codes missing here (improperly_configured,
 * anonymous_user, identifier_collision: programming or operator errors) stay 500s.
 */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = Object.freeze({
  invalid: 400, // ValidationError (any subclass, whatever its code: see authErrorStatus)
  disallowed_host: 400, // DisallowedHost
  one_credential_check_per_request: 400, // OneCredentialCheckPerRequest
  authentication_failed: 401, // AuthenticationFailed
  not_authenticated: 401, // NotAuthenticated
  invalid_credentials: 401, // InvalidCredentials
  forbidden: 403, // Forbidden
  permission_denied: 403, // PermissionDenied
  csrf_failed: 403, // CsrfFailed
  not_found: 404, // AuthError('not_found'): a feature or record the server does not have
  conflict: 409, // AuthError('conflict'), e.g. wechat's QrLoginNotReady
  payload_too_large: 413, // PayloadTooLarge
  throttled: 429, // Throttled
  service_unavailable: 503, // ServiceUnavailable
});

/**
 * The HTTP status for one of koa-auth's typed errors (see STATUS_BY_CODE), or null for anything
 * else, including AuthErrors whose code is not in the table (ImproperlyConfigured stays a
 * 500) and look-alikes: Node's own errors carry `code`s too, and those must never turn a crash
 * into a tidy 4xx. A ValidationError is 400 whatever its code. ValidationError,
 * DisallowedHost, OneCredentialCheckPerRequest 400; AuthenticationFailed, NotAuthenticated,
 * InvalidCredentials 401 (answer with a `WWW-Authenticate` header); Forbidden,
 * PermissionDenied, CsrfFailed 403; not_found 404; conflict 409; PayloadTooLarge 413;
 * Throttled 429 (with `Retry-After`); ServiceUnavailable 503.
 */
export function authErrorStatus(error: unknown): number | null {
  if (!(error instanceof AuthError)) return null;
  if (error instanceof ValidationError) return 400;
  return Object.hasOwn(STATUS_BY_CODE, error.code) ? (STATUS_BY_CODE[error.code] ?? null) : null;
}
