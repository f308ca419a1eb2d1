import type { Migration } from '@koa-auth/core';
import { profilesMigration } from './0001-profiles.js';

/**
 * The migrations of @koa-auth/wechat, in order. They reference core's tables, so list them
 * after core's: `knex.migrate.latest({ migrationSource: migrationSource(coreMigrations, wechatMigrations) })`.
 */
export const wechatMigrations: Migration[] = [profilesMigration];
