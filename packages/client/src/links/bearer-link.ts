import { TRPCClientError, type Operation, type OperationResultEnvelope, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';
import { toAuthClientError } from '../errors/to-auth-client-error.js';
import type { TokenManager } from '../tokens/token-manager.js';
import { ACCESS_TOKEN, INTERNAL } from './context-keys.js';
import { dropsTokens, sendsNoToken, tokensInResult } from './token-results.js';

/**
 * Bearer mode's link, for queries and mutations (subscriptions fetch their token when they
 * connect, see transport-link):
 *
 * 1. picks the access token for the call — refreshing first, once for all concurrent calls,
 *    when it is about to expire — and records it on the operation for the HTTP link's headers;
 * 2. on a 401 for that token, refreshes (unless a concurrent call already did) and retries the
 *    call exactly once; if the refresh is refused the call fails with its original 401;
 * 3. stores the pair answered by `auth.token`, `auth.refresh` and bearer `wechat.complete`, and
 *    drops the tokens after `auth.logout` — before the caller's promise settles.
 */
export function bearerLink(tokens: TokenManager): TRPCLink<AnyRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        if (op.type === 'subscription') {
          const subscription = next(op).subscribe(observer);
          return () => subscription.unsubscribe();
        }
        const internal = op.context[INTERNAL] === true;
        let current: Unsubscribable | null = null;
        let stopped = false;
        // Side effects (storing tokens) finish before the result is passed on.
        let settled: Promise<void> = Promise.resolve();
        const fail = (error: unknown) => observer.error(TRPCClientError.from(typeof error === 'object' && error !== null ? error : new Error(String(error))));

        const send = (token: string | null, mayRetry: boolean) => {
          if (stopped) return;
          const attempt: Operation = { ...op, context: { ...op.context, [ACCESS_TOKEN]: token } };
          current = next(attempt).subscribe({
            next(envelope: OperationResultEnvelope<unknown, TRPCClientError<AnyRouter>>) {
              settled = settled.then(() => afterResult(envelope)).then(() => observer.next(envelope));
              settled.catch(fail);
            },
            error(error) {
              if (mayRetry && token !== null && toAuthClientError(error).code === 'unauthorized') {
                tokens.recover(token).then(
                  async (retry) => (retry ? send(await tokens.accessToken(), false) : finishWithError(error)),
                  (refreshError: unknown) => fail(refreshError),
                );
                return;
              }
              finishWithError(error);
            },
            complete() {
              settled.then(
                () => observer.complete(),
                () => undefined,
              );
            },
          });
        };

        async function afterResult(envelope: OperationResultEnvelope<unknown, unknown>): Promise<void> {
          if (internal) return;
          if (dropsTokens(op.path)) return tokens.set(null);
          const result = envelope.result;
          if (!('data' in result)) return;
          const pair = tokensInResult(op.path, result.data);
          if (pair !== undefined && pair !== null) await tokens.setIssued(pair);
        }

        function finishWithError(error: TRPCClientError<AnyRouter>): void {
          // A failed logout still logs this client out: keeping tokens the user asked to drop is worse.
          const cleanup = !internal && dropsTokens(op.path) ? tokens.set(null) : Promise.resolve();
          cleanup.then(() => observer.error(error), fail);
        }

        if (internal || sendsNoToken(op.path)) send(null, false);
        else tokens.accessToken().then((token) => send(token, true), fail);

        return () => {
          stopped = true;
          current?.unsubscribe();
        };
      });
}
