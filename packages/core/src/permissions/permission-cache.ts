import type { Knex } from 'knex';
import type { AbstractUser } from '../models/abstract-user.js';
import { isUserActive } from '../models/user-is-active.js';

/** A user's permissions as loaded once: direct ones and those inherited from groups. */
export interface PermissionSets {
  user: ReadonlySet<string>;
  group: ReadonlySet<string>;
  all: ReadonlySet<string>;
}

const CACHE = Symbol('koa-auth.permissions');
const EMPTY: PermissionSets = { user: new Set(), group: new Set(), all: new Set() };

/**
 * The permissions of `user`, loaded in ONE query (direct and group permissions in a UNION) and
 * cached on the user object, so a request that checks a hundred permissions costs one query.
 * An inactive user has none (no query); an active superuser has every permission in the table.
 */
export async function loadPermissions(knex: Knex, user: AbstractUser): Promise<PermissionSets> {
  const cached = (user as unknown as { [CACHE]?: Promise<PermissionSets> })[CACHE];
  if (cached) return cached;
  const loading = isUserActive(user) ? query(knex, user) : Promise.resolve(EMPTY);
  Object.defineProperty(user, CACHE, { value: loading, enumerable: false, configurable: true, writable: true });
  // A failed load must not be cached: the next check retries.
  loading.catch(() => clearPermissionCache(user));
  return loading;
}

/** Forget cached permissions, e.g. after granting or revoking (Django deletes `_perm_cache`). */
export function clearPermissionCache(user: AbstractUser): void {
  delete (user as unknown as { [CACHE]?: unknown })[CACHE];
}

async function query(knex: Knex, user: AbstractUser): Promise<PermissionSets> {
  if (user.isSuperuser) {
    const rows: { app_label: string; codename: string }[] = await knex('auth_permission').select('app_label', 'codename');
    const all = new Set(rows.map((r) => `${r.app_label}.${r.codename}`));
    return { user: all, group: all, all };
  }
  const rows: { app_label: string; codename: string; source: string }[] = await knex
    .select('p.app_label', 'p.codename', knex.raw("'u' as source"))
    .from('auth_permission as p')
    .join('auth_user_user_permissions as up', 'up.permission_id', 'p.id')
    .where((qb) => whereUserId(qb, 'up.user_id', user))
    .unionAll((qb) =>
      qb
        .select('p.app_label', 'p.codename', knex.raw("'g' as source"))
        .from('auth_permission as p')
        .join('auth_group_permissions as gp', 'gp.permission_id', 'p.id')
        .join('auth_user_groups as ug', 'ug.group_id', 'gp.group_id')
        .where((qb) => whereUserId(qb, 'ug.user_id', user)),
    );
  const direct = new Set<string>();
  const group = new Set<string>();
  for (const row of rows) (row.source === 'u' ? direct : group).add(`${row.app_label}.${row.codename}`);
  return { user: direct, group, all: new Set([...direct, ...group]) };
}

/**
 * `column = user.id`, safe for user models whose key is not an integer: the join tables' key is
 * then compared as text, because MySQL would compare a string key numerically with an integer
 * column (`'1b7e…' = 1` is true) and hand one user another's permissions.
 */
export function whereUserId(qb: Knex.QueryBuilder, column: string, user: AbstractUser): void {
  if (primaryKeyTypeOf(user) === 'integer') qb.where(column, user.id);
  else qb.whereRaw('CAST(?? AS CHAR) = ?', [column, String(user.id)]);
}

function primaryKeyTypeOf(user: AbstractUser): string {
  return (user.constructor as { PRIMARY_KEY_TYPE?: string }).PRIMARY_KEY_TYPE ?? 'integer';
}
