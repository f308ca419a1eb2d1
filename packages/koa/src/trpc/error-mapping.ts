import { AuthError, ImproperlyConfigured, ValidationError } from '@koa-auth/core';
import { databaseUnavailable, fromZodError } from '@koa-auth/core/internal';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { Throttled } from '../errors.js';

const CODES: Record<string, TRPC_ERROR_CODE_KEY> = {
  invalid: 'BAD_REQUEST',
  one_credential_check_per_request: 'BAD_REQUEST',
  invalid_credentials: 'UNAUTHORIZED',
  authentication_failed: 'UNAUTHORIZED',
  not_authenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  permission_denied: 'FORBIDDEN',
  csrf_failed: 'FORBIDDEN',
  throttled: 'TOO_MANY_REQUESTS',
  service_unavailable: 'SERVICE_UNAVAILABLE',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
};

/**
 * koa-auth's typed errors as tRPC errors with the right code (and so the right HTTP status);
 * the original error stays the `cause` so the formatter can add field errors and retry-after.
 * A database outage becomes SERVICE_UNAVAILABLE (503). Unknown errors stay
 * INTERNAL_SERVER_ERROR, with their message hidden by the formatter.
 */
export function toTrpcError(error: TRPCError): TRPCError {
  const outage = databaseUnavailable(error.cause);
  if (outage) return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: outage.message, cause: outage });
  const cause = error.cause;
  if (cause instanceof AuthError && !(cause instanceof ImproperlyConfigured)) {
    const code = CODES[cause.code] ?? (cause instanceof ValidationError ? 'BAD_REQUEST' : undefined);
    if (code) return new TRPCError({ code, message: cause.message, cause });
  }
  return error;
}

/** Extra error data for clients: field errors of a ValidationError (or zod input error) and retry-after. */
export function errorData(error: TRPCError): { fieldErrors?: ValidationError['fields']; retryAfter?: number; authCode?: string } {
  const cause = error.cause;
  if (cause instanceof ValidationError) return { fieldErrors: cause.fields, authCode: cause.code };
  if (cause instanceof ZodError) return { fieldErrors: fromZodError(cause).fields, authCode: 'invalid' };
  if (cause instanceof Throttled) return { retryAfter: cause.retryAfterSeconds, authCode: cause.code };
  if (cause instanceof AuthError) return { authCode: cause.code };
  return {};
}
