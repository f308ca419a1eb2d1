import type { Operation } from '@trpc/client';

// Keys this client puts on an operation's context (OperationContext is a plain record).

/** The access token the bearer link chose for the call (null: send none). */
export const ACCESS_TOKEN = 'koaAuth.accessToken';
/** Set on the client's own calls (the refresh): no token, no retry, no side effects. */
export const INTERNAL = 'koaAuth.internal';

/** The access token to send for a batch: the calls in one batch left the bearer link together. */
export function accessTokenOf(ops: readonly Operation[]): string | null {
  for (const op of ops) {
    const token = op.context[ACCESS_TOKEN];
    if (typeof token === 'string') return token;
  }
  return null;
}

/** A WeChat QR login's browser key, sent as a header so it never sits in a URL. */
export const BROWSER_KEY = 'koaAuth.wechatBrowserKey';

/** The browser key of the calls in a batch, if one carries it. */
export function browserKeyOf(ops: readonly Operation[]): string | null {
  for (const op of ops) {
    const key = op.context[BROWSER_KEY];
    if (typeof key === 'string') return key;
  }
  return null;
}
