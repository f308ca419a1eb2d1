import type { Knex } from 'knex';
import { refuseAnonymous } from '../anonymous-user.js';
import { ValidationError } from '../errors.js';
import type { AbstractUser } from '../models/abstract-user.js';
import { uniqueViolationColumn } from '../users/unique-violation.js';
import { clearPermissionCache } from './permission-cache.js';
import { parsePermission } from './parse-permission.js';

/**
 * Managing permissions and groups (what Django's admin and migrations do through the ORM).
 * Every function is idempotent: granting twice or creating an existing permission is not an
 * error, so seed scripts and concurrent requests can repeat them safely.
 */

/**
 * The id of permission `app_label.codename`, creating it (with `name`, default `Can <codename>`)
 * when missing; safe under concurrent calls. Throws ValidationError on `permission` for a bad name.
 */
export async function ensurePermission(knex: Knex, perm: string, name?: string): Promise<number> {
  const { appLabel, codename } = parsePermission(perm);
  const where = { app_label: appLabel, codename };
  const found = await knex('auth_permission').where(where).first('id');
  if (found) return Number(found.id);
  await insertIgnoringDuplicate(knex, 'auth_permission', { ...where, name: name ?? `Can ${codename.replace(/_/g, ' ')}` });
  const row = await knex('auth_permission').where(where).first('id');
  return Number(row.id);
}

/** The id of the group named `name`, creating it when missing; safe under concurrent calls. Throws ValidationError on `name` unless 1–150 characters. */
export async function ensureGroup(knex: Knex, name: string): Promise<number> {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 150) {
    throw ValidationError.field('name', 'invalid', 'A group name has 1 to 150 characters.');
  }
  const found = await knex('auth_group').where({ name }).first('id');
  if (found) return Number(found.id);
  await insertIgnoringDuplicate(knex, 'auth_group', { name });
  return Number((await knex('auth_group').where({ name }).first('id')).id);
}

/**
 * Give `user` the permission directly (idempotent) and clear their cached permissions. Throws
 * ValidationError on `permission` when it is malformed or does not exist (it is never created
 * here), AnonymousUserError for a user without a row.
 */
export async function grantUserPermission(knex: Knex, user: AbstractUser, perm: string): Promise<void> {
  refuseAnonymous(user, 'grant a permission');
  const permissionId = await existingPermission(knex, perm);
  await insertIgnoringDuplicate(knex, 'auth_user_user_permissions', { user_id: user.id, permission_id: permissionId });
  clearPermissionCache(user);
}

/**
 * Take a direct permission away from `user` (group permissions are unaffected; idempotent) and
 * clear their cached permissions. Throws ValidationError on `permission` when it does not exist.
 */
export async function revokeUserPermission(knex: Knex, user: AbstractUser, perm: string): Promise<void> {
  refuseAnonymous(user, 'revoke a permission');
  const permissionId = await existingPermission(knex, perm);
  await knex('auth_user_user_permissions').where({ user_id: user.id, permission_id: permissionId }).delete();
  clearPermissionCache(user);
}

/**
 * Give the group (created when missing) the permission, so every member holds it; idempotent.
 * Throws ValidationError on `permission` when it does not exist. Members' cached permissions are
 * not cleared (the cache lives on user objects, per request).
 */
export async function grantGroupPermission(knex: Knex, groupName: string, perm: string): Promise<void> {
  const groupId = await ensureGroup(knex, groupName);
  const permissionId = await existingPermission(knex, perm);
  await insertIgnoringDuplicate(knex, 'auth_group_permissions', { group_id: groupId, permission_id: permissionId });
}

/** Take a permission away from a group; nothing happens for an unknown group. Throws ValidationError on `permission` when it does not exist. */
export async function revokeGroupPermission(knex: Knex, groupName: string, perm: string): Promise<void> {
  const group = await knex('auth_group').where({ name: groupName }).first('id');
  if (!group) return;
  const permissionId = await existingPermission(knex, perm);
  await knex('auth_group_permissions').where({ group_id: group.id, permission_id: permissionId }).delete();
}

/** Make `user` a member of the group (created when missing; idempotent) and clear their cached permissions. */
export async function addUserToGroup(knex: Knex, user: AbstractUser, groupName: string): Promise<void> {
  refuseAnonymous(user, 'join a group');
  const groupId = await ensureGroup(knex, groupName);
  await insertIgnoringDuplicate(knex, 'auth_user_groups', { user_id: user.id, group_id: groupId });
  clearPermissionCache(user);
}

/** End the user's membership of the group (nothing to do when not a member or no such group) and clear their cached permissions. */
export async function removeUserFromGroup(knex: Knex, user: AbstractUser, groupName: string): Promise<void> {
  refuseAnonymous(user, 'leave a group');
  const group = await knex('auth_group').where({ name: groupName }).first('id');
  if (group) await knex('auth_user_groups').where({ user_id: user.id, group_id: group.id }).delete();
  clearPermissionCache(user);
}

async function existingPermission(knex: Knex, perm: string): Promise<number> {
  const { appLabel, codename } = parsePermission(perm);
  const row = await knex('auth_permission').where({ app_label: appLabel, codename }).first('id');
  if (!row) throw ValidationError.field('permission', 'does_not_exist', `Unknown permission ${appLabel}.${codename}.`);
  return Number(row.id);
}

async function insertIgnoringDuplicate(knex: Knex, table: string, row: Record<string, unknown>): Promise<void> {
  try {
    await knex(table).insert(row);
  } catch (error) {
    if (uniqueViolationColumn(error, []) === null) throw error;
  }
}
