import { initialMigration } from './0001-initial.js';
import { defaultPermissionsMigration } from './0002-default-permissions.js';
import { canonicalIdentifiersMigration } from './0003-canonical-identifiers.js';
import type { Migration } from './migration.js';
import type { IdentifierPolicy } from '../users/canonical-identifier.js';

/**
 * The migrations of @koa-auth/core for a site that passes `policy` to createAuth: the canonical
 * username column is filled the way that site compares usernames.
 */
export function coreMigrationsFor(policy: IdentifierPolicy = {}): Migration[] {
  return [initialMigration, defaultPermissionsMigration, canonicalIdentifiersMigration(policy)];
}

/** The migrations of @koa-auth/core, in order (usernames compared without regard to case, the default). */
export const coreMigrations: Migration[] = coreMigrationsFor();
