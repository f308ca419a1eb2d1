import type { Auth, AnyUser } from '../auth.js';
import { PermissionDenied } from '../errors.js';
import type { AbstractUser } from '../models/abstract-user.js';
import { isUserActive } from '../models/user-is-active.js';

/**
 * Django's PermissionsMixin and AnonymousUser permission methods, as functions over the
 * configured backends: an active superuser has every permission; every other user — anonymous
 * and inactive ones included — is asked about in every backend, and any backend may grant
 * (ModelBackend never grants to anonymous or inactive users, an object-permission backend may).
 * A backend throwing PermissionDenied refuses outright.
 */
export async function hasPerm<U extends AbstractUser>(auth: Auth<U>, user: AnyUser<U>, perm: string, obj?: unknown): Promise<boolean> {
  if (isActiveSuperuser(user)) return true;
  for (const backend of auth.backends) {
    if (!backend.hasPerm) continue;
    try {
      if (await backend.hasPerm(auth, user, perm, obj)) return true;
    } catch (error) {
      if (error instanceof PermissionDenied) return false;
      throw error;
    }
  }
  return false;
}

/** True when the user has every one of `perms`. */
export async function hasPerms<U extends AbstractUser>(auth: Auth<U>, user: AnyUser<U>, perms: Iterable<string>, obj?: unknown): Promise<boolean> {
  if (typeof perms === 'string') throw new TypeError('hasPerms expects an iterable of permissions, not a string.');
  for (const perm of perms) if (!(await hasPerm(auth, user, perm, obj))) return false;
  return true;
}

/** True when the user has any permission in the app `appLabel` (ModelBackend: never for inactive users). */
export async function hasModulePerms<U extends AbstractUser>(auth: Auth<U>, user: AnyUser<U>, appLabel: string): Promise<boolean> {
  if (isActiveSuperuser(user)) return true;
  for (const backend of auth.backends) {
    if (!backend.hasModulePerms) continue;
    try {
      if (await backend.hasModulePerms(auth, user, appLabel)) return true;
    } catch (error) {
      if (error instanceof PermissionDenied) return false;
      throw error;
    }
  }
  return false;
}

type PermissionSource = 'getAllPermissions' | 'getUserPermissions' | 'getGroupPermissions';

/** Union of what every backend reports for `source` (anonymous and inactive users included). */
export async function collectPermissions<U extends AbstractUser>(
  auth: Auth<U>,
  user: AnyUser<U>,
  source: PermissionSource,
  obj?: unknown,
): Promise<Set<string>> {
  const result = new Set<string>();
  for (const backend of auth.backends) {
    const method = backend[source];
    if (!method) continue;
    for (const perm of await method.call(backend, auth, user, obj)) result.add(perm);
  }
  return result;
}

function isActiveSuperuser<U extends AbstractUser>(user: AnyUser<U>): boolean {
  return user.isAuthenticated === true && user.isSuperuser === true && isUserActive(user);
}
