import { createHash, createHmac } from 'node:crypto';

export type SaltedHmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

/**
 * Django's salted_hmac(key_salt, value, secret, algorithm=...).hexdigest(): an HMAC of `value`
 * keyed with hash(keySalt + secret), so one secret yields an independent key per purpose.
 * Strings are UTF-8 encoded. Agrees with Django's published vectors (utils_tests/test_crypto.py).
 */
export function saltedHmacHex(keySalt: string, value: string, secret: string, algorithm: SaltedHmacAlgorithm): string {
  const key = createHash(algorithm)
    .update(keySalt + secret, 'utf8')
    .digest();
  return createHmac(algorithm, key).update(value, 'utf8').digest('hex');
}
