import { randomBytes } from 'node:crypto';
import { ImproperlyConfigured } from '@koa-auth/core';
import type { Context } from 'koa';
import { SMS_BINDING_SESSION_KEY } from '../session/session-keys.js';

/**
 * The secret that binds SMS codes to this browser: a random value kept in the server-side
 * session (made on first use, never sent to the client), so a code asked for in one browser
 * cannot be redeemed in another — not even by someone who knows the phone and the code. It
 * lives as long as the session (login keeps it, logout ends it); a client without the session
 * cookie (bearer-only) has a new session, and so a new binding, on every request.
 */
export function smsBinding(ctx: Context): string {
  const session = ctx.session;
  if (!session) throw new ImproperlyConfigured('SMS codes need the session middleware.');
  const existing = session[SMS_BINDING_SESSION_KEY];
  if (typeof existing === 'string' && existing.length > 0) return existing;
  const binding = randomBytes(32).toString('base64url');
  session[SMS_BINDING_SESSION_KEY] = binding;
  return binding;
}
