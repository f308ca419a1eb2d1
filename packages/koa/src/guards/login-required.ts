import type { Middleware } from 'koa';
import type { GuardOptions } from './guard-options.js';
import { userPassesTest } from './user-passes-test.js';

/**
 * Koa middleware letting only logged-in users through (Django's login_required): anonymous
 * page loads are redirected to `loginUrl?next=<current path>`, anonymous API calls get
 * NotAuthenticated (401); with `raise: true`, both get Forbidden (403) instead (Django's
 * LoginRequiredMixin with raise_exception). Needs authMiddleware before it.
 */
export function loginRequired(options: GuardOptions = {}): Middleware {
  return userPassesTest((user) => user.isAuthenticated, options);
}
