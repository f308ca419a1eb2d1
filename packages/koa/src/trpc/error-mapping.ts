import { AuthError, ValidationError, databaseUnavailable, fromZodError } from '@koa-auth/core';
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import { Throttled } from '../errors.js';
import { authErrorStatus } from '../http/error-status.js';

/**
 * The tRPC code answering with each status of the error table (http/error-status.ts): tRPC
 * turns these codes back into exactly these statuses, so an error thrown through a tRPC
 * procedure gets the status authErrorHandler would give it. A status without a code here
 * would stay INTERNAL_SERVER_ERROR (a test keeps the two tables in step).
 */
export const TRPC_CODE_BY_STATUS: Readonly<Record<number, TRPC_ERROR_CODE_KEY>> = Object.freeze({
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
});

/**
 * koa-auth's typed errors as tRPC errors with the code of their HTTP status (authErrorStatus);
 * the original error stays the `cause` so the formatter can add field errors and retry-after.
 * A database outage becomes SERVICE_UNAVAILABLE (503). Unknown errors stay
 * INTERNAL_SERVER_ERROR, with their message hidden by the formatter.
 */
export function toTrpcError(error: TRPCError): TRPCError {
  const outage = databaseUnavailable(error.cause);
  if (outage) return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: outage.message, cause: outage });
  const cause = error.cause;
  const status = authErrorStatus(cause);
  const code = status === null ? undefined : TRPC_CODE_BY_STATUS[status];
  if (code && cause instanceof AuthError) return new TRPCError({ code, message: cause.message, cause });
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
