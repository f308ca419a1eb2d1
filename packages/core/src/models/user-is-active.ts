/**
 * Django's `getattr(user, "is_active", True)`: a user model without an `isActive` column (the
 * field undefined) counts as active; only an explicit false makes a user inactive. The anonymous
 * user is never active. The one home of this rule for backends and permission checks.
 */
export function isUserActive(user: { isActive?: unknown; isAnonymous?: unknown }): boolean {
  if (user.isAnonymous === true) return false;
  return user.isActive !== false && user.isActive !== 0;
}
