import { ImproperlyConfigured } from '@koa-auth/core';

// What a trusted origin's host may look like once parsed: DNS labels, or a bracketed IPv6 address.
const HOSTNAME = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

/**
 * Build a predicate telling whether an `Origin` header value is one of `trusted` (Django's
 * CSRF_TRUSTED_ORIGINS): each entry is an origin with its scheme — `https://admin.example.com`,
 * `http://localhost:5173` — or a subdomain wildcard, `https://*.example.com`, which matches
 * any subdomain (not `example.com` itself). Ports must match (default ports may be omitted).
 * Invalid entries throw ImproperlyConfigured at startup.
 */
export function trustedOriginMatcher(trusted: readonly string[]): (origin: string) => boolean {
  const exact = new Set<string>();
  const wildcards: { protocol: string; suffix: string; port: string }[] = [];
  for (const entry of trusted) {
    const wildcard = /^([a-z][a-z0-9+.-]*:\/\/)\*\.(.+)$/i.exec(entry);
    // Parse the wildcard with a stand-in label so scheme, host and port are checked alike.
    const parsed = parseOrigin(wildcard ? `${wildcard[1]}x.${wildcard[2]}` : entry);
    if (!parsed || !HOSTNAME.test(parsed.hostname)) {
      throw new ImproperlyConfigured(`Trusted origin ${JSON.stringify(entry)} must look like https://example.com or https://*.example.com.`);
    }
    if (wildcard) {
      wildcards.push({ protocol: parsed.protocol, suffix: parsed.hostname.slice(1), port: parsed.port });
    } else {
      exact.add(parsed.origin);
    }
  }
  return (origin) => {
    const parsed = parseOrigin(origin);
    if (!parsed) return false;
    if (exact.has(parsed.origin)) return true;
    return wildcards.some((w) => parsed.protocol === w.protocol && parsed.port === w.port && parsed.hostname.endsWith(w.suffix));
  };
}

/**
 * Parse a serialised origin (`scheme://host[:port]`, nothing else); null for anything else,
 * including the opaque origin `null` that sandboxed frames and privacy redirects send.
 */
export function parseOrigin(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.origin === 'null' || url.username || url.password) return null;
  // Only a bare origin: `https://a.com/path` is not what an Origin header or an entry looks like.
  if (url.pathname !== '/' || url.search || url.hash || value.includes('?') || value.includes('#')) return null;
  return url;
}
