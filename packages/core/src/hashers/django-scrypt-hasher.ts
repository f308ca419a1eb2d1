import { scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { ImproperlyConfigured } from '../errors.js';
import { constantTimeEqual } from './constant-time.js';
import type { PasswordHasher } from './password-hasher.js';
import { RANDOM_STRING_CHARS, randomString } from './random-string.js';

/** Django's ScryptPasswordHasher parameters: work factor N, block size r, parallelism p. */
export interface DjangoScryptParams {
  workFactor: number;
  blockSize: number;
  parallelism: number;
}

/** What `DjangoScryptHasher.decode` reads out of a hash (Django's decode() dict, camelCased). */
export interface DecodedDjangoScrypt extends DjangoScryptParams {
  algorithm: string;
  salt: string;
  /** The base64 scrypt output. */
  hash: string;
}

/** Django 5.1+ defaults (N = 2^14, r = 8, p = 5; Django 4.x used p = 1). */
export const DJANGO_SCRYPT_DEFAULTS: Readonly<DjangoScryptParams> = Object.freeze({
  workFactor: 2 ** 14,
  blockSize: 8,
  parallelism: 5,
});

const KEY_LENGTH = 64;
const SALT_LENGTH = Math.ceil(128 / Math.log2(RANDOM_STRING_CHARS.length));
/** Refuse stored parameters that would need more than this much memory (a corrupted row must not exhaust RAM). */
const MAX_MEMORY = 1024 ** 3;

function scrypt(password: string, salt: string, params: DjangoScryptParams): Promise<Buffer> {
  const { workFactor: N, blockSize: r, parallelism: p } = params;
  // Node refuses when 128*N*r exceeds maxmem (default 32 MiB); give it twice the need plus the
  // p-dependent buffer so any parameters Django accepts also work here.
  const options: ScryptOptions = { N, r, p, maxmem: 2 * 128 * N * r + 2 * 128 * r * p };
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function checkParams({ workFactor, blockSize, parallelism }: DjangoScryptParams): string | null {
  const powerOfTwo = Number.isInteger(workFactor) && workFactor > 1 && (workFactor & (workFactor - 1)) === 0;
  if (!powerOfTwo) return 'work factor must be a power of two greater than 1';
  if (!Number.isInteger(blockSize) || blockSize < 1) return 'block size must be a positive integer';
  if (!Number.isInteger(parallelism) || parallelism < 1) return 'parallelism must be a positive integer';
  if (128 * workFactor * blockSize > MAX_MEMORY) return 'parameters need more than 1 GiB of memory';
  return null;
}

/**
 * Django's ScryptPasswordHasher, `scrypt$<N>$<salt>$<r>$<p>$<base64 hash>`, where the hash is
 * the 64-byte scrypt(password utf-8, salt utf-8, N, r, p). Reads and writes what Django does.
 */
export class DjangoScryptHasher implements PasswordHasher {
  readonly algorithm = 'scrypt';
  readonly params: Readonly<DjangoScryptParams>;

  /** Defaults to Django 5.1+'s parameters; throws ImproperlyConfigured on unusable ones. */
  constructor(params: Partial<DjangoScryptParams> = {}) {
    const merged = { ...DJANGO_SCRYPT_DEFAULTS, ...params };
    const problem = checkParams(merged);
    if (problem) throw new ImproperlyConfigured(`DjangoScryptHasher: ${problem}.`);
    this.params = Object.freeze(merged);
  }

  encode(password: string): Promise<string> {
    return this.encodeWithSalt(password, randomString(SALT_LENGTH));
  }

  /**
   * Django's `encode(password, salt, n, r, p)`: deterministic, for test vectors and imports.
   * Throws RangeError on an empty salt, a salt with `$`, or unusable parameters.
   */
  async encodeWithSalt(password: string, salt: string, params: DjangoScryptParams = this.params): Promise<string> {
    if (!salt || salt.includes('$')) throw new RangeError('salt must be non-empty and cannot contain $.');
    const problem = checkParams(params);
    if (problem) throw new RangeError(problem);
    const hash = await scrypt(password, salt, params);
    const { workFactor, blockSize, parallelism } = params;
    return `${this.algorithm}$${workFactor}$${salt}$${blockSize}$${parallelism}$${hash.toString('base64')}`;
  }

  /** Recomputes the hash with the stored salt and parameters; false (never throws) when malformed. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const decoded = this.decode(encoded);
    if (!decoded) return false;
    const candidate = await this.encodeWithSalt(password, decoded.salt, decoded);
    return constantTimeEqual(encoded, candidate);
  }

  /** True when N, r or p differ from the configured ones, or the hash is malformed (Django). */
  mustUpdate(encoded: string): boolean {
    const decoded = this.decode(encoded);
    if (!decoded) return true;
    const { workFactor, blockSize, parallelism } = decoded;
    return workFactor !== this.params.workFactor || blockSize !== this.params.blockSize || parallelism !== this.params.parallelism;
  }

  /**
   * Django's `decode()`: the parts of a hash this hasher wrote (algorithm, work factor, salt,
   * block size, parallelism, base64 hash), or null when `encoded` is not such a hash or its
   * parameters are unusable.
   */
  decode(encoded: string): DecodedDjangoScrypt | null {
    if (typeof encoded !== 'string') return null;
    const parts = encoded.split('$');
    if (parts.length !== 6) return null;
    const [algorithm, n, salt, r, p, hash] = parts as [string, string, string, string, string, string];
    const integer = /^[1-9][0-9]{0,9}$/;
    if (algorithm !== this.algorithm || !salt || !hash || ![n, r, p].every((x) => integer.test(x))) return null;
    const params = { workFactor: Number(n), blockSize: Number(r), parallelism: Number(p) };
    return checkParams(params) ? null : { algorithm, hash, salt, ...params };
  }
}
