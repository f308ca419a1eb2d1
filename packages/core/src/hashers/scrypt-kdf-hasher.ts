import * as scryptKdfModule from 'scrypt-kdf';
import { ImproperlyConfigured } from '../errors.js';
import type { PasswordHasher } from './password-hasher.js';

type ScryptKdfApi = Pick<typeof scryptKdfModule, 'kdf' | 'verify' | 'viewParams'>;

// scrypt-kdf 4's typings declare named exports, but the module only has a default export (the
// Scrypt class with static methods). Take the default when it is there, so both shapes work.
const scryptKdf: ScryptKdfApi = (scryptKdfModule as unknown as { default?: ScryptKdfApi }).default ?? scryptKdfModule;

/** scrypt cost parameters: N = 2^logN, block size r, parallelism p. */
export interface ScryptKdfParams {
  logN: number;
  r: number;
  p: number;
}

/** A scrypt-kdf key is always 96 bytes: header, params, salt, checksum, HMAC. */
const KEY_BYTES = 96;
const KEY_MAGIC = 'scrypt';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The default hasher: scrypt through the scrypt-kdf package, which stores the salt and the
 * parameters inside its 96-byte key. Encoded form: `scrypt-kdf$<base64 of the key>`.
 *
 * Stored hashes are trusted data: verifying one runs scrypt with the parameters it carries
 * (scrypt-kdf allows up to 2 GiB of memory), so only this library should write them.
 */
export class ScryptKdfHasher implements PasswordHasher {
  readonly algorithm = 'scrypt-kdf';
  readonly params: Readonly<ScryptKdfParams>;

  /** Defaults `{ logN: 15, r: 8, p: 1 }` (scrypt-kdf's recommendation); throws ImproperlyConfigured on bad values. */
  constructor({ logN = 15, r = 8, p = 1 }: Partial<ScryptKdfParams> = {}) {
    if (!Number.isInteger(logN) || logN < 1 || logN > 30) {
      throw new ImproperlyConfigured('ScryptKdfHasher: logN must be an integer from 1 to 30.');
    }
    if (!Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1 || r * p >= 2 ** 30) {
      throw new ImproperlyConfigured('ScryptKdfHasher: r and p must be positive integers with r*p < 2^30.');
    }
    this.params = Object.freeze({ logN, r, p });
  }

  async encode(password: string): Promise<string> {
    const key = await scryptKdf.kdf(password, this.params);
    return `${this.algorithm}$${Buffer.from(key).toString('base64')}`;
  }

  /** False (never throws) for a hash that is not a well-formed scrypt-kdf key. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const key = this.decode(encoded);
    if (!key) return false;
    try {
      return await scryptKdf.verify(key, password);
    } catch {
      return false;
    }
  }

  /** True when the key's logN, r or p differ from the configured ones, or the hash is malformed. */
  mustUpdate(encoded: string): boolean {
    const key = this.decode(encoded);
    if (!key) return true;
    const stored = scryptKdf.viewParams(key);
    return stored.logN !== this.params.logN || stored.r !== this.params.r || stored.p !== this.params.p;
  }

  private decode(encoded: string): Uint8Array | null {
    const prefix = `${this.algorithm}$`;
    if (typeof encoded !== 'string' || !encoded.startsWith(prefix)) return null;
    const body = encoded.slice(prefix.length);
    if (!BASE64.test(body)) return null;
    const key = Buffer.from(body, 'base64');
    if (key.length !== KEY_BYTES || key.subarray(0, KEY_MAGIC.length).toString('latin1') !== KEY_MAGIC) return null;
    return new Uint8Array(key);
  }
}
