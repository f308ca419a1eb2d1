import { AuthClientError, type AuthClientErrorCode, type FieldErrors, type FieldIssue } from './auth-client-error.js';
import { toAuthClientError } from './to-auth-client-error.js';

/** An AuthClientError of one code. */
export type AuthClientErrorOf<C extends AuthClientErrorCode> = AuthClientError & { readonly code: C };

// The predicates below check the error itself: every error this client throws is an
// AuthClientError already. For errors from elsewhere, convert first with toAuthClientError.

/** Refused input; `fieldErrors` is set when the server could attribute the problem to fields. */
export function isValidationError(error: unknown): error is AuthClientErrorOf<'validation'> {
  return hasCode(error, 'validation');
}

/** No valid credentials: wrong password, expired session or token (401). */
export function isUnauthorized(error: unknown): error is AuthClientErrorOf<'unauthorized'> {
  return hasCode(error, 'unauthorized');
}

/** Not allowed, or refused by the CSRF check (403; `reason` is `csrf_failed` then). */
export function isForbidden(error: unknown): error is AuthClientErrorOf<'forbidden'> {
  return hasCode(error, 'forbidden');
}

/** Too many attempts: wait `retryAfter` seconds (set whenever the server or a Retry-After header said). */
export function isThrottled(error: unknown): error is AuthClientErrorOf<'throttled'> {
  return hasCode(error, 'throttled');
}

/** No usable answer from the server (offline, DNS, CORS, a proxy's error page). */
export function isNetworkError(error: unknown): error is AuthClientErrorOf<'network'> {
  return hasCode(error, 'network');
}

/** The caller aborted (AbortSignal). */
export function isAbortError(error: unknown): error is AuthClientErrorOf<'aborted'> {
  return hasCode(error, 'aborted');
}

/** A validation error with problems on `field` (on any field when omitted). */
export function isFieldError(error: unknown, field?: string): error is AuthClientErrorOf<'validation'> & { readonly fieldErrors: FieldErrors } {
  if (!isValidationError(error) || !error.fieldErrors) return false;
  return field === undefined ? Object.keys(error.fieldErrors).length > 0 : (error.fieldErrors[field]?.length ?? 0) > 0;
}

/** The problems with one field (empty when none) of any error, tRPC's included: render them next to that input. */
export function fieldIssues(error: unknown, field: string): FieldIssue[] {
  if (error === null || error === undefined) return [];
  const converted = toAuthClientError(error);
  return converted.code === 'validation' ? (converted.fieldErrors?.[field] ?? []) : [];
}

/** The first message for one field, or undefined: the common "one line under the input" case. */
export function fieldError(error: unknown, field: string): string | undefined {
  return fieldIssues(error, field)[0]?.message;
}

function hasCode(error: unknown, code: AuthClientErrorCode): boolean {
  return error instanceof AuthClientError && error.code === code;
}
