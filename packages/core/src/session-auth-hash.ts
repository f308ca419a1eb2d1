import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const KEY_SALT = 'koa-auth.session-auth-hash';

/**
 * Django's get_session_auth_hash: an HMAC of the password hash. Stored in the session at login
 * and compared on every load, so changing the password logs out every other session.
 */
export function sessionAuthHash(passwordHash: string, secret: string): string {
  return createHmac('sha256', keyFor(secret)).update(passwordHash).digest('hex');
}

// Derived once per secret: this runs on every request that reads the user.
const keys = new Map<string, Buffer>();

function keyFor(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = createHash('sha256')
      .update(KEY_SALT + secret)
      .digest();
    keys.set(secret, key);
  }
  return key;
}

/** True when `stored` matches the hash under the secret or one of its fallbacks (secret rotation). */
export function verifySessionAuthHash(stored: unknown, passwordHash: string, secrets: readonly string[]): boolean {
  return matchSessionAuthHash(stored, passwordHash, secrets) >= 0;
}

/**
 * The index in `secrets` of the first secret under which `stored` is the session hash of
 * `passwordHash`, or -1. The current secret (index 0) is tried first and the search stops at the
 * first match: one HMAC per secret tried, so sessions made under the current secret cost one.
 */
export function matchSessionAuthHash(stored: unknown, passwordHash: string, secrets: readonly string[]): number {
  if (typeof stored !== 'string' || stored.length !== 64) return -1;
  const given = Buffer.from(stored, 'utf8');
  return secrets.findIndex((secret) => timingSafeEqual(given, Buffer.from(sessionAuthHash(passwordHash, secret), 'utf8')));
}
