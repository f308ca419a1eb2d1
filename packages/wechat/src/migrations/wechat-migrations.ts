import type { Migration } from '@koa-auth/core';
import { profilesMigration } from './0001-profiles.js';
import { profilePerAppMigration } from './0002-profile-per-app.js';

/**
 * The migrations of @koa-auth/wechat, in order. They reference core's tables, so list them
 * after core's: `knex.migrate.latest({ migrationSource: migrationSource(coreMigrations, wechatMigrations) })`.
 */
export const wechatMigrations: Migration[] = [profilesMigration, profilePerAppMigration];
