import { markBackend, type AbstractUser, type Auth } from '@koa-auth/core';
import type { Context } from 'koa';
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY } from '../session/session-keys.js';
import { sessionOf } from '../session/session.js';
import type { Authenticated, RequestAuthenticator } from './request-authenticator.js';

/**
 * The session cookie (Django's get_user): the user stored in the session, if the backend that
 * logged them in is still configured, still allows them (`getUser`: e.g. not deactivated), and
 * the session auth hash still matches their password hash (or a hash it was upgraded from with
 * the same password). A hash made under a fallback secret is rewritten under the current one
 * and the session gets a new id. Otherwise the session is flushed.
 */
export function sessionAuthenticator<U extends AbstractUser = AbstractUser>(): RequestAuthenticator<U> {
  return {
    name: 'session',
    async authenticate(ctx: Context, auth: Auth<U>): Promise<Authenticated<U> | null> {
      const session = sessionOf(ctx);
      if (!session) return null;
      const userId = session[SESSION_KEY] as unknown;
      if (userId === undefined || userId === null) return null;
      const backendName = session[BACKEND_SESSION_KEY] as unknown;
      const backend = typeof backendName === 'string' ? auth.getBackend(backendName) : undefined;
      const user = backend && (typeof userId === 'number' || typeof userId === 'string') ? await backend.getUser(auth, userId) : null;
      const status = user ? auth.checkSessionAuthHash(user, session[HASH_SESSION_KEY]) : 'invalid';
      if (user && status === 'current') {
        return { user: markBackend(user, backend!.name), via: 'session' };
      }
      if (user && status === 'fallback') {
        // Signed under a secret being rotated out (Django's get_user): new id, current hash, so
        // the session outlives the removal of the fallback.
        session[HASH_SESSION_KEY] = auth.sessionAuthHash(user);
        await session.regenerate();
        return { user: markBackend(user, backend!.name), via: 'session' };
      }
      // Rare path (one store read): the password hash was upgraded at a login elsewhere.
      if (user && (await auth.isRehashedSession(user, session[HASH_SESSION_KEY]))) {
        session[HASH_SESSION_KEY] = auth.sessionAuthHash(user);
        return { user: markBackend(user, backend!.name), via: 'session' };
      }
      // A removed backend, a deactivated user or a changed password ends this session.
      ctx.session = null;
      return null;
    },
  };
}
