import { createHash } from 'node:crypto';
import { ImproperlyConfigured } from '../errors.js';
import { constantTimeEqual } from './constant-time.js';
import type { PasswordHasher } from './password-hasher.js';

/**
 * Django's legacy hashers (MD5PasswordHasher, SHA1PasswordHasher, UnsaltedMD5PasswordHasher,
 * UnsaltedSHA1PasswordHasher), for importing the user table of a very old Django site. They
 * only ever verify: a correct password is re-hashed with the default hasher at once (upgrade on
 * login), and `encode` refuses, so no new hash is ever written in these formats. None of them
 * may be the default hasher (PasswordHashers refuses it).
 */
abstract class LegacyHasher implements PasswordHasher {
  abstract readonly algorithm: string;
  /** Marks a hasher that must never write hashes. */
  readonly verifyOnly = true;

  /** Always refuses: these formats are too weak for new hashes. */
  async encode(): Promise<string> {
    throw new ImproperlyConfigured(`The ${this.algorithm} hasher only verifies old hashes; it never makes new ones.`);
  }

  /** Always true: a verified legacy hash is replaced by the default hasher's at once. */
  mustUpdate(): boolean {
    return true;
  }

  abstract verify(password: string, encoded: string): Promise<boolean>;
}

function hex(algorithm: 'md5' | 'sha1', text: string): string {
  return createHash(algorithm).update(text, 'utf8').digest('hex');
}

/** Salted `<algorithm>$<salt>$<hex digest of salt + password>`. */
abstract class SaltedLegacyHasher extends LegacyHasher {
  protected abstract readonly digest: 'md5' | 'sha1';

  /** Django's `encode(password, salt)`, for test vectors only. Throws RangeError on a salt with `$`. */
  encodeWithSalt(password: string, salt: string): string {
    if (salt.includes('$')) throw new RangeError('salt cannot contain $.');
    return `${this.algorithm}$${salt}$${hex(this.digest, salt + password)}`;
  }

  /** True when `encoded` is this algorithm's `<salt>$<hex>` of `password`; constant-time, never throws. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const parts = typeof encoded === 'string' ? encoded.split('$') : [];
    if (parts.length !== 3 || parts[0] !== this.algorithm) return false;
    return constantTimeEqual(encoded, this.encodeWithSalt(password, parts[1] as string));
  }
}

/** Django's MD5PasswordHasher: `md5$<salt>$<hex>`. Verify-only. */
export class DjangoMd5Hasher extends SaltedLegacyHasher {
  readonly algorithm = 'md5';
  protected readonly digest = 'md5';
}

/** Django's SHA1PasswordHasher: `sha1$<salt>$<hex>`. Verify-only. */
export class DjangoSha1Hasher extends SaltedLegacyHasher {
  readonly algorithm = 'sha1';
  protected readonly digest = 'sha1';
}

/**
 * Django's UnsaltedMD5PasswordHasher: a bare 32-digit hex MD5 (no algorithm prefix), also
 * accepted as `md5$$<hex>` (an MD5 hash with an empty salt). PasswordHashers recognises both
 * shapes as `unsalted_md5`. Verify-only.
 */
export class DjangoUnsaltedMd5Hasher extends LegacyHasher {
  readonly algorithm = 'unsalted_md5';

  /** The bare hex digest Django stores, for test vectors only. */
  encodeWithSalt(password: string): string {
    return hex('md5', password);
  }

  /** True when `password`'s MD5 matches a bare hex or `md5$$<hex>` hash; constant-time, never throws. */
  async verify(password: string, encoded: string): Promise<boolean> {
    if (typeof encoded !== 'string') return false;
    const bare = encoded.length === 37 && encoded.startsWith('md5$$') ? encoded.slice(5) : encoded;
    return constantTimeEqual(bare, hex('md5', password));
  }
}

/** Django's UnsaltedSHA1PasswordHasher: `sha1$$<hex>`, recognised as `unsalted_sha1`. Verify-only. */
export class DjangoUnsaltedSha1Hasher extends LegacyHasher {
  readonly algorithm = 'unsalted_sha1';

  /** Django's stored form, for test vectors only. */
  encodeWithSalt(password: string): string {
    return `sha1$$${hex('sha1', password)}`;
  }

  /** True when `encoded` is `sha1$$<hex>` of `password`; constant-time, never throws. */
  async verify(password: string, encoded: string): Promise<boolean> {
    return typeof encoded === 'string' && constantTimeEqual(encoded, this.encodeWithSalt(password));
  }
}

/**
 * The four legacy hashers, to append after the default ones when importing an old Django site:
 * `hashers: [...defaultHashers(), ...legacyDjangoHashers()]` (never first: they cannot encode).
 */
export function legacyDjangoHashers(): PasswordHasher[] {
  return [new DjangoMd5Hasher(), new DjangoSha1Hasher(), new DjangoUnsaltedMd5Hasher(), new DjangoUnsaltedSha1Hasher()];
}

/**
 * Django's identify_hasher special cases: the algorithm name of a hash whose prefix does not
 * name it (bare MD5, `md5$$…`, `sha1$$…`), else null.
 */
export function legacyAlgorithmOf(encoded: string): string | null {
  if ((encoded.length === 32 && !encoded.includes('$')) || (encoded.length === 37 && encoded.startsWith('md5$$'))) return 'unsalted_md5';
  if (encoded.length === 46 && encoded.startsWith('sha1$$')) return 'unsalted_sha1';
  return null;
}
