import type { Knex } from 'knex';
import { isMysql, type Migration } from './migration.js';

/**
 * Django's auth tables: users, groups, permissions and the three join tables.
 * Names follow Django (`auth_user`, `auth_user_groups`, …) so that data imported from a Django
 * site maps one to one.
 */
export const initialMigration: Migration = {
  name: 'core/0001_initial',

  async up(knex: Knex) {
    const mysql = isMysql(knex);
    // utf8mb4 for emoji nicknames; binary collation on identifiers so that uniqueness and
    // lookups are case-sensitive on MySQL exactly as they are on SQLite.
    const table = (t: Knex.CreateTableBuilder) => {
      if (mysql) {
        t.charset('utf8mb4');
        t.collate('utf8mb4_unicode_ci');
        t.engine('InnoDB');
      }
    };
    const binary = (col: Knex.ColumnBuilder) => (mysql ? col.collate('utf8mb4_bin') : col);

    await knex.schema.createTable('auth_permission', (t) => {
      table(t);
      t.increments('id').primary();
      t.string('name', 255).notNullable();
      binary(t.string('app_label', 100).notNullable());
      binary(t.string('codename', 100).notNullable());
      t.unique(['app_label', 'codename'], { indexName: 'auth_permission_app_label_codename_unique' });
    });

    await knex.schema.createTable('auth_group', (t) => {
      table(t);
      t.increments('id').primary();
      binary(t.string('name', 150).notNullable()).unique({ indexName: 'auth_group_name_unique' });
    });

    await knex.schema.createTable('auth_group_permissions', (t) => {
      table(t);
      t.increments('id').primary();
      t.integer('group_id').unsigned().notNullable().references('id').inTable('auth_group').onDelete('CASCADE');
      t.integer('permission_id').unsigned().notNullable().references('id').inTable('auth_permission').onDelete('CASCADE');
      t.unique(['group_id', 'permission_id'], { indexName: 'auth_group_permissions_unique' });
    });

    await knex.schema.createTable('auth_user', (t) => {
      table(t);
      t.increments('id').primary();
      t.string('password', 255).notNullable();
      binary(t.string('username', 150).notNullable()).unique({ indexName: 'auth_user_username_unique' });
      binary(t.string('email', 254).nullable()).unique({ indexName: 'auth_user_email_unique' });
      t.string('phone', 32).nullable().unique({ indexName: 'auth_user_phone_unique' });
      t.string('first_name', 150).notNullable().defaultTo('');
      t.string('last_name', 150).notNullable().defaultTo('');
      t.string('nickname', 150).notNullable().defaultTo('');
      t.string('gender', 16).nullable();
      // A calendar date as 'YYYY-MM-DD' text: DATE columns come back as time-zone-shifted
      // Date objects from some drivers, text round-trips exactly on every database.
      t.string('birthday', 10).nullable();
      t.string('avatar', 1024).nullable();
      t.boolean('is_active').notNullable().defaultTo(true);
      t.boolean('is_staff').notNullable().defaultTo(false);
      t.boolean('is_superuser').notNullable().defaultTo(false);
      t.datetime('date_joined', { precision: 3 }).notNullable();
      t.datetime('last_login', { precision: 3 }).nullable();
      t.string('account_type', 32).notNullable().defaultTo('username');
    });

    await knex.schema.createTable('auth_user_groups', (t) => {
      table(t);
      t.increments('id').primary();
      t.integer('user_id').unsigned().notNullable().references('id').inTable('auth_user').onDelete('CASCADE');
      t.integer('group_id').unsigned().notNullable().references('id').inTable('auth_group').onDelete('CASCADE');
      t.unique(['user_id', 'group_id'], { indexName: 'auth_user_groups_unique' });
    });

    await knex.schema.createTable('auth_user_user_permissions', (t) => {
      table(t);
      t.increments('id').primary();
      t.integer('user_id').unsigned().notNullable().references('id').inTable('auth_user').onDelete('CASCADE');
      t.integer('permission_id').unsigned().notNullable().references('id').inTable('auth_permission').onDelete('CASCADE');
      t.unique(['user_id', 'permission_id'], { indexName: 'auth_user_user_permissions_unique' });
    });
  },

  async down(knex: Knex) {
    for (const name of ['auth_user_user_permissions', 'auth_user_groups', 'auth_user', 'auth_group_permissions', 'auth_group', 'auth_permission']) {
      await knex.schema.dropTableIfExists(name);
    }
  },
};
