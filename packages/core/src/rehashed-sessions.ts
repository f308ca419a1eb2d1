import type { KeyValueStore } from './store/key-value-store.js';
import { sessionAuthHash } from './session-auth-hash.js';

/** How long a hash upgrade keeps older sessions valid: as long as a session can live. */
const REHASH_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function key(userId: number | string, storedHash: string): string {
  return `rehash:${userId}:${storedHash}`;
}

/**
 * A hash upgrade (new salt or parameters, same password) changes the password hash, and so the
 * session auth hash of every session. It is not a password change: remember that sessions
 * carrying the old session hash are still the user's, as long as the hash is the upgraded one.
 */
export async function rememberRehash(store: KeyValueStore, userId: number | string, oldHash: string, newHash: string, secret: string): Promise<void> {
  await store.set(key(userId, sessionAuthHash(oldHash, secret)), sessionAuthHash(newHash, secret), REHASH_TTL_MS);
}

/**
 * True when `stored` is the session hash of a password hash that was upgraded (not changed) to
 * the user's current one. A real password change afterwards makes this false again.
 */
export async function isRehashedSession(store: KeyValueStore, userId: number | string, stored: unknown, currentHash: string, secret: string): Promise<boolean> {
  if (typeof stored !== 'string' || stored.length !== 64) return false;
  const upgradedTo = await store.get(key(userId, stored));
  return upgradedTo !== null && upgradedTo === sessionAuthHash(currentHash, secret);
}
