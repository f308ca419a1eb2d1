import { readCookie } from './environment.js';

/** Headers a caller adds to every request (tenant, locale, tracing…). */
export type HeadersProvider = () => Record<string, string> | Promise<Record<string, string>>;

export interface RequestHeaderOptions {
  /** Cookie mode reads the CSRF cookie (in browsers) and echoes it in `csrfHeaderName`. */
  csrf: { cookieName: string; headerName: string } | null;
  /** Sent as `Origin` (outside browsers only; a browser sets Origin itself and ignores ours). */
  origin: string | null;
  headers?: HeadersProvider;
}

/**
 * The headers of one request: Origin (outside browsers), the CSRF token (cookie mode, when the
 * page has the cookie), the caller's own, then `Authorization` (bearer mode, when logged in).
 */
export async function requestHeaders(options: RequestHeaderOptions, accessToken: string | null): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  if (options.origin) headers.origin = options.origin;
  if (options.csrf) {
    // Only browsers without Origin/Sec-Fetch-Site need it, but it costs nothing to send.
    const token = readCookie(options.csrf.cookieName);
    if (token) headers[options.csrf.headerName] = token;
  }
  Object.assign(headers, await options.headers?.());
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  return headers;
}
