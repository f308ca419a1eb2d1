import { ImproperlyConfigured, RemoteUserBackend, type AbstractUser, type Auth } from '@koa-auth/core';
import type { Context, Middleware, Next } from 'koa';
import { authRequestOf } from '../login/auth-request.js';
import { login } from '../login/login.js';
import { logout } from '../login/logout.js';
import { authStateOf } from './auth-state.js';
import { BACKEND_SESSION_KEY } from '../session/session-keys.js';
import { sessionOf } from '../session/session.js';

export interface RemoteUserOptions {
  /**
   * The request header a trusted front end (SSO proxy, web server) puts the user name in
   * (Django's REMOTE_USER). Default 'x-remote-user'. The front end MUST strip this header from
   * client requests: whoever can send it can log in as anyone.
   */
  header?: string;
}

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Django's RemoteUserMiddleware: logs in the user named by a trusted header through the
 * configured RemoteUserBackend (or AllowAllUsersRemoteUserBackend), persisting them in the
 * session with `login()` on the first request only. The header is read only by this middleware:
 * nothing honours it unless the app installs it, after session() and authMiddleware().
 *
 * - No header: nothing happens, except that a user logged in through a remote-user backend is
 *   logged out (the front end no longer vouches for them); users logged in any other way stay.
 * - A header naming the session's user: nothing to do (no query beyond loading the user).
 * - A header naming someone else: the previous remote user is logged out, the new one in.
 * - An empty header, an unknown name with `createUnknownUser: false`, or an inactive user
 *   (unless the AllowAll variant is configured): the request stays anonymous.
 * Requests authenticated by a bearer token or Basic credentials are left alone.
 */
export function remoteUserMiddleware(options: RemoteUserOptions = {}): Middleware {
  return remoteUser(options, true);
}

/**
 * Django's PersistentRemoteUserMiddleware: like remoteUserMiddleware, but a missing header does
 * not log the remote user out (for front ends that vouch only on the login page).
 */
export function persistentRemoteUserMiddleware(options: RemoteUserOptions = {}): Middleware {
  return remoteUser(options, false);
}

function remoteUser(options: RemoteUserOptions, forceLogoutIfNoHeader: boolean): Middleware {
  const header = (options.header ?? 'x-remote-user').toLowerCase();
  if (!HEADER_NAME.test(header)) throw new ImproperlyConfigured(`remoteUserMiddleware: ${JSON.stringify(options.header)} is not a header name.`);
  let checked = false;

  return async function remoteUserMiddleware(ctx: Context, next: Next) {
    const state = authStateOf(ctx);
    if (!checked) {
      if (!state.auth.backends.some((b) => b instanceof RemoteUserBackend)) {
        throw new ImproperlyConfigured('remoteUserMiddleware needs a RemoteUserBackend (or AllowAllUsersRemoteUserBackend) in createAuth({ backends }).');
      }
      checked = true;
    }
    const raw = ctx.headers[header];
    const authenticated = await state.authentication();
    // Another credential (bearer token, Basic) speaks for this request: not ours to change.
    if (authenticated && authenticated.via !== 'session') return next();

    if (raw === undefined) {
      if (forceLogoutIfNoHeader && authenticated) await removeRemoteUser(ctx, state.auth);
      return next();
    }
    const remote = Array.isArray(raw) ? raw.join(', ') : raw;
    if (authenticated) {
      if (authenticated.user.getUsername() === cleanUsername(ctx, state.auth, remote)) return next();
      // The session's user is not the one the front end vouches for now.
      await removeRemoteUser(ctx, state.auth);
    }
    if (remote !== '') {
      const user = await state.auth.authenticate(authRequestOf(ctx), { remoteUser: remote });
      if (user) {
        // logout() above ended the session object; login() needs one to write into.
        if (ctx.session === null) ctx.session = {};
        await login(ctx, user);
      }
    }
    return next();
  };
}

/** The session backend's view of the header value (Django cleans with the stored backend). */
function cleanUsername(ctx: Context, auth: Auth<AbstractUser>, remote: string): string {
  const backend = storedBackend(ctx, auth);
  return backend instanceof RemoteUserBackend ? backend.cleanUsername(remote) : remote;
}

/** Log out the session's user if a remote-user backend (or a backend no longer configured) logged them in. */
async function removeRemoteUser(ctx: Context, auth: Auth<AbstractUser>): Promise<void> {
  const backend = storedBackend(ctx, auth);
  if (!backend || backend instanceof RemoteUserBackend) await logout(ctx);
}

function storedBackend(ctx: Context, auth: Auth<AbstractUser>) {
  const name = sessionOf(ctx)?.[BACKEND_SESSION_KEY];
  return typeof name === 'string' ? auth.getBackend(name) : undefined;
}
