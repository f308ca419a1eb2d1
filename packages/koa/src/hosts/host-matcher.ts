import { ImproperlyConfigured } from '@koa-auth/core';

// Django's host_validation_re: DNS-ish labels or a bracketed IPv6 literal, then an optional port.
// Anything else (userinfo, spaces, commas, paths) is not a host a browser would send.
const HOST_HEADER = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?$/;
// An allowed-hosts entry: '*', a name (optionally with a leading dot), or a bracketed IPv6 literal; no port.
const ENTRY = /^(?:\*|\.?[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[a-f0-9]*:[a-f0-9.:]+\])$/;

/**
 * The host name of a Host header value, lower-cased, without its port and without a trailing
 * dot (`Example.COM.:8080` → `example.com`, `[::1]:3000` → `[::1]`); null when the value is not
 * a well-formed host (empty, userinfo, spaces, several values…).
 */
export function hostWithoutPort(value: string): string | null {
  const match = HOST_HEADER.exec(value.toLowerCase());
  if (!match) return null;
  const host = match[1]!;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name === '' ? null : name;
}

/**
 * A predicate telling whether a host name (as returned by {@link hostWithoutPort}) is one of
 * `entries`, with Django's ALLOWED_HOSTS rules: `'example.com'` matches exactly, `'.example.com'`
 * matches example.com and every subdomain, `'*'` matches any host; case-insensitive. An empty
 * list, or an entry with a port, scheme or other junk, throws ImproperlyConfigured.
 */
export function allowedHostMatcher(entries: readonly string[]): (host: string) => boolean {
  if (entries.length === 0) {
    throw new ImproperlyConfigured("allowedHosts needs at least one host (use ['*'] to allow any, which disables the check).");
  }
  const exact = new Set<string>();
  const domains: string[] = [];
  let any = false;
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!ENTRY.test(entry)) {
      throw new ImproperlyConfigured(
        `Allowed host ${JSON.stringify(raw)} must be a host name without scheme or port: 'example.com', '.example.com', '[::1]' or '*'.`,
      );
    }
    if (entry === '*') any = true;
    else if (entry.startsWith('.')) domains.push(entry);
    else exact.add(entry);
  }
  return (host) => {
    if (any || exact.has(host)) return true;
    return domains.some((domain) => host.endsWith(domain) || host === domain.slice(1));
  };
}
