import type { Knex } from 'knex';
import { CANONICAL_COLUMNS, canonicalIdentifier, type CanonicalField, type IdentifierPolicy } from './canonical-identifier.js';

/** One account of a collision, as far as an operator needs it to decide. */
export interface CollidingAccount {
  id: number | string;
  username: string;
  email: string | null;
}

/** Two or more accounts whose username (or email) has the same canonical form. */
export interface IdentifierCollision {
  field: CanonicalField;
  /** The canonical form they share. */
  canonical: string;
  /** Oldest first (by id). */
  accounts: CollidingAccount[];
}

/** What a scan of the user table found. */
export interface IdentifierScan {
  collisions: IdentifierCollision[];
  /**
   * Rows whose stored canonical columns differ from what `policy` computes (rows written
   * before the migration by an older version, or under the other `caseSensitiveUsernames`
   * setting). Zero before the canonical columns exist.
   */
  staleRows: number;
}

export interface ScanOptions {
  /** Default 'auth_user'. */
  table?: string;
  /** The policy the app runs with (createAuth's `caseSensitiveUsernames`). */
  policy?: IdentifierPolicy;
}

const BATCH = 1000;

/**
 * Every group of accounts that would be one account under `policy` (same canonical email, or
 * same canonical username), read from the stored usernames and emails — valid before the
 * canonical columns exist (what the migration checks) and after (what the CLI lists). Reads in
 * batches; changes nothing.
 */
export async function scanIdentifiers(knex: Knex, options: ScanOptions = {}): Promise<IdentifierScan> {
  const table = options.table ?? 'auth_user';
  const policy = options.policy ?? {};
  const hasCanonical = (await knex.schema.hasColumn(table, CANONICAL_COLUMNS.username)) && (await knex.schema.hasColumn(table, CANONICAL_COLUMNS.email));
  const columns = ['id', 'username', 'email', ...(hasCanonical ? [CANONICAL_COLUMNS.username, CANONICAL_COLUMNS.email] : [])];
  const groups: Record<CanonicalField, Map<string, CollidingAccount[]>> = { username: new Map(), email: new Map() };
  let staleRows = 0;
  let offset = 0;
  for (;;) {
    const rows = (await knex(table).select(columns).orderBy('id').limit(BATCH).offset(offset)) as Record<string, unknown>[];
    for (const row of rows) {
      const account: CollidingAccount = { id: row.id as number | string, username: String(row.username), email: (row.email as string | null) ?? null };
      const username = canonicalIdentifier('username', account.username, policy);
      const email = account.email === null ? null : canonicalIdentifier('email', account.email, policy);
      push(groups.username, username, account);
      if (email !== null) push(groups.email, email, account);
      if (hasCanonical && (row[CANONICAL_COLUMNS.username] !== username || (row[CANONICAL_COLUMNS.email] ?? null) !== email)) staleRows += 1;
    }
    if (rows.length < BATCH) break;
    offset += BATCH;
  }
  const collisions: IdentifierCollision[] = [];
  for (const field of ['email', 'username'] as const) {
    for (const [canonical, accounts] of groups[field]) if (accounts.length > 1) collisions.push({ field, canonical, accounts });
  }
  return { collisions, staleRows };
}

/** The collisions of `scanIdentifiers`, one line per group, for people (CLI, migration error). */
export function formatIdentifierCollisions(collisions: readonly IdentifierCollision[]): string[] {
  return collisions.map((c) => {
    const accounts = c.accounts.map((a) => `#${a.id} (username ${JSON.stringify(a.username)}, email ${a.email === null ? 'none' : JSON.stringify(a.email)})`);
    return `${c.field} ${JSON.stringify(c.canonical)}: ${accounts.join(', ')}`;
  });
}

function push(map: Map<string, CollidingAccount[]>, key: string, account: CollidingAccount): void {
  const list = map.get(key);
  if (list) list.push(account);
  else map.set(key, [account]);
}
