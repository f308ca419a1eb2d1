import type { Auth, AnyUser } from '../auth.js';
import type { AbstractUser } from '../models/abstract-user.js';
import type { AuthBackend, AuthRequest } from './auth-backend.js';

/**
 * Django's BaseBackend: every method has a harmless default, so a backend implements only what
 * it adds. A permission backend (django-guardian style) overrides `getUserPermissions` and/or
 * `getGroupPermissions` and gets `getAllPermissions` (their union) and `hasPerm` (membership in
 * it) for free. By default it authenticates nobody (`accepts` is false) and loads no user.
 *
 * Permission methods receive every user a check is asked about, including the anonymous user
 * and inactive users (Django passes them to every backend): a backend decides for itself.
 */
export abstract class BaseBackend<C = never, U extends AbstractUser = AbstractUser> implements AuthBackend<C, U> {
  /** Stable name stored in sessions and used to pick the backend (`withPerm({ backend })`). */
  abstract readonly name: string;

  /** False by default: a permission-only backend takes no credentials. */
  accepts(_credentials: unknown): _credentials is C {
    return false;
  }

  /** Null by default. */
  async authenticate(_auth: Auth<U>, _request: AuthRequest | null, _credentials: C): Promise<U | null> {
    return null;
  }

  /** Null by default: this backend logs nobody in, so it has no sessions to load. */
  async getUser(_auth: Auth<U>, _id: number | string): Promise<U | null> {
    return null;
  }

  /** Permissions the user holds directly (none by default). */
  async getUserPermissions(_auth: Auth<U>, _user: AnyUser<U>, _obj?: unknown): Promise<Set<string>> {
    return new Set();
  }

  /** Permissions the user holds through groups (none by default). */
  async getGroupPermissions(_auth: Auth<U>, _user: AnyUser<U>, _obj?: unknown): Promise<Set<string>> {
    return new Set();
  }

  /** The union of `getUserPermissions` and `getGroupPermissions`. */
  async getAllPermissions(auth: Auth<U>, user: AnyUser<U>, obj?: unknown): Promise<Set<string>> {
    const [direct, group] = await Promise.all([this.getUserPermissions(auth, user, obj), this.getGroupPermissions(auth, user, obj)]);
    return new Set([...direct, ...group]);
  }

  /** True when `perm` is in `getAllPermissions(user, obj)`. */
  async hasPerm(auth: Auth<U>, user: AnyUser<U>, perm: string, obj?: unknown): Promise<boolean> {
    return (await this.getAllPermissions(auth, user, obj)).has(perm);
  }
}
