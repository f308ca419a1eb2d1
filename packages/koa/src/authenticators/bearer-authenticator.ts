import { markBackend, type AbstractUser } from '@koa-auth/core';
import type { Context } from 'koa';
import { AuthenticationFailed } from '../errors.js';
import type { TokenService } from '../jwt/token-service.js';
import { authorizationCredentials } from './authorization-header.js';
import type { Authenticated, RequestAuthenticator } from './request-authenticator.js';

// RFC 6750 b64token: a JWT (three base64url parts and dots) always matches.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * `Authorization: Bearer <access token>` (DRF's JWTAuthentication over {@link TokenService}).
 *
 * - No Authorization header, or another scheme: `null` (not a bearer request; next authenticator).
 * - A bearer header whose token is missing, malformed, forged, expired, revoked, or whose user
 *   the backend named in the token no longer allows (deleted, deactivated), whose backend is no
 *   longer configured, or whose password changed since the token family was issued (the family
 *   is then revoked): AuthenticationFailed.
 * - Otherwise the user, marked with that backend, `via: 'bearer'`, `details.familyId` (the token
 *   family, e.g. for "log out this device").
 *
 * `challenge` is the WWW-Authenticate value to send with a 401.
 */
export function bearerAuthenticator<U extends AbstractUser = AbstractUser>(tokens: TokenService<U>): RequestAuthenticator<U> & { readonly challenge: string } {
  return {
    name: 'bearer',
    challenge: 'Bearer',
    async authenticate(ctx: Context): Promise<Authenticated<U> | null> {
      const token = authorizationCredentials(ctx, 'bearer');
      if (token === null) return null;
      if (!B64TOKEN.test(token)) throw new AuthenticationFailed();
      const { user, familyId, backend } = await tokens.authenticateAccess(token);
      return { user: markBackend(user, backend), via: 'bearer', details: { familyId } };
    },
  };
}
