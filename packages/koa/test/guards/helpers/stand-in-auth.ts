import { anonymousUser, type AbstractUser, type AnonymousUser, type Auth } from '@koa-auth/core';
import type { Middleware } from 'koa';

/** Test-only header naming the request's user by id. */
export const TEST_USER_HEADER = 'x-test-user';

/**
 * Stand-in for authMiddleware(auth): same `ctx.state` contract (memoised getUser, user promise,
 * auth), with the user taken from the `x-test-user` header instead of a session or token.
 */
export function standInAuth(auth: Auth): Middleware {
  return async (ctx, next) => {
    let user: Promise<AbstractUser | AnonymousUser> | undefined;
    const getUser = (): Promise<AbstractUser | AnonymousUser> => {
      user ??= (async () => {
        const id = ctx.get(TEST_USER_HEADER);
        const found = id ? await auth.users.getById(id) : null;
        return found?.isActive ? found : anonymousUser;
      })();
      return user;
    };
    // A stand-in for AuthState: the typed state (types/koa-state.ts) is read-only for apps.
    const state = ctx.state as Record<string, unknown>;
    state.auth = auth;
    state.getUser = getUser;
    Object.defineProperty(ctx.state, 'user', { get: getUser, enumerable: true, configurable: true });
    await next();
  };
}
