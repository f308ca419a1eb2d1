import { randomBytes } from 'node:crypto';

/** Django's RANDOM_STRING_CHARS: ASCII letters and digits, safe in URLs and in `$`-separated hashes. */
export const RANDOM_STRING_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A cryptographically random string of `length` characters drawn uniformly from `alphabet`
 * (Django's get_random_string). Bytes that would bias the draw are rejected, not folded with `%`.
 */
export function randomString(length: number, alphabet: string = RANDOM_STRING_CHARS): string {
  if (!Number.isInteger(length) || length < 0) throw new RangeError('length must be a non-negative integer');
  if (alphabet.length < 2 || alphabet.length > 256) throw new RangeError('alphabet must have 2 to 256 characters');
  // Largest multiple of the alphabet size that fits in a byte: bytes at or above it are skipped.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(Math.max(16, (length - out.length) * 2))) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
