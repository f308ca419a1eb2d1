import { initialMigration } from './0001-initial.js';
import { defaultPermissionsMigration } from './0002-default-permissions.js';
import type { Migration } from './migration.js';

/** The migrations of @koa-auth/core, in order. */
export const coreMigrations: Migration[] = [initialMigration, defaultPermissionsMigration];
