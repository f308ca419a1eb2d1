import { AuthError } from '@koa-auth/core';

// Keyed by the errors' stable `code` rather than their class, so subclasses (an app's own
// Forbidden variant) map like their parent. Only AuthErrors count: Node's own errors carry
// `code`s too, and a look-alike must never turn a crash into a tidy 4xx.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  invalid: 400, // ValidationError
  disallowed_host: 400, // DisallowedHost
  authentication_failed: 401, // AuthenticationFailed
  not_authenticated: 401, // NotAuthenticated
  invalid_credentials: 401, // InvalidCredentials
  forbidden: 403, // Forbidden
  permission_denied: 403, // PermissionDenied
  csrf_failed: 403, // CsrfFailed
  throttled: 429, // Throttled
  service_unavailable: 503, // ServiceUnavailable
};

/**
 * The HTTP status for one of koa-auth's typed errors, or null for anything else (including
 * ImproperlyConfigured, a programming error that must stay a 500):
 * ValidationError, DisallowedHost 400; AuthenticationFailed, NotAuthenticated, InvalidCredentials 401 (answer
 * with a `WWW-Authenticate` header); Forbidden, PermissionDenied, CsrfFailed 403; Throttled 429
 * (with `Retry-After`); ServiceUnavailable 503.
 */
export function authErrorStatus(error: unknown): number | null {
  if (!(error instanceof AuthError)) return null;
  return Object.hasOwn(STATUS_BY_CODE, error.code) ? (STATUS_BY_CODE[error.code] ?? null) : null;
}
