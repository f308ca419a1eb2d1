import type { AbstractUser } from '@koa-auth/core';
import type { Context } from 'koa';
import { authStateOf } from '../middleware/auth-state.js';
import { endUserSessions } from './end-user-sessions.js';
import { HASH_SESSION_KEY, SESSION_KEY } from '../session/session-keys.js';
import { sessionIdOf, sessionOf, sessionStoreOf } from '../session/session.js';

/**
 * Django's update_session_auth_hash, called after `user`'s password changed: the current
 * session always gets a new id; it stores `user`'s new hash only when `user` is the session's
 * own user (an admin changing someone else's password keeps their own hash). Every other
 * session of `user` is deleted at once and every bearer token family of theirs is revoked
 * (through the middleware's revoker, else a default TokenService).
 * Sessions elsewhere would fail their hash check anyway; deleting them makes the "your
 * sessions" list and other instances agree now.
 */
export async function updateSessionAuthHash<U extends AbstractUser>(ctx: Context, user: U): Promise<void> {
  const state = authStateOf<U>(ctx);
  const session = sessionOf(ctx);
  const current = session !== null && String(session[SESSION_KEY]) === String(user.id);
  if (session) {
    if (current) session[HASH_SESSION_KEY] = state.auth.sessionAuthHash(user);
    await session.regenerate();
  }
  await endUserSessions(state.auth, user.id, {
    sessions: sessionStoreOf(ctx),
    ...(state.revoker ? { revoker: state.revoker } : {}),
    ...(current ? { keepSessionId: sessionIdOf(ctx) } : {}),
  });
}
