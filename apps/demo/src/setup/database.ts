/**
 * The database: knex from DATABASE_URL (SQLite file by default, MySQL/MariaDB through mysql2),
 * and the migrations of every package the demo uses (core first: WeChat's table references
 * auth_user).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { coreMigrations, createKnex, migrationSource } from '@koa-auth/core';
import { wechatMigrations } from '@koa-auth/wechat';

export type Knex = ReturnType<typeof createKnex>;

/** A knex instance for `url`; a SQLite file's directory is created when missing. */
export function openDatabase(url: string): Knex {
  const file = sqliteFile(url);
  if (file) mkdirSync(dirname(file), { recursive: true });
  return createKnex(url);
}

/** Applies pending migrations; resolves to the names of those just applied (empty: up to date). */
export async function migrate(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: migrationSource(coreMigrations, wechatMigrations) })) as [number, string[]];
  return applied;
}

/** Names of migrations not applied yet. */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list({ migrationSource: migrationSource(coreMigrations, wechatMigrations) })) as [unknown[], { name: string }[]];
  return pending.map((m) => m.name);
}

function sqliteFile(url: string): string | null {
  if (!url.startsWith('sqlite:')) return null;
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:' || rest === '//:memory:') return null;
  return rest.startsWith('//') ? rest.slice(2) : rest;
}
