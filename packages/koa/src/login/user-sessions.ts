import { createHash } from 'node:crypto';
import type { AbstractUser } from '@koa-auth/core';
import type { Context } from 'koa';
import { META_SESSION_KEY } from '../session/session-keys.js';
import { sessionIdOf, sessionStoreOf } from '../session/session.js';

/** One of a user's sessions as shown to them; `id` is a digest, never the session key itself. */
export interface SessionInfo {
  id: string;
  current: boolean;
  createdAt: number | null;
  ip: string | null;
  userAgent: string | null;
}

/** A public handle for a session: the key is a credential and is never shown. */
function publicId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url').slice(0, 22);
}

/**
 * The live sessions of `user` (SessionInfo: login time, address, user agent, the current one
 * marked), each under a public digest id: session keys are credentials and never leave the server.
 * Throws ImproperlyConfigured without the session middleware.
 */
export async function listUserSessions(ctx: Context, user: AbstractUser): Promise<SessionInfo[]> {
  const currentId = sessionIdOf(ctx);
  const sessions = await sessionStoreOf(ctx).userSessions(user.id);
  return sessions.map(([id, data]) => {
    const meta = (data[META_SESSION_KEY] ?? {}) as { createdAt?: number; ip?: string; userAgent?: string };
    return {
      id: publicId(id),
      current: id === currentId,
      createdAt: typeof meta.createdAt === 'number' ? meta.createdAt : null,
      ip: typeof meta.ip === 'string' ? meta.ip : null,
      userAgent: typeof meta.userAgent === 'string' ? meta.userAgent : null,
    };
  });
}

/** End one of `user`'s sessions by its public id; false when no such session is theirs. */
export async function revokeUserSession(ctx: Context, user: AbstractUser, id: string): Promise<boolean> {
  const store = sessionStoreOf(ctx);
  for (const [sessionId] of await store.userSessions(user.id)) {
    if (publicId(sessionId) !== id) continue;
    if (sessionId === sessionIdOf(ctx)) ctx.session = null;
    await store.destroy(sessionId);
    return true;
  }
  return false;
}
