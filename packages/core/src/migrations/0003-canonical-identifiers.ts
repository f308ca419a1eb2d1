import type { Knex } from 'knex';
import { CANONICAL_COLUMNS, MAX_CANONICAL_USERNAME, type IdentifierPolicy } from '../users/canonical-identifier.js';
import { scanIdentifiers } from '../users/identifier-collisions.js';
import { writeCanonicalColumns } from '../users/sync-canonical-identifiers.js';
import { IdentifierCollisionError } from '../users/identifier-collision-error.js';
import { isMysql, type Migration } from './migration.js';

const TABLE = 'auth_user';
const INDEXES = {
  username: 'auth_user_username_canonical_unique',
  email: 'auth_user_email_canonical_unique',
} as const;

/**
 * Canonical username and email columns with unique indexes, so that the database itself keeps
 * one account per person however the address or name is capitalised. Before changing anything
 * it looks for accounts that would collide and, if there are any, throws an
 * IdentifierCollisionError listing them: it never merges or drops rows. Re-runnable after a
 * crash half-way (MySQL commits each DDL statement): existing columns and indexes are kept.
 * `policy` must be the one given to createAuth (see coreMigrationsFor).
 */
export function canonicalIdentifiersMigration(policy: IdentifierPolicy = {}): Migration {
  return {
    name: 'core/0003_canonical_identifiers',

    async up(knex: Knex) {
      const { collisions } = await scanIdentifiers(knex, { table: TABLE, policy });
      if (collisions.length > 0) throw new IdentifierCollisionError(collisions);

      const mysql = isMysql(knex);
      // Binary collation: the canonical form is the comparison, the database must not add its own.
      const binary = (col: Knex.ColumnBuilder) => (mysql ? col.collate('utf8mb4_bin') : col);
      if (!(await knex.schema.hasColumn(TABLE, CANONICAL_COLUMNS.username))) {
        await knex.schema.alterTable(TABLE, (t) => void binary(t.string(CANONICAL_COLUMNS.username, MAX_CANONICAL_USERNAME).nullable()));
      }
      if (!(await knex.schema.hasColumn(TABLE, CANONICAL_COLUMNS.email))) {
        await knex.schema.alterTable(TABLE, (t) => void binary(t.string(CANONICAL_COLUMNS.email, 254).nullable()));
      }
      await writeCanonicalColumns(knex, { table: TABLE, policy });
      for (const field of ['username', 'email'] as const) {
        if (await hasIndex(knex, TABLE, INDEXES[field])) continue;
        await knex.schema.alterTable(TABLE, (t) => void t.unique([CANONICAL_COLUMNS[field]], { indexName: INDEXES[field] }));
      }
    },

    async down(knex: Knex) {
      for (const field of ['username', 'email'] as const) {
        if (await hasIndex(knex, TABLE, INDEXES[field]))
          await knex.schema.alterTable(TABLE, (t) => void t.dropUnique([CANONICAL_COLUMNS[field]], INDEXES[field]));
        if (await knex.schema.hasColumn(TABLE, CANONICAL_COLUMNS[field]))
          await knex.schema.alterTable(TABLE, (t) => void t.dropColumn(CANONICAL_COLUMNS[field]));
      }
    },
  };
}

async function hasIndex(knex: Knex, table: string, name: string): Promise<boolean> {
  if (isMysql(knex)) {
    const [rows] = (await knex.raw(
      'SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ? LIMIT 1',
      [table, name],
    )) as [unknown[]];
    return rows.length > 0;
  }
  const rows = (await knex.raw("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", [name])) as unknown[];
  return rows.length > 0;
}
