/**
 * Open-redirect protection (Django's url_has_allowed_host_and_scheme), stricter than Django on
 * purpose: a redirect target must survive *every* URL parser that may read it — ours, the
 * browser's WHATWG parser (which drops tabs/newlines, strips leading spaces and controls, and
 * treats `\` as `/`), and whatever proxy sits between. Rather than predict each parser, only a
 * plain, unambiguous form is accepted:
 *
 * - printable ASCII only (0x21–0x7E): no whitespace, no control characters, no Unicode
 *   lookalikes (`／`, `∕`, `＼`…); such characters must arrive percent-encoded;
 * - no backslash anywhere (browsers read it as `/` in http(s) URLs);
 * - either an absolute path (`/…` but not `//…`), or — for {@link isSafeRedirect} only —
 *   an absolute `http(s)://host/…` URL whose host is explicitly allowed.
 *
 * Relative references without a leading slash (`profile`, `http:evil.com`, `javascript:…`,
 * `?x=1`) are refused: their meaning depends on the current URL and, for `scheme:rest`, on
 * whether the browser thinks the scheme matches the page's.
 */

/** Options of {@link isSafeRedirect}. */
export interface SafeRedirectOptions {
  /**
   * Hosts (`example.com` or `example.com:8443`, compared case-insensitively; a port must be
   * listed unless it is the scheme's default) an absolute URL may point at. Default: none, so only same-origin paths pass.
   */
  allowedHosts?: readonly string[];
  /** Refuse absolute `http:` URLs (paths stay allowed: they inherit the page's scheme). */
  requireHttps?: boolean;
}

// Any base works: it only lets the WHATWG parser resolve a path, and the result must stay on it.
const PLACEHOLDER_BASE = 'http://redirect-check.invalid';
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const ABSOLUTE_HTTP = /^https?:\/\/[^/]/i;

/**
 * True when `url` is safe to put into a `Location` header: a same-origin absolute path, or an
 * absolute http(s) URL on one of `allowedHosts` (https only with `requireHttps`). Anything
 * that is not a non-empty string is unsafe.
 */
export function isSafeRedirect(url: unknown, options: SafeRedirectOptions = {}): boolean {
  if (!isPlainUrlText(url)) return false;
  if (isSafePath(url)) return true;
  return isAllowedAbsoluteUrl(url, options);
}

/**
 * `url` when it is a same-origin absolute path (see {@link isSafeRedirect}; absolute URLs are
 * never returned, whatever their host), else `fallback`. Use it for `?next=` values.
 */
export function safeRedirectPath(url: unknown, fallback = '/'): string {
  return isPlainUrlText(url) && isSafePath(url) ? url : fallback;
}

function isPlainUrlText(url: unknown): url is string {
  return typeof url === 'string' && PRINTABLE_ASCII.test(url) && !url.includes('\\');
}

/** `/…` but not `//…` (scheme-relative), and the browser resolves it to the same origin. */
function isSafePath(url: string): boolean {
  if (!url.startsWith('/') || url.startsWith('//')) return false;
  // Belt and braces: whatever the checks above missed, the WHATWG parser is what browsers use.
  const resolved = parse(url, PLACEHOLDER_BASE);
  // `/..//evil.com` resolves to the path `//evil.com`: same origin, but a trap for any code
  // that later redirects to the request's path.
  return resolved !== null && resolved.origin === PLACEHOLDER_BASE && !resolved.pathname.startsWith('//');
}

function isAllowedAbsoluteUrl(url: string, options: SafeRedirectOptions): boolean {
  const allowedHosts = (options.allowedHosts ?? []).map((host) => host.toLowerCase());
  // `https:///evil.com` and friends: the parser skips the extra slashes, Django refuses them.
  if (allowedHosts.length === 0 || !ABSOLUTE_HTTP.test(url)) return false;
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'https:' && (options.requireHttps || parsed.protocol !== 'http:')) return false;
  // `https://allowed.com@evil.com/` puts the "allowed" host in the credentials.
  if (parsed.username !== '' || parsed.password !== '') return false;
  // `host` includes a non-default port: allowing `example.com` does not allow `example.com:8443`.
  return allowedHosts.includes(parsed.host);
}

function parse(url: string, base?: string): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}
