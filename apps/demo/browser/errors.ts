/**
 * What the visitor reads when a call fails. Wrong credentials keep the server's one generic
 * message (the same whether the account exists or not); throttling says how long to wait.
 */
import { toAuthClientError } from '@koa-auth/client';

export function messageFor(error: unknown): string {
  const e = toAuthClientError(error);
  switch (e.code) {
    case 'throttled':
      return `Too many attempts. Try again in ${e.retryAfter ?? 60} s.`;
    case 'network':
      return 'Cannot reach the server. Check your connection and try again.';
    case 'unavailable':
      return 'The service is temporarily unavailable. Please try again in a moment.';
    case 'server':
      return 'Something went wrong on our side. Please try again.';
    case 'forbidden':
      return e.reason === 'csrf_failed' ? 'This page is out of date. Reload it and try again.' : e.message;
    case 'unauthorized':
      // A procedure needing a login, called after the session ended (another tab logged out).
      return e.reason === 'not_authenticated' ? 'Your session has ended. Please log in again.' : e.message;
    default:
      return e.message;
  }
}
