import { parseRetryAfter, UnexpectedResponse } from '../errors/unexpected-response.js';

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** fetch's `credentials` (named here: the package compiles without the DOM library). */
export type Credentials = 'include' | 'omit' | 'same-origin';

/**
 * The fetch the HTTP links use: `fetchImpl` with the mode's credentials policy, refusing answers
 * that are not the API's JSON with {@link UnexpectedResponse} so their status is not lost.
 */
export function apiFetch(fetchImpl: FetchFn, credentials: Credentials): FetchFn {
  return async (input, init) => {
    const response = await fetchImpl(input, { ...init, credentials });
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (!type.includes('json')) {
      void response.body?.cancel().catch(() => undefined);
      throw new UnexpectedResponse(response.status, parseRetryAfter(response.headers.get('retry-after')));
    }
    return response;
  };
}
