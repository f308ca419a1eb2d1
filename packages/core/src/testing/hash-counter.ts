import type { PasswordHasher } from '../hashers/password-hasher.js';

/**
 * Counts the real hash computations (encode + verify) of the hashers it wraps, so that a test
 * can assert how many a request cost (e.g. exactly one for an unknown account). Hashing itself
 * stays real.
 */
export class HashCounter {
  encodes = 0;
  verifies = 0;

  /** Encodes plus verifies since the last reset. */
  get total(): number {
    return this.encodes + this.verifies;
  }

  /** Starts counting from zero again. */
  reset(): void {
    this.encodes = 0;
    this.verifies = 0;
  }

  /** The same hashers (same algorithms and results), each counting into this counter. */
  wrap(hashers: PasswordHasher[]): PasswordHasher[] {
    return hashers.map((hasher) => {
      const counter = this;
      return {
        algorithm: hasher.algorithm,
        mustUpdate: (encoded: string) => hasher.mustUpdate(encoded),
        async encode(password: string) {
          counter.encodes += 1;
          return hasher.encode(password);
        },
        async verify(password: string, encoded: string) {
          counter.verifies += 1;
          return hasher.verify(password, encoded);
        },
      };
    });
  }
}
