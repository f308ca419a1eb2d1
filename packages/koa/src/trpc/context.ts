import type { AbstractUser, AnonymousUser, Auth } from '@koa-auth/core';
import type { Context } from 'koa';
import { login } from '../login/login.js';
import { logout } from '../login/logout.js';
import { authStateOf, type AuthState } from '../middleware/auth-state.js';

/**
 * The tRPC context: the Koa ctx it came from, the lazy user, and login/logout bound to this
 * request. Building it costs nothing: the user is only resolved when a procedure asks.
 */
export interface AuthTrpcContext<U extends AbstractUser = AbstractUser> {
  koa: Context;
  auth: Auth<U>;
  state: AuthState<U>;
  getUser(): Promise<U | AnonymousUser>;
  login(user: U, backend?: string): Promise<void>;
  logout(): Promise<void>;
}

/**
 * Build the tRPC context from a Koa ctx that went through session() and authMiddleware() (throws
 * ImproperlyConfigured otherwise). Reads nothing: the user is resolved when a procedure asks.
 */
export function createContext<U extends AbstractUser = AbstractUser>(koa: Context): AuthTrpcContext<U> {
  const state = authStateOf<U>(koa);
  return {
    koa,
    auth: state.auth,
    state,
    getUser: () => state.getUser(),
    login: (user, backend) => login(koa, user, backend),
    logout: () => logout(koa),
  };
}
