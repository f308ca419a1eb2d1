/**
 * The database: knex from DATABASE_URL (SQLite file by default, MySQL/MariaDB through mysql2),
 * and the migrations of every package the demo uses (core first: WeChat's table references
 * auth_user).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { coreMigrations, createKnex, migrationSource, type Migration } from '@koa-auth/core';
import { wechatMigrations } from '@koa-auth/wechat';

export type Knex = ReturnType<typeof createKnex>;

/** A knex instance for `url`; a SQLite file's directory is created when missing. */
export function openDatabase(url: string): Knex {
  const file = sqliteFile(url);
  if (file) mkdirSync(dirname(file), { recursive: true });
  return createKnex(url);
}

/** Every migration the demo needs (`koa-auth-demo migrate` applies them). */
export const demoMigrations: Migration[] = [...coreMigrations, ...wechatMigrations];

/** Names of migrations not applied yet. */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list({ migrationSource: migrationSource(demoMigrations) })) as [unknown[], { name: string }[]];
  return pending.map((m) => m.name);
}

function sqliteFile(url: string): string | null {
  if (!url.startsWith('sqlite:')) return null;
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:' || rest === '//:memory:') return null;
  return rest.startsWith('//') ? rest.slice(2) : rest;
}
