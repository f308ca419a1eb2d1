import type { AbstractUser } from '@koa-auth/core';
import type { Context } from 'koa';
import { authStateOf } from '../middleware/auth-state.js';
import { sessionOf } from '../session/session.js';
import { authRequestOf } from './auth-request.js';

/**
 * Django's logout(): emits userLoggedOut, destroys the session (server side and cookie), revokes
 * the bearer token family the request used, and makes the user anonymous for the rest of the
 * request.
 */
export async function logout<U extends AbstractUser>(ctx: Context): Promise<void> {
  const state = authStateOf<U>(ctx);
  const authenticated = await state.authentication();
  await state.auth.events.emit('userLoggedOut', { user: authenticated?.user ?? null, request: authRequestOf(ctx) });
  const familyId = authenticated?.details?.familyId;
  if (typeof familyId === 'string' && state.revoker) await state.revoker.revokeFamily(familyId);
  if (sessionOf(ctx)) ctx.session = null;
  state.setAuthentication(null);
  // The answer to a logout is about this user's session: never kept by a cache.
  ctx.set('Cache-Control', 'no-store');
}
