/**
 * `wechat/0002_profile_per_app`: one `wechat_profile` row per (appid, openid) — an openid names
 * a person within one app only — instead of one per person.
 *
 * Before, `unionid` was unique, so a person had ONE row (the first app they came through), and
 * the openids of their other apps were never stored: an OA `snsapi_base` login (no unionid)
 * then found nothing and created a second account. Now every app's openid gets its own row, and
 * all rows of one person share the unionid, which is indexed but no longer unique.
 *
 * `unionid_anchor` keeps what the unique unionid index gave concurrent first logins: it equals
 * `unionid` on the first row recorded for that unionid (null on the others) and is unique, so
 * two first logins of one person through two apps at once cannot both found an account — the
 * loser's insert fails and it re-reads the winner's rows.
 *
 * Existing data: every row keeps its appid, openid, unionid and user (no binding is lost); each
 * row that has a unionid becomes its person's anchor (there was at most one such row per
 * unionid). `down` keeps the oldest row per unionid, as the old unique index requires.
 */
import { isMysql } from '@koa-auth/core/internal';
import type { Migration } from '@koa-auth/core';
import { TABLE } from './0001-profiles.js';

type Knex = Parameters<Migration['up']>[0];

const OLD_UNIQUE = 'wechat_profile_unionid_unique';
const ANCHOR_UNIQUE = 'wechat_profile_unionid_anchor_unique';
const UNIONID_INDEX = 'wechat_profile_unionid_index';

export const profilePerAppMigration: Migration = {
  name: 'wechat/0002_profile_per_app',

  async up(knex: Knex) {
    const mysql = isMysql(knex);
    await knex.schema.alterTable(TABLE, (t) => {
      const column = t.string('unionid_anchor', 128).nullable();
      if (mysql) column.collate('utf8mb4_bin');
    });
    await knex(TABLE)
      .whereNotNull('unionid')
      .update({ unionid_anchor: knex.ref('unionid') });
    await knex.schema.alterTable(TABLE, (t) => {
      t.dropUnique(['unionid'], OLD_UNIQUE);
      t.index(['unionid'], UNIONID_INDEX);
      t.unique(['unionid_anchor'], { indexName: ANCHOR_UNIQUE });
    });
  },

  async down(knex: Knex) {
    // The old model holds one row per unionid: keep each person's oldest row.
    const keep = await knex(TABLE).whereNotNull('unionid').groupBy('unionid').select(knex.raw('min(id) as id'));
    const keepIds = keep.map((row: { id: number }) => row.id);
    await knex(TABLE)
      .whereNotNull('unionid')
      .whereNotIn('id', keepIds.length > 0 ? keepIds : [0])
      .delete();
    await knex.schema.alterTable(TABLE, (t) => {
      t.dropUnique(['unionid_anchor'], ANCHOR_UNIQUE);
      t.dropIndex(['unionid'], UNIONID_INDEX);
      t.unique(['unionid'], { indexName: OLD_UNIQUE });
    });
    await knex.schema.alterTable(TABLE, (t) => {
      t.dropColumn('unionid_anchor');
    });
  },
};
