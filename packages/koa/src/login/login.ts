import { backendOf, constantTimeEqual } from '@koa-auth/core/internal';
import { ImproperlyConfigured, type AbstractUser } from '@koa-auth/core';
import type { Context } from 'koa';
import { rotateCsrfToken } from '../csrf/csrf-token.js';
import { authStateOf } from '../middleware/auth-state.js';
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, META_SESSION_KEY, SESSION_KEY } from '../session/session-keys.js';
import { sessionOf } from '../session/session.js';
import { authRequestOf } from './auth-request.js';

/**
 * Django's login(): persist `user` in a session under a NEW session id (session fixation), after
 * flushing a session that belonged to someone else or lacks a valid auth hash; anonymous data of
 * the same visitor is kept. Stores user id, backend name and session auth hash, rotates the
 * CSRF token, updates last_login and emits userLoggedIn.
 *
 * `backend` defaults to the backend that authenticated the user, or the only configured one.
 */
export async function login<U extends AbstractUser>(ctx: Context, user: U, backend?: string): Promise<void> {
  const state = authStateOf<U>(ctx);
  const { auth } = state;
  const session = sessionOf(ctx);
  if (!session) throw new ImproperlyConfigured('login() needs the session middleware.');
  const backendName = resolveBackend(
    state.auth.backends.map((b) => b.name),
    backend ?? backendOf(user),
  );
  const hash = auth.sessionAuthHash(user);

  const previousId = session[SESSION_KEY] as unknown;
  const previousHash = session[HASH_SESSION_KEY];
  if (
    previousId !== undefined &&
    previousId !== null &&
    (String(previousId) !== String(user.id) || typeof previousHash !== 'string' || !constantTimeEqual(previousHash, hash))
  ) {
    // Another user's (or a stale) session: nothing of it may carry over.
    for (const key of Object.keys(session.toJSON())) delete session[key];
  }

  // As a string, whatever the key type (Django stores the pk's str): read back with getById.
  session[SESSION_KEY] = String(user.id);
  session[BACKEND_SESSION_KEY] = backendName;
  session[HASH_SESSION_KEY] = hash;
  session[META_SESSION_KEY] = { createdAt: Date.now(), ip: ctx.ip, userAgent: (ctx.get('user-agent') || '').slice(0, 256) };
  rotateCsrfToken(ctx);
  // A new id for the logged-in session: the old id (possibly planted by an attacker) dies here.
  await session.regenerate();

  const now = new Date();
  await auth.userModel
    .query(auth.knex)
    .patch({ lastLogin: now } as object)
    .where('id', user.id);
  user.lastLogin = now;
  state.setAuthentication({ user, via: 'session' });
  await auth.events.emit('userLoggedIn', { user, backend: backendName, request: authRequestOf(ctx) });
}

function resolveBackend(configured: string[], wanted: string | undefined): string {
  if (wanted) {
    if (!configured.includes(wanted)) throw new ImproperlyConfigured(`Backend ${wanted} is not configured.`);
    return wanted;
  }
  if (configured.length === 1) return configured[0]!;
  throw new ImproperlyConfigured('Several authentication backends are configured: pass the backend to login(), or log in a user returned by authenticate().');
}
