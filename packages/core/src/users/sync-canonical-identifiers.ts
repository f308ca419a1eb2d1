import type { Knex } from 'knex';
import { IdentifierCollisionError } from './identifier-collision-error.js';
import { CANONICAL_COLUMNS, canonicalIdentifier } from './canonical-identifier.js';
import { scanIdentifiers, type ScanOptions } from './identifier-collisions.js';

const BATCH = 1000;

/**
 * Recompute the canonical columns of every user under `policy`: after switching
 * `caseSensitiveUsernames`, or for rows written by something other than the UserManager. Refuses
 * (IdentifierCollisionError, nothing written) while accounts would collide; never merges or
 * deletes. Resolves to the number of rows rewritten.
 */
export async function syncCanonicalIdentifiers(knex: Knex, options: ScanOptions = {}): Promise<number> {
  const { collisions } = await scanIdentifiers(knex, options);
  if (collisions.length > 0) throw new IdentifierCollisionError(collisions);
  return writeCanonicalColumns(knex, options);
}

/** Write the canonical columns where they differ from what `policy` computes (no collision check). */
export async function writeCanonicalColumns(knex: Knex, options: ScanOptions = {}): Promise<number> {
  const table = options.table ?? 'auth_user';
  const policy = options.policy ?? {};
  const columns = ['id', 'username', 'email', CANONICAL_COLUMNS.username, CANONICAL_COLUMNS.email];
  let written = 0;
  let offset = 0;
  for (;;) {
    const rows = (await knex(table).select(columns).orderBy('id').limit(BATCH).offset(offset)) as Record<string, unknown>[];
    for (const row of rows) {
      const username = canonicalIdentifier('username', String(row.username), policy);
      const email = typeof row.email === 'string' ? canonicalIdentifier('email', row.email, policy) : null;
      if (row[CANONICAL_COLUMNS.username] === username && (row[CANONICAL_COLUMNS.email] ?? null) === email) continue;
      await knex(table)
        .where('id', row.id as number | string)
        .update({ [CANONICAL_COLUMNS.username]: username, [CANONICAL_COLUMNS.email]: email });
      written += 1;
    }
    if (rows.length < BATCH) break;
    offset += BATCH;
  }
  return written;
}
