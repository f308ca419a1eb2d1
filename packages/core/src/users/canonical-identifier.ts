import { foldCase } from './fold-case.js';
import { normalizeEmail, normalizeUsername } from './normalize.js';

/** How usernames compare: folded (default) or exactly after NFKC (Django). Emails always fold. */
export interface IdentifierPolicy {
  /** Usernames differing only by case are different accounts, as in Django. Default false. */
  caseSensitiveUsernames?: boolean;
}

/** The identifiers that have a canonical column beside the stored one. */
export type CanonicalField = 'username' | 'email';

/** The column holding each identifier's canonical form (the one with the unique index). */
export const CANONICAL_COLUMNS: Readonly<Record<CanonicalField, string>> = {
  username: 'username_canonical',
  email: 'email_canonical',
};

/** Longest canonical username in code points: folding at most doubles the 150 allowed (ß → ss). */
export const MAX_CANONICAL_USERNAME = 300;

/**
 * The canonical form of a username or email address: the single definition of "the same
 * account" that registration, every login path, password reset, profile changes, admin search,
 * the CLI and the database's unique indexes share. Emails: domain lower-cased (as stored), then
 * the whole address case-folded (see foldCase). Usernames: NFKC, then case-folded unless
 * `caseSensitiveUsernames`.
 */
export function canonicalIdentifier(field: CanonicalField, value: string, policy: IdentifierPolicy = {}): string {
  if (field === 'email') return foldCase(normalizeEmail(value));
  const username = normalizeUsername(value);
  return policy.caseSensitiveUsernames ? username : foldCase(username);
}
