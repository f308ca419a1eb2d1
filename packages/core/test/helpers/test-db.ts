import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/create-knex.js';
import { coreMigrations } from '../../src/migrations/core-migrations.js';
import { migrationSource, type Migration } from '../../src/migrations/migration.js';

/** A migrated database for one test file, plus its teardown. */
export interface TestDb {
  knex: Knex;
  /** 'sqlite' or 'mysql', for the few assertions that differ. */
  dialect: 'sqlite' | 'mysql';
  destroy(): Promise<void>;
}

/**
 * SQLite in memory by default; MariaDB/MySQL when DATABASE_URL is a mysql:// URL. Each test file
 * gets its own MySQL database (named after `name` and the process) so parallel test files never
 * collide, and it is dropped on destroy. A missing server makes the test fail, never skip.
 * `options.core` replaces core's migrations (e.g. only the older ones, to test a later one).
 */
export async function createTestDb(name: string, extraMigrations: Migration[] = [], options: { core?: Migration[] } = {}): Promise<TestDb> {
  const core = options.core ?? coreMigrations;
  const url = process.env.DATABASE_URL;
  if (url && /^(mysql|mariadb):/.test(url)) {
    const database = `kat_${createHash('sha1').update(name).digest('hex').slice(0, 10)}_${process.pid}`;
    const admin = createKnex(url);
    await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.raw(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const parsed = new URL(url);
    parsed.pathname = `/${database}`;
    const knex = createKnex(parsed.toString());
    await knex.migrate.latest({ migrationSource: migrationSource(core, extraMigrations) });
    return {
      knex,
      dialect: 'mysql',
      async destroy() {
        await knex.destroy();
        await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
        await admin.destroy();
      },
    };
  }
  const knex = createKnex('sqlite::memory:');
  await knex.migrate.latest({ migrationSource: migrationSource(core, extraMigrations) });
  return { knex, dialect: 'sqlite', destroy: () => knex.destroy() };
}

/** Count the SQL queries knex runs while `fn` runs. */
export async function countQueries<T>(knex: Knex, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const listener = (q: { sql: string }) => queries.push(q.sql);
  knex.on('query', listener);
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    knex.off('query', listener);
  }
}
