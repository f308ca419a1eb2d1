import type { HeadersProvider } from './request-headers.js';
import type { TokenStorage } from './tokens/token-storage.js';

/**
 * - `cookie`: the server's session cookie authenticates (browsers on the API's site; outside
 *   browsers the client keeps the API's cookies itself). Cookies are sent cross-origin too
 *   (`credentials: 'include'`).
 * - `bearer`: the client keeps a TokenPair and sends `Authorization: Bearer …`; it never sends
 *   cookies (mobile, desktop, CLI, services, third-party sites).
 */
export type AuthMode = 'cookie' | 'bearer';

export interface AuthClientOptions {
  /** The tRPC endpoint. Default `'/trpc'`; must be absolute outside browsers. */
  url?: string;
  mode: AuthMode;
  /** Bearer mode: where the TokenPair lives. Default: memoryTokenStorage(). */
  storage?: TokenStorage;
  /** Replaces the global fetch (instrumentation, tests). Outside browsers, cookie mode still adds its own cookie jar around it. */
  fetch?: typeof fetch;
  /** Extra headers for every request (not `Authorization`: bearer mode sets it). */
  headers?: HeadersProvider;
  /** Bearer mode: the server refused a refresh (session ended, revoked, token reuse); tokens are gone. */
  onSessionExpired?: () => void;
  /** Cookie mode: the CSRF cookie and header names (default `csrftoken` / `x-csrf-token`, the server's defaults). */
  csrf?: { cookieName?: string; headerName?: string };
  /**
   * Outside browsers: the `Origin` header to send, default the origin of `url`; `false` sends none.
   * koa-auth's CSRF check asks an unsafe request without Authorization for a same-site Origin
   * or the session's CSRF token; a non-browser client has no ambient browser credentials to
   * protect, so it declares the API's origin. Browsers set Origin themselves and ignore this.
   */
  origin?: string | false;
  /** Bearer mode: refresh when the access token has less than this left (ms; capped at a quarter of its lifetime). Default 30 000. */
  refreshMarginMs?: number;
}
