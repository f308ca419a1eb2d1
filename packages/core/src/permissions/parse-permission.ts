import { ValidationError } from '../errors.js';

/** Django's with_perm message for a name that is not exactly `app_label.codename`. */
export const PERMISSION_FORMAT_MESSAGE = 'Permission name should be in the form app_label.permission_codename.';

/**
 * `app_label.codename` split in two; throws ValidationError on `permission` for anything else:
 * a non-string, no dot, more than one dot ('too.many.dots') or an empty half (Django's
 * `perm.split(".")` unpacking into exactly two names).
 */
export function parsePermission(perm: unknown): { appLabel: string; codename: string } {
  if (typeof perm !== 'string') {
    throw ValidationError.field('permission', 'invalid', 'The `perm` argument must be a string.');
  }
  const parts = perm.split('.');
  if (perm.length > 201 || parts.length !== 2 || !parts[0] || !parts[1]) {
    throw ValidationError.field('permission', 'invalid', PERMISSION_FORMAT_MESSAGE);
  }
  return { appLabel: parts[0], codename: parts[1] };
}
