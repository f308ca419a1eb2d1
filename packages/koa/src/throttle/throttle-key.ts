import { createHash } from 'node:crypto';

/**
 * The counter key of a login identifier: trimmed, NFKC-normalised and lower-cased (so `Alice`,
 * ` alice ` and full-width `ａｌｉｃｅ` share one counter — an attacker cannot multiply the
 * attempts by varying case or width), then SHA-256 hashed so raw usernames, emails and phone
 * numbers never sit in Redis.
 */
export function accountThrottleKey(account: string): string {
  return sha256(account.normalize('NFKC').trim().toLowerCase());
}

/** The counter key of a client address (trimmed, lower-cased for IPv6, hashed like accounts). */
export function addressThrottleKey(address: string): string {
  return sha256(address.trim().toLowerCase());
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
