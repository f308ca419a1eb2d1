import type { AbstractUser, Auth } from '@koa-auth/core';
import type { Middleware } from 'koa';
import type { RequestAuthenticator } from '../../src/authenticators/request-authenticator.js';
import { authMiddleware } from '../../src/middleware/auth.js';

/** Test-only header naming the request's user by id. */
export const TEST_USER_HEADER = 'x-test-user';

/**
 * authMiddleware(auth) with one test-only authenticator: the user is the active user whose id
 * the `x-test-user` header names, instead of a session or token. Everything else (AuthState,
 * the memoised getUser, what guards read through authStateOf) is the real thing.
 */
export function standInAuth(auth: Auth): Middleware {
  const byHeader: RequestAuthenticator<AbstractUser> = {
    name: 'test-header',
    async authenticate(ctx) {
      const id = ctx.get(TEST_USER_HEADER);
      const found = id ? await auth.users.getById(id) : null;
      return found?.isActive ? { user: found, via: 'test-header' } : null;
    },
  };
  return authMiddleware(auth, { authenticators: [byHeader] });
}
