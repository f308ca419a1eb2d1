import type { TestAppRouter } from './support/app-router.js';
import { TRPCClientError } from '@trpc/client';
import { createAuthClient, isNetworkError, toAuthClientError, AuthClientError } from '../src/index.js';
import { parseRetryAfter } from '../src/errors/unexpected-response.js';

describe('toAuthClientError', () => {
  it('keeps the status of an answer that is not the API (a proxy page)', async () => {
    const proxy = (async () =>
      new Response('<h1>Bad gateway</h1>', { status: 503, headers: { 'content-type': 'text/html', 'retry-after': '30' } })) as typeof fetch;
    const client = createAuthClient<TestAppRouter>({ url: 'http://api.test/trpc', mode: 'cookie', fetch: proxy });
    const error = await client.auth.me.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthClientError);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect(error).toMatchObject({ code: 'unavailable', status: 503, retryAfter: 30 });
  });

  it('maps tRPC error shapes by their code', () => {
    const shaped = (code: string, httpStatus: number, extra = {}) =>
      new TRPCClientError('x', { result: { error: { code: -32000, message: 'x', data: { code, httpStatus, ...extra } } } });
    expect(toAuthClientError(shaped('FORBIDDEN', 403, { authCode: 'csrf_failed' }))).toMatchObject({ code: 'forbidden', status: 403, reason: 'csrf_failed' });
    expect(toAuthClientError(shaped('TOO_MANY_REQUESTS', 429, { retryAfter: 12 }))).toMatchObject({ code: 'throttled', retryAfter: 12 });
    expect(toAuthClientError(shaped('INTERNAL_SERVER_ERROR', 500))).toMatchObject({ code: 'server', status: 500 });
    expect(toAuthClientError(shaped('CONFLICT', 409))).toMatchObject({ code: 'conflict' });
  });

  it('treats fetch failures as network errors and aborts as AbortErrors', () => {
    expect(isNetworkError(toAuthClientError(new TypeError('fetch failed')))).toBe(true);
    const abort = toAuthClientError(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    expect(abort).toMatchObject({ code: 'aborted', name: 'AbortError' });
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(60);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
