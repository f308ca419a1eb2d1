import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { createKnex } from '../db/create-knex.js';
import { coreMigrations } from '../migrations/core-migrations.js';
import { migrationSource, type Migration } from '../migrations/migration.js';

/** A migrated database for one test file, and its teardown. */
export interface TestDb {
  knex: Knex;
  /** 'sqlite' or 'mysql', for the few assertions that differ. */
  dialect: 'sqlite' | 'mysql';
  /** Closes the connections; on MySQL also drops the database this test made. */
  destroy(): Promise<void>;
}

/** Databases made by this process so far (each gets its own MySQL database name). */
let sequence = 0;

/** Options of {@link createTestDb}. */
export interface TestDbOptions {
  /** Replaces core's migrations (e.g. only the older ones, to test a later one). */
  core?: Migration[];
}

/**
 * A database with core's migrations (then `extraMigrations`, e.g. wechatMigrations) applied.
 * SQLite in memory by default (better-sqlite3 must be installed). When the DATABASE_URL
 * environment variable is a mysql:// or mariadb:// URL, a database of this call's own on that
 * server instead — named after `name`, the process id and a sequence number, created here and
 * dropped by `destroy()` — so the same tests run on MySQL/MariaDB and parallel test files (and
 * several databases of one file) never collide.
 * A missing server fails the test; nothing here skips.
 */
export async function createTestDb(name: string, extraMigrations: Migration[] = [], options: TestDbOptions = {}): Promise<TestDb> {
  const core = options.core ?? coreMigrations;
  const url = process.env.DATABASE_URL;
  if (url && /^(mysql|mariadb):/.test(url)) {
    sequence += 1;
    const database = `kat_${createHash('sha1').update(name).digest('hex').slice(0, 10)}_${process.pid}_${sequence}`;
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

/** Runs `fn` and returns its result with the SQL of every query knex ran meanwhile. */
export async function countQueries<T>(knex: Knex, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const listener = (query: { sql: string }) => queries.push(query.sql);
  knex.on('query', listener);
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    knex.off('query', listener);
  }
}
