import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { toAuthClientError } from '../errors/to-auth-client-error.js';

/**
 * First link of the chain: every error a call rejects with becomes an AuthClientError (still a
 * TRPCClientError), so callers switch on `error.code` whatever failed.
 */
export function errorLink(): TRPCLink<AnyRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        const subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          error: (error) => observer.error(toAuthClientError(error)),
          complete: () => observer.complete(),
        });
        return () => subscription.unsubscribe();
      });
}
