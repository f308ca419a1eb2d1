import { ImproperlyConfigured } from '@koa-auth/core';
import type { Middleware } from 'koa';
import type { GuardOptions } from './guard-options.js';
import { authStateOf } from '../middleware/auth-state.js';
import { userPassesTest } from './user-passes-test.js';

/**
 * Koa middleware letting through only users holding every permission in `perms`
 * (`'app_label.codename'`, checked with `auth.hasPerms`, so superusers pass and inactive users
 * fail) — Django's permission_required. Anonymous users are treated as by loginRequired. A
 * logged-in user lacking a permission gets Forbidden (403) on API calls; on page loads, a
 * redirect to the login page (Django's default, so another account can be used). With
 * `raise: true` every refusal, anonymous users' too, is Forbidden (403) with `message`.
 * Needs authMiddleware before it.
 */
export function permissionRequired(perms: string | readonly string[], options: GuardOptions = {}): Middleware {
  const list = typeof perms === 'string' ? [perms] : [...perms];
  // An empty list would let everyone through (has_perms([]) is true): surely a mistake.
  if (list.length === 0 || list.some((perm) => typeof perm !== 'string' || perm.trim() === '')) {
    throw new ImproperlyConfigured('permissionRequired needs at least one non-empty permission name.');
  }
  return userPassesTest(async (user, ctx) => user.isAuthenticated && (await authStateOf(ctx).auth.hasPerms(user, list)), options);
}
