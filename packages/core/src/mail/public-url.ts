import { ImproperlyConfigured } from '../errors.js';

/**
 * The origin (`https://example.com`, `http://localhost:3000`) of a configured public URL, for
 * links in mail; throws ImproperlyConfigured naming `option` unless `value` is an absolute
 * http(s) URL with nothing after the host but an optional `/`. Links in mail are built only
 * from this, never from the request's Host header, which an attacker chooses.
 */
export function publicOrigin(value: string, option = 'publicUrl'): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  const isOrigin =
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.username &&
    !url.password &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash &&
    !/[?#]/.test(value);
  if (!isOrigin) {
    throw new ImproperlyConfigured(
      `${option} must be an http(s) origin such as https://example.com (no path, query or credentials); got ${JSON.stringify(value)}.`,
    );
  }
  return url!.origin;
}

/**
 * `path` (which must start with a single `/`, without query or fragment) resolved against
 * `origin`; throws ImproperlyConfigured naming `option` for anything else, in particular a value
 * that would leave the origin (`//evil.example`, a full URL).
 */
export function urlOnOrigin(origin: string, path: string, option: string): URL {
  const url = path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? new URL(path, origin) : null;
  if (url === null || url.origin !== origin || url.search || url.hash || /[?#]/.test(path)) {
    throw new ImproperlyConfigured(`${option} must be a path on publicUrl starting with '/', without query or fragment; got ${JSON.stringify(path)}.`);
  }
  return url;
}
