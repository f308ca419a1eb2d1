/**
 * The database a test file's demo uses: a fresh SQLite file in its DATA_DIR by default, or —
 * when DATABASE_URL is a mysql:// URL (CI's service run) — a database of its own on that
 * server, created here and dropped afterwards, so files never see each other's users.
 */
import { createHash } from 'node:crypto';
import { createKnex } from '@koa-auth/core';

export interface TestDatabase {
  /** DATABASE_URL for the demo, or undefined for its SQLite default. */
  url: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(name: string): Promise<TestDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server || !/^(mysql|mariadb):/.test(server)) return { url: undefined, drop: async () => undefined };
  const database = `demo_e2e_${createHash('sha1').update(name).digest('hex').slice(0, 10)}_${process.pid}`;
  const admin = createKnex(server);
  try {
    await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.raw(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(server);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    async drop() {
      const knex = createKnex(server);
      try {
        await knex.raw(`DROP DATABASE IF EXISTS \`${database}\``);
      } finally {
        await knex.destroy();
      }
    },
  };
}
