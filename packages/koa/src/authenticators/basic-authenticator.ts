import { ImproperlyConfigured, type AbstractUser, type Auth } from '@koa-auth/core';
import type { Context } from 'koa';
import { AuthenticationFailed } from '../errors.js';
import { authRequestWithoutUser } from '../login/auth-request.js';
import { loginCredentials } from '../login/login-credentials.js';
import { authorizationCredentials } from './authorization-header.js';
import type { Authenticated, RequestAuthenticator } from './request-authenticator.js';

/** Options of {@link basicAuthenticator}. */
export interface BasicAuthenticatorOptions {
  /** The protection space named in the WWW-Authenticate challenge (default 'api'). */
  realm?: string;
}

// Base64 of any sane username:password pair is far shorter; refuse the rest before decoding.
const MAX_CREDENTIALS_LENGTH = 4096;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * HTTP Basic authentication (RFC 7617; DRF's BasicAuthentication). Optional: meant for scripts
 * and API clients that cannot hold tokens, and only over HTTPS, since every request carries the
 * password in clear. Every request costs one password hash, so put throttling in front of it.
 *
 * - No Authorization header, or another scheme: `null`.
 * - Malformed credentials (bad base64, invalid UTF-8, no colon) or a username/password the
 *   configured backends reject: AuthenticationFailed.
 * - Otherwise the user (marked with the backend that accepted them), `via: 'basic'`.
 *
 * The credentials go to `auth.authenticate` in the shape loginCredentials chooses, as for the
 * login form: `{ identifier, password }` when a configured backend takes it (MixedLoginBackend),
 * else `{ username, password }`. `challenge` is the WWW-Authenticate value for a 401.
 */
export function basicAuthenticator<U extends AbstractUser = AbstractUser>(
  options: BasicAuthenticatorOptions = {},
): RequestAuthenticator<U> & { readonly challenge: string } {
  const realm = options.realm ?? 'api';
  // The realm is sent inside a quoted-string: refuse anything that would need escaping.
  if (!/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/.test(realm)) {
    throw new ImproperlyConfigured('basicAuthenticator: realm must be printable ASCII without quotes or backslashes.');
  }
  return {
    name: 'basic',
    challenge: `Basic realm="${realm}", charset="UTF-8"`,
    async authenticate(ctx: Context, auth: Auth<U>): Promise<Authenticated<U> | null> {
      const encoded = authorizationCredentials(ctx, 'basic');
      if (encoded === null) return null;
      const { username, password } = decodeBasicCredentials(encoded);
      const user = await auth.authenticate(authRequestWithoutUser(ctx), loginCredentials(auth, username, password));
      if (!user) throw new AuthenticationFailed();
      return { user, via: 'basic' };
    },
  };
}

/** RFC 7617 user-pass: base64 of UTF-8 `username:password`, split at the first colon. */
function decodeBasicCredentials(encoded: string): { username: string; password: string } {
  if (encoded.length === 0 || encoded.length > MAX_CREDENTIALS_LENGTH || !BASE64.test(encoded)) {
    throw new AuthenticationFailed();
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new AuthenticationFailed();
  }
  const colon = text.indexOf(':');
  if (colon < 0) throw new AuthenticationFailed();
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
