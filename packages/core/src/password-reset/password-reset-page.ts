import { publicOrigin, urlOnOrigin } from '../mail/public-url.js';

/** The reset page's default path on the public origin. */
const DEFAULT_PASSWORD_RESET_PATH = '/reset-password';

/**
 * The absolute URL of the page that takes `?uid=…&token=…` (and calls the confirm step):
 * `path` on the site's public origin `publicUrl` (`https://example.com`). Throws
 * ImproperlyConfigured naming `publicUrl` or `passwordResetUrl` unless `publicUrl` is a bare
 * http(s) origin and `path` a path on it (no other host, query or fragment), so a transport
 * calls it once at startup and a bad setting stops the app there.
 */
export function passwordResetPageUrl(publicUrl: string, path: string = DEFAULT_PASSWORD_RESET_PATH): string {
  return urlOnOrigin(publicOrigin(publicUrl), path, 'passwordResetUrl').href;
}
