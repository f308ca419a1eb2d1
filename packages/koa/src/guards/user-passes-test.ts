import type { AbstractUser, AnonymousUser } from '@koa-auth/core';
import type { Context, Middleware } from 'koa';
import { Forbidden, NotAuthenticated } from '../errors.js';
import { authStateOf } from '../middleware/auth-state.js';
import type { GuardOptions } from './guard-options.js';
import { redirectToLogin } from './login-redirect.js';
import { DEFAULT_API_PREFIXES, wantsHtml } from './request-kind.js';

/** A guard's check; it sees the request's user (possibly anonymous) and the context. */
export type UserTest = (user: AbstractUser | AnonymousUser, ctx: Context) => boolean | Promise<boolean>;

/**
 * Koa middleware running `test` on the request's user (Django's user_passes_test); needs
 * authMiddleware before it. When the test passes, the next middleware runs. When it fails:
 *
 * - with `raise: true`, every refusal is `Forbidden` (403) carrying `message`, anonymous
 *   users included (Django's raise_exception);
 * - otherwise page loads ({@link wantsHtml}) get `302` to the login page with
 *   `?next=<current path>`, and API calls get `NotAuthenticated` (401) for anonymous users and
 *   `Forbidden` (403) for logged-in ones, thrown for the error middleware (see
 *   authErrorHandler) to answer.
 */
export function userPassesTest(test: UserTest, options: GuardOptions = {}): Middleware {
  const loginUrl = options.loginUrl ?? '/login';
  const redirectField = options.redirectField === undefined ? 'next' : options.redirectField;
  const apiPrefixes = options.apiPrefixes ?? DEFAULT_API_PREFIXES;
  const raise = options.raise ?? false;

  return async function userPassesTestGuard(ctx, next) {
    const user = await authStateOf(ctx).getUser();
    if (await test(user, ctx)) {
      await next();
      return;
    }
    if (raise) throw new Forbidden(options.message);
    // The answer below depends on Accept: caches must not serve one kind to the other.
    ctx.vary('Accept');
    if (!wantsHtml(ctx, apiPrefixes)) {
      throw user.isAuthenticated ? new Forbidden(options.message) : new NotAuthenticated();
    }
    redirectToLogin(ctx, loginUrl, redirectField);
  };
}
