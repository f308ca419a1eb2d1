import type { Knex } from 'knex';
import type { Migration } from './migration.js';

/** Django's default permissions for the auth models (add/change/delete/view of user, group, permission). */
export const defaultPermissionsMigration: Migration = {
  name: 'core/0002_default_permissions',

  async up(knex: Knex) {
    const rows = [];
    for (const model of ['user', 'group', 'permission']) {
      for (const action of ['add', 'change', 'delete', 'view']) {
        rows.push({ app_label: 'auth', codename: `${action}_${model}`, name: `Can ${action} ${model}` });
      }
    }
    await knex('auth_permission').insert(rows);
  },

  async down(knex: Knex) {
    await knex('auth_permission').where({ app_label: 'auth' }).delete();
  },
};
