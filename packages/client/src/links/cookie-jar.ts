import type { FetchFn } from './api-fetch.js';

/** One stored cookie. */
interface StoredCookie {
  value: string;
  /** ms since the epoch; undefined for a session cookie (kept for the client's lifetime). */
  expiresAt: number | undefined;
  secure: boolean;
}

/** A fetch that keeps cookies, and its store (for tests and for `clearCookies`). */
export interface CookieJarFetch {
  fetch: FetchFn;
  /** Forget every cookie. */
  clear(): void;
  /** The live cookies sent to `origin`, by name (a copy). */
  cookies(origin: string): Map<string, string>;
}

/**
 * What a browser does for the client outside browsers (Node has no cookie store): keeps the
 * cookies the API sets and sends them back, so cookie mode works from Node with no wiring.
 *
 * Deliberately narrower than a browser: cookies are kept per origin and only ever sent back to
 * the origin that set them (no Domain sharing, no Path scoping: the client talks to one
 * endpoint); `Max-Age` / `Expires` are honoured (a past date or `Max-Age=0` deletes); `Secure`
 * cookies go only over https (or to a loopback host, as browsers allow).
 */
export function cookieJarFetch(base: FetchFn): CookieJarFetch {
  const jar = new Map<string, Map<string, StoredCookie>>();

  const live = (origin: string, secureContext: boolean): [string, string][] => {
    const cookies = jar.get(origin);
    if (!cookies) return [];
    const now = Date.now();
    const out: [string, string][] = [];
    for (const [name, cookie] of cookies) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) cookies.delete(name);
      else if (!cookie.secure || secureContext) out.push([name, cookie.value]);
    }
    return out;
  };

  const jarFetch: FetchFn = async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const secureContext = url.protocol === 'https:' || isLoopback(url.hostname);
    const headers = new Headers(init.headers);
    const sent = live(url.origin, secureContext);
    if (sent.length > 0 && !headers.has('cookie')) headers.set('cookie', sent.map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await base(input, { ...init, headers });
    const setCookies = response.headers.getSetCookie?.() ?? [];
    if (setCookies.length > 0) {
      let cookies = jar.get(url.origin);
      if (!cookies) jar.set(url.origin, (cookies = new Map()));
      for (const line of setCookies) store(cookies, line, secureContext);
    }
    return response;
  };

  return {
    fetch: jarFetch,
    clear: () => jar.clear(),
    cookies: (origin) => new Map(live(origin, true)),
  };
}

/** Apply one Set-Cookie line to `cookies` (RFC 6265 §5.2, the parts that matter for one origin). */
function store(cookies: Map<string, StoredCookie>, line: string, secureContext: boolean): void {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  let expiresAt: number | undefined;
  let maxAgeSeen = false;
  let secure = false;
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const arg = rest.join('=').trim();
    if (key === 'max-age' && /^-?\d+$/.test(arg)) {
      maxAgeSeen = true;
      expiresAt = Date.now() + Number(arg) * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const date = Date.parse(arg);
      if (!Number.isNaN(date)) expiresAt = date;
    } else if (key === 'secure') {
      secure = true;
    }
  }
  // A non-secure origin may not set Secure cookies (RFC 6265bis §5.6 step 9).
  if (secure && !secureContext) return;
  if (expiresAt !== undefined && expiresAt <= Date.now()) cookies.delete(name);
  else cookies.set(name, { value, expiresAt, secure });
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
