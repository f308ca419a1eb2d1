import { AuthError } from '@koa-auth/core';

/** Credentials were sent but are wrong, expired or revoked (401). The message is generic on purpose. */
export class AuthenticationFailed extends AuthError {
  constructor(message = 'Invalid or expired credentials.') {
    super('authentication_failed', message);
  }
}

/** The request needs a logged-in user and has none (401). */
export class NotAuthenticated extends AuthError {
  constructor(message = 'Authentication credentials were not provided.') {
    super('not_authenticated', message);
  }
}

/** The logged-in user may not do this (403). */
export class Forbidden extends AuthError {
  constructor(message = 'You do not have permission to perform this action.') {
    super('forbidden', message);
  }
}

/** Too many attempts (429); `retryAfterSeconds` goes into the Retry-After header. */
export class Throttled extends AuthError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('throttled', `Too many attempts. Try again in ${seconds} seconds.`);
    this.retryAfterSeconds = seconds;
  }
}

/** A cross-site or token-less unsafe request was refused (403). */
export class CsrfFailed extends AuthError {
  constructor(reason: string) {
    super('csrf_failed', `CSRF verification failed: ${reason}`);
  }
}

/**
 * The request's Host (or trusted X-Forwarded-Host) is missing or not an allowed host (400).
 * The message never echoes the host. `status`/`expose` let Koa's own error handling answer 400
 * with the message when authErrorHandler is not installed.
 */
export class DisallowedHost extends AuthError {
  readonly status = 400;
  readonly expose = true;
  constructor() {
    super('disallowed_host', 'Invalid Host header.');
  }
}
