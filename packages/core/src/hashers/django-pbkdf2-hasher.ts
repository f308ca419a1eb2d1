import { pbkdf2 as pbkdf2Callback } from 'node:crypto';
import { promisify } from 'node:util';
import { ImproperlyConfigured } from '../errors.js';
import { constantTimeEqual } from './constant-time.js';
import type { PasswordHasher } from './password-hasher.js';
import { RANDOM_STRING_CHARS, randomString } from './random-string.js';

const pbkdf2 = promisify(pbkdf2Callback);

/** Django 5.2's PBKDF2PasswordHasher.iterations (also used by its SHA-1 variant). */
export const DJANGO_PBKDF2_ITERATIONS = 1_000_000;

/** Django's BasePasswordHasher.salt_entropy, in bits. */
const SALT_ENTROPY = 128;
const BITS_PER_SALT_CHAR = Math.log2(RANDOM_STRING_CHARS.length);
/** 22 characters: the fewest that carry SALT_ENTROPY bits. */
const SALT_LENGTH = Math.ceil(SALT_ENTROPY / BITS_PER_SALT_CHAR);
/** Node's pbkdf2 takes a signed 32-bit iteration count. */
const MAX_ITERATIONS = 2 ** 31 - 1;

/** What `decode` reads out of a PBKDF2 hash (Django's decode() dict). */
export interface DecodedPbkdf2 {
  algorithm: string;
  iterations: number;
  salt: string;
  /** The base64 PBKDF2 output. */
  hash: string;
}

/**
 * Django's PBKDF2 hashers, `<algorithm>$<iterations>$<salt>$<base64 hash>`, where the hash is
 * PBKDF2-HMAC(password utf-8, salt utf-8, iterations) with the digest's own length as key length.
 * Reads and writes hashes that Django itself reads and writes, so a Django user table can be
 * imported as is.
 */
export abstract class DjangoPbkdf2Hasher implements PasswordHasher {
  abstract readonly algorithm: string;
  protected abstract readonly digest: 'sha256' | 'sha1';
  protected abstract readonly keyLength: number;
  readonly iterations: number;

  /** `iterations` defaults to Django 5.2's 1,000,000; throws ImproperlyConfigured when not a positive integer. */
  constructor({ iterations = DJANGO_PBKDF2_ITERATIONS }: { iterations?: number } = {}) {
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new ImproperlyConfigured('PBKDF2 iterations must be a positive 32-bit integer.');
    }
    this.iterations = iterations;
  }

  encode(password: string): Promise<string> {
    return this.encodeWithSalt(password, randomString(SALT_LENGTH), this.iterations);
  }

  /**
   * Django's `encode(password, salt, iterations)`: deterministic, for test vectors and imports.
   * Throws RangeError when the salt is empty or contains `$`, or iterations are out of range.
   */
  async encodeWithSalt(password: string, salt: string, iterations: number = this.iterations): Promise<string> {
    if (!salt || salt.includes('$')) throw new RangeError('salt must be non-empty and cannot contain $.');
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new RangeError('iterations must be a positive 32-bit integer.');
    }
    const hash = await pbkdf2(password, salt, iterations, this.keyLength, this.digest);
    return `${this.algorithm}$${iterations}$${salt}$${hash.toString('base64')}`;
  }

  /** Recomputes the hash with the stored salt and iterations; false (never throws) when malformed. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const decoded = this.decode(encoded);
    if (!decoded) return false;
    const candidate = await this.encodeWithSalt(password, decoded.salt, decoded.iterations);
    return constantTimeEqual(encoded, candidate);
  }

  /** True when the iteration count differs from the configured one or the salt is too short (Django). */
  mustUpdate(encoded: string): boolean {
    const decoded = this.decode(encoded);
    if (!decoded) return true;
    const weakSalt = decoded.salt.length * BITS_PER_SALT_CHAR < SALT_ENTROPY;
    return decoded.iterations !== this.iterations || weakSalt;
  }

  /** Runs the iterations a weaker stored hash lacks, so a wrong password costs the current amount. */
  async hardenRuntime(password: string, encoded: string): Promise<void> {
    const decoded = this.decode(encoded);
    if (!decoded) return;
    const extra = this.iterations - decoded.iterations;
    if (extra > 0) await pbkdf2(password, decoded.salt, extra, this.keyLength, this.digest);
  }

  /** Django's `decode()`: the parts of a hash this hasher wrote, or null when `encoded` is not one. */
  decode(encoded: string): DecodedPbkdf2 | null {
    if (typeof encoded !== 'string') return null;
    const parts = encoded.split('$');
    if (parts.length !== 4) return null;
    const [algorithm, iterationsText, salt, hash] = parts as [string, string, string, string];
    if (algorithm !== this.algorithm || !salt || !hash || !/^[1-9][0-9]{0,9}$/.test(iterationsText)) return null;
    const iterations = Number(iterationsText);
    if (iterations > MAX_ITERATIONS) return null;
    return { algorithm, iterations, salt, hash };
  }
}

/** Django's PBKDF2PasswordHasher: `pbkdf2_sha256$…`, 32-byte key. */
export class DjangoPbkdf2Sha256Hasher extends DjangoPbkdf2Hasher {
  readonly algorithm = 'pbkdf2_sha256';
  protected readonly digest = 'sha256';
  protected readonly keyLength = 32;
}

/** Django's PBKDF2SHA1PasswordHasher: `pbkdf2_sha1$…`, 20-byte key. Kept to read old hashes. */
export class DjangoPbkdf2Sha1Hasher extends DjangoPbkdf2Hasher {
  readonly algorithm = 'pbkdf2_sha1';
  protected readonly digest = 'sha1';
  protected readonly keyLength = 20;
}
