import { ImproperlyConfigured, type AbstractUser, type Auth } from '@koa-auth/core';
import type { Context, Middleware, Next } from 'koa';
import type { RequestAuthenticator } from '../authenticators/request-authenticator.js';
import { sessionAuthenticator } from '../authenticators/session-authenticator.js';
import { AuthState, type CredentialRevoker } from './auth-state.js';

export interface AuthMiddlewareOptions<U extends AbstractUser> {
  /** Ordered request authenticators. Default: [sessionAuthenticator()]. */
  authenticators?: RequestAuthenticator<U>[];
  /** Revokes bearer credentials at logout and password change (pass the TokenService). */
  revoker?: CredentialRevoker;
}

/**
 * Django's AuthenticationMiddleware: gives every request a lazy `ctx.state.user` (a memoised
 * promise) and `ctx.state.getUser()`. A request that never asks costs no query and no store
 * read beyond koa-session's own.
 */
export function authMiddleware<U extends AbstractUser>(auth: Auth<U>, options: AuthMiddlewareOptions<U> = {}): Middleware {
  const authenticators = options.authenticators ?? [sessionAuthenticator<U>()];
  const config = { auth, authenticators, revoker: options.revoker };
  const needsSession = authenticators.some((a) => a.name === 'session');
  let checked = false;

  return function authenticationMiddleware(ctx: Context, next: Next) {
    if (!checked) {
      // koa-session defines ctx.session on app.context: without it sessions silently do nothing.
      if (needsSession && !('session' in ctx)) {
        throw new ImproperlyConfigured(
          'authMiddleware needs the session middleware: app.use(session({ auth })) must come before app.use(authMiddleware(auth)).',
        );
      }
      checked = true;
    }
    const previous = ctx.state;
    const state = new AuthState<U>(ctx, config);
    for (const key in previous) state[key] = previous[key];
    // AuthState<U> is what types/koa-state.ts declares ctx.state to be, for the app's model U.
    ctx.state = state as unknown as typeof ctx.state;
    return next();
  };
}
