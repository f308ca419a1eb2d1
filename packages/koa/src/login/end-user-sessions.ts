import type { AbstractUser, Auth } from '@koa-auth/core';
import type { CredentialRevoker } from '../middleware/auth-state.js';
import { SessionStore } from '../session/session-store.js';
import { TokenService } from '../jwt/token-service.js';

/** Options of {@link endUserSessions}. */
export interface EndUserSessionsOptions {
  /** The app's session store (its key prefix). Default: sessions under `sess:` in `auth.store`. */
  sessions?: SessionStore;
  /** The app's TokenService (its key prefix). Default: a TokenService with default options on `auth`. */
  revoker?: CredentialRevoker;
  /** A session to keep: the one that just changed the password. */
  keepSessionId?: string;
}

/**
 * End every session and JWT family of a user now, on every instance sharing `auth.store`: what
 * a password change, a reset or "log out everywhere" needs. Callable outside a request (a CLI,
 * a script). Sessions and families elsewhere — another process's memory store — end at their
 * next use anyway, because both are bound to the password (session auth hash); this makes the
 * session and device lists agree at once.
 */
export async function endUserSessions<U extends AbstractUser>(auth: Auth<U>, userId: string | number, options: EndUserSessionsOptions = {}): Promise<void> {
  await (options.sessions ?? new SessionStore(auth.store)).destroyUserSessions(userId, options.keepSessionId);
  await (options.revoker ?? new TokenService(auth)).revokeUser(String(userId));
}
