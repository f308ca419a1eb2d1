import { httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { nativeEventSource } from '../environment.js';
import { apiFetch, type Credentials, type FetchFn } from './api-fetch.js';
import { accessTokenOf, browserKeyOf } from './context-keys.js';
import { FetchEventSource, type FetchEventSourceInit } from './fetch-event-source.js';

export interface TransportOptions {
  url: string;
  /** Cookie mode sends cookies cross-origin too; bearer mode never sends any. */
  credentials: Credentials;
  /** The caller's fetch, if any (a cookie jar in Node). */
  fetch: FetchFn | undefined;
  /** Headers for a request carrying `accessToken` (null: none). */
  headers(accessToken: string | null): Promise<Record<string, string>>;
  /** The access token for a subscription (re)connecting; null in cookie mode. */
  subscriptionToken(): Promise<string | null>;
  /** Whether the runtime's own EventSource will do (cookie mode, browser, no custom fetch). */
  useNativeEventSource: boolean;
  /** Most calls per batched request (httpBatchLink's maxItems). */
  maxBatchItems: number;
}

/** The server's default batch limit (koaTrpc `maxBatchSize`); the client never sends more per request. */
export const DEFAULT_MAX_BATCH_ITEMS = 10;

/**
 * The terminating links: subscriptions over server-sent events (`httpSubscriptionLink`), all
 * else batched over HTTP (`httpBatchLink`).
 *
 * Native EventSource can send no headers, so it is used only when cookies are all it needs.
 * Otherwise (bearer mode, Node, a custom fetch) a fetch-based EventSource sends the same
 * headers as the other calls — `Authorization` included — so the server needs nothing special
 * for authenticated subscriptions.
 */
export function transportLink(options: TransportOptions): TRPCLink<AnyRouter> {
  const base: FetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const native = options.useNativeEventSource ? nativeEventSource() : undefined;
  // Native EventSource takes a subset of FetchEventSource's init ({ withCredentials }), and the
  // link passes our init to whichever constructor it gets, so one type describes both.
  const EventSourceImpl = (native ?? FetchEventSource) as typeof FetchEventSource;

  return splitLink<AnyRouter>({
    condition: (op) => op.type === 'subscription',
    true: httpSubscriptionLink<AnyRouter, typeof FetchEventSource>({
      url: options.url,
      EventSource: EventSourceImpl,
      async eventSourceOptions({ op }): Promise<FetchEventSourceInit> {
        const withCredentials = options.credentials === 'include';
        if (native) return { withCredentials };
        const headers = withBrowserKey(await options.headers(await options.subscriptionToken()), browserKeyOf([op]));
        return { withCredentials, headers, fetch: (input, init) => base(input, { ...init, credentials: options.credentials }) };
      },
    }),
    false: httpBatchLink<AnyRouter>({
      url: options.url,
      fetch: apiFetch(base, options.credentials),
      maxItems: options.maxBatchItems,
      headers: async ({ opList }) => withBrowserKey(await options.headers(accessTokenOf(opList)), browserKeyOf(opList)),
    }),
  });
}

/** Add the WeChat browser key header when the call has one (bearer-mode QR login). */
function withBrowserKey(headers: Record<string, string>, key: string | null): Record<string, string> {
  return key ? { ...headers, [BROWSER_KEY_HEADER]: key } : headers;
}

/** The header the WeChat router reads the browser key from. */
const BROWSER_KEY_HEADER = 'x-wechat-browser-key';
