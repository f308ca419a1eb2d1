/**
 * `wechat/0001_profiles`: the `wechat_profile` table (see WechatProfile).
 *
 * - `unionid` has a unique index although nullable: SQLite and MySQL/MariaDB both allow many
 *   NULLs in a unique index, so identities without a unionid do not collide.
 * - `(appid, openid)` is unique too. Both indexes are what makes concurrent first logins of one
 *   person create exactly one profile (the losers' inserts fail and they re-read the winner's).
 * - Identifiers use a binary collation on MySQL: openids are case-sensitive, and the default
 *   `_ci` collation would make `oAb…` and `oab…` collide.
 * - The table is utf8mb4 on MySQL so emoji nicknames survive.
 * - `user_id` references core's `auth_user` and cascades: deleting a user forgets their WeChat
 *   identities. Run after core's migrations (`migrationSource(coreMigrations, wechatMigrations)`).
 */
import { isMysql } from '@koa-auth/core/internal';
import type { Migration } from '@koa-auth/core';

type Knex = Parameters<Migration['up']>[0];

export const TABLE = 'wechat_profile';

export const profilesMigration: Migration = {
  name: 'wechat/0001_profiles',

  async up(knex: Knex) {
    const mysql = isMysql(knex);
    await knex.schema.createTable(TABLE, (t) => {
      if (mysql) {
        t.charset('utf8mb4');
        t.collate('utf8mb4_unicode_ci');
        t.engine('InnoDB');
      }
      const binary = <C extends { collate(collation: string): C }>(col: C): C => (mysql ? col.collate('utf8mb4_bin') : col);
      t.increments('id').primary();
      t.integer('user_id').unsigned().nullable().references('id').inTable('auth_user').onDelete('CASCADE');
      binary(t.string('appid', 64).notNullable());
      binary(t.string('openid', 128).notNullable());
      binary(t.string('unionid', 128).nullable()).unique({ indexName: 'wechat_profile_unionid_unique' });
      t.string('nickname', 255).notNullable().defaultTo('');
      t.string('headimgurl', 1024).notNullable().defaultTo('');
      t.integer('sex').notNullable().defaultTo(0);
      t.string('province', 64).notNullable().defaultTo('');
      t.string('city', 64).notNullable().defaultTo('');
      t.string('country', 64).notNullable().defaultTo('');
      t.string('language', 32).notNullable().defaultTo('');
      // JSON array as text (MySQL TEXT columns cannot have a default: always written).
      t.text('privilege').notNullable();
      t.datetime('created_at', { precision: 3 }).notNullable();
      t.datetime('updated_at', { precision: 3 }).notNullable();
      t.unique(['appid', 'openid'], { indexName: 'wechat_profile_appid_openid_unique' });
      t.index(['user_id'], 'wechat_profile_user_id_index');
    });
  },

  async down(knex: Knex) {
    await knex.schema.dropTableIfExists(TABLE);
  },
};
