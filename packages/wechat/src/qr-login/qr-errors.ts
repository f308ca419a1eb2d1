/**
 * Errors of the QR flow, as core AuthErrors whose codes the tRPC layer maps to status codes
 * (`invalid` → BAD_REQUEST with field errors, `conflict` → CONFLICT, `permission_denied` →
 * FORBIDDEN). Messages are for end users and never carry a state, code or key.
 */
import { AuthError, PermissionDenied, ValidationError } from '@koa-auth/core';
import type { QrLoginReason } from './qr-types.js';

/** The state is unknown, expired, or was completed already. */
export function stateGone(): ValidationError {
  return ValidationError.field('state', 'state_invalid', 'This WeChat login has expired or was already used. Please start again.');
}

/** The state belongs to another browser. */
export function otherBrowser(): PermissionDenied {
  return new PermissionDenied('This WeChat login was started in another browser.');
}

/** `complete` before WeChat called back (code `conflict`: tRPC CONFLICT, HTTP 409); try again later. */
export class QrLoginNotReady extends AuthError {
  constructor() {
    super('conflict', 'The WeChat login has not been confirmed yet.');
  }
}

/** `complete` on a denied or failed login: the reason, as a field error on `state`. */
export function loginFailed(reason: QrLoginReason): ValidationError {
  return ValidationError.field('state', reason.code, reason.message);
}
