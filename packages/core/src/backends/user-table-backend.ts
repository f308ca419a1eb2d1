import type { Auth, AnyUser } from '../auth.js';
import type { AbstractUser } from '../models/abstract-user.js';
import { isUserActive } from '../models/user-is-active.js';
import { loadPermissions } from '../permissions/permission-cache.js';
import { parsePermission } from '../permissions/parse-permission.js';
import type { AuthRequest, WithPermOptions } from './auth-backend.js';
import { BaseBackend } from './base-backend.js';

/**
 * What every backend over the app's user table shares (the half of Django's ModelBackend that
 * is not about passwords): loading users by id, refusing inactive ones, and permissions from
 * the database tables. Subclasses say which credentials they take and how they find the user.
 * As Django's ModelBackend, it grants nothing to the anonymous user, to inactive users, or for
 * any object (object permissions belong to another backend in the chain).
 */
export abstract class UserTableBackend<C, U extends AbstractUser = AbstractUser> extends BaseBackend<C, U> {
  abstract override readonly name: string;
  /** True when `credentials` has the shape this backend authenticates (the chain skips it otherwise). */
  abstract override accepts(credentials: unknown): credentials is C;
  /**
   * The active user these credentials identify, or null (wrong or unknown credentials, inactive
   * user). Throw PermissionDenied to stop the backend chain.
   */
  abstract override authenticate(auth: Auth<U>, request: AuthRequest | null, credentials: C): Promise<U | null>;

  /** Verify the password of a found user, or burn one hash for a missing one (harden_runtime). */
  protected async checkCredentials(auth: Auth<U>, user: U | null, password: string): Promise<U | null> {
    if (!user) {
      await auth.hashers.hardenRuntime(password);
      return null;
    }
    const ok = await auth.checkPassword(user, password);
    return ok && this.userCanAuthenticate(user) ? user : null;
  }

  /** Django's user_can_authenticate: inactive users are refused (a model without isActive counts as active). */
  protected userCanAuthenticate(user: U): boolean {
    return isUserActive(user);
  }

  /** The user with this primary key, or null when there is none or it may not log in (inactive). Runs on every session load. */
  override async getUser(auth: Auth<U>, id: number | string): Promise<U | null> {
    const user = await auth.users.getById(id);
    return user && this.userCanAuthenticate(user) ? user : null;
  }

  /** `app_label.codename` of the permissions granted to `user` directly; empty for anonymous or inactive users and for any `obj`. */
  override async getUserPermissions(auth: Auth<U>, user: AnyUser<U>, obj?: unknown): Promise<Set<string>> {
    const sets = await this.tablePermissions(auth, user, obj);
    return new Set(sets?.user);
  }

  /** `app_label.codename` of the permissions `user` holds through groups; empty for anonymous or inactive users and for any `obj`. */
  override async getGroupPermissions(auth: Auth<U>, user: AnyUser<U>, obj?: unknown): Promise<Set<string>> {
    const sets = await this.tablePermissions(auth, user, obj);
    return new Set(sets?.group);
  }

  /**
   * Direct and group permissions together (every permission for an active superuser); empty
   * for anonymous or inactive users and for any `obj`. One query per user object, then cached.
   */
  override async getAllPermissions(auth: Auth<U>, user: AnyUser<U>, obj?: unknown): Promise<Set<string>> {
    const sets = await this.tablePermissions(auth, user, obj);
    return new Set(sets?.all);
  }

  /** True when `user` holds `perm` (`app_label.codename`) per getAllPermissions; always false for any `obj`. */
  override async hasPerm(auth: Auth<U>, user: AnyUser<U>, perm: string, obj?: unknown): Promise<boolean> {
    const sets = await this.tablePermissions(auth, user, obj);
    return sets?.all.has(perm) ?? false;
  }

  /** True when `user` holds at least one permission of the app `appLabel` (Django's has_module_perms). */
  async hasModulePerms(auth: Auth<U>, user: AnyUser<U>, appLabel: string): Promise<boolean> {
    const sets = await this.tablePermissions(auth, user, undefined);
    if (!sets) return false;
    const prefix = `${appLabel}.`;
    for (const perm of sets.all) if (perm.startsWith(prefix)) return true;
    return false;
  }

  /** The user's table permissions, or null (no query) for the anonymous user, an inactive user or any object. */
  private async tablePermissions(auth: Auth<U>, user: AnyUser<U>, obj: unknown) {
    if (obj !== undefined || user.isAnonymous || !isUserActive(user)) return null;
    return loadPermissions(auth.knex, user as U);
  }

  /**
   * Users holding `perm` directly or through a group (and superusers unless `includeSuperusers`
   * is false), active ones only unless `isActive` says otherwise, ordered by id; empty for any
   * `obj`. Throws ValidationError on `permission` when `perm` is not `app_label.codename`.
   */
  async withPerm(auth: Auth<U>, perm: string, options: WithPermOptions): Promise<U[]> {
    const { isActive = true, includeSuperusers = true, obj } = options;
    if (obj !== undefined) return [];
    const { appLabel, codename } = parsePermission(perm);
    const { knex } = auth;
    const table = auth.userModel.tableName;
    const permission = await knex('auth_permission').where({ app_label: appLabel, codename }).first('id');
    // Keys that are not integers are compared as text (see whereUserId).
    const asText = auth.userModel.PRIMARY_KEY_TYPE !== 'integer';
    const userId = (column: string) => (asText ? knex.raw('CAST(?? AS CHAR)', [column]) : knex.ref(column));
    const holders = knex
      .select(userId('user_id'))
      .from('auth_user_user_permissions')
      .where('permission_id', permission?.id ?? -1)
      .union((qb) =>
        qb
          .select(userId('ug.user_id'))
          .from('auth_user_groups as ug')
          .join('auth_group_permissions as gp', 'gp.group_id', 'ug.group_id')
          .where('gp.permission_id', permission?.id ?? -1),
      );
    const query = auth.userModel.query(knex).where((qb) => {
      qb.whereIn(userId(`${table}.id`) as never, holders as never);
      if (includeSuperusers) qb.orWhere(`${table}.is_superuser`, true);
    });
    if (isActive !== null) query.where(`${table}.is_active`, isActive);
    return (await query.orderBy(`${table}.id`)) as U[];
  }
}
