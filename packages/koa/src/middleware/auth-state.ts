import { anonymousUser, ImproperlyConfigured, type AbstractUser, type AnonymousUser, type Auth } from '@koa-auth/core';
import type { Context } from 'koa';
import type { Authenticated, RequestAuthenticator } from '../authenticators/request-authenticator.js';

/** Revokes what a bearer credential stands for at logout (the token service implements it). */
export interface CredentialRevoker {
  revokeFamily(familyId: string): Promise<unknown>;
  revokeUser(userId: string): Promise<unknown>;
}

/**
 * `ctx.state` once authMiddleware ran (Django's request.user through SimpleLazyObject): nothing
 * is read until the user is asked for; the first ask runs the authenticators once and every
 * later ask gets the same promise. One object per request, methods on the prototype.
 */
export class AuthState<U extends AbstractUser = AbstractUser> {
  [key: string]: unknown;
  /** @internal */ declare _ctx: Context;
  /** @internal */ declare _config: AuthConfig<U>;
  /** @internal */ declare _resolved: Promise<Authenticated<U> | null> | undefined;
  /** @internal */ declare _user: Promise<U | AnonymousUser> | undefined;

  constructor(ctx: Context, config: AuthConfig<U>) {
    // Plain fields (no defineProperty) keep construction cheap on every request.
    this._ctx = ctx;
    this._config = config;
    this._resolved = undefined;
    this._user = undefined;
  }

  /** The auth object. */
  get auth(): Auth<U> {
    return this._config.auth;
  }

  /** The token service (or other revoker) configured on the middleware, if any. */
  get revoker(): CredentialRevoker | undefined {
    return this._config.revoker;
  }

  /** The request's user or the anonymous user: a memoised promise (await it). */
  get user(): Promise<U | AnonymousUser> {
    return this.getUser();
  }

  /** The request's user or the anonymous user, resolved once per request. */
  getUser(): Promise<U | AnonymousUser> {
    return (this._user ??= this.authentication().then((a) => (a ? a.user : anonymousUser)));
  }

  /** How the request was authenticated (user, authenticator, details), or null for anonymous. */
  authentication(): Promise<Authenticated<U> | null> {
    return (this._resolved ??= runAuthenticators(this._ctx, this._config));
  }

  /** Replace the memoised outcome (login and logout do this for the rest of the request). */
  setAuthentication(authenticated: Authenticated<U> | null): void {
    this._resolved = Promise.resolve(authenticated);
    this._user = Promise.resolve(authenticated ? authenticated.user : anonymousUser);
  }
}

/** What authMiddleware was configured with (shared by every request). */
export interface AuthConfig<U extends AbstractUser> {
  auth: Auth<U>;
  authenticators: readonly RequestAuthenticator<U>[];
  revoker?: CredentialRevoker;
}

async function runAuthenticators<U extends AbstractUser>(ctx: Context, config: AuthConfig<U>): Promise<Authenticated<U> | null> {
  for (const authenticator of config.authenticators) {
    const result = await authenticator.authenticate(ctx, config.auth);
    if (result) return result;
  }
  return null;
}

/**
 * The AuthState of a request: the one way to read the request's user (`await
 * authStateOf(ctx).getUser()`) and its auth object, for guards, login/logout, tRPC and apps.
 * Throws ImproperlyConfigured (a programming error, so a 500) when authMiddleware did not run
 * before the caller.
 */
export function authStateOf<U extends AbstractUser = AbstractUser>(ctx: Context): AuthState<U> {
  const state = ctx.state as unknown;
  if (!(state instanceof AuthState)) throw new ImproperlyConfigured('koa-auth: authMiddleware(auth) must run before this middleware.');
  return state as AuthState<U>;
}
