import type { Knex } from 'knex';
import { createAuth, type CreateAuthOptions } from '../../src/create-auth.js';
import type { Auth } from '../../src/auth.js';
import { defaultHashers } from '../../src/hashers/default-hashers.js';
import type { PasswordHasher } from '../../src/hashers/password-hasher.js';
import type { AbstractUser } from '../../src/models/abstract-user.js';
import type { User } from '../../src/models/user.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** Counts real hash computations (encode + verify) of the hashers it wraps; hashing stays real. */
export class HashCounter {
  encodes = 0;
  verifies = 0;
  get total(): number {
    return this.encodes + this.verifies;
  }
  reset(): void {
    this.encodes = 0;
    this.verifies = 0;
  }
  wrap(hashers: PasswordHasher[]): PasswordHasher[] {
    return hashers.map((h) => {
      const counter = this;
      return {
        algorithm: h.algorithm,
        mustUpdate: (encoded: string) => h.mustUpdate(encoded),
        async encode(password: string) {
          counter.encodes += 1;
          return h.encode(password);
        },
        async verify(password: string, encoded: string) {
          counter.verifies += 1;
          return h.verify(password, encoded);
        },
      };
    });
  }
}

/** An auth on `knex` with cheap scrypt parameters (tests only) and counted hashing. */
export function createTestAuth<U extends AbstractUser = User>(
  knex: Knex,
  options: Partial<CreateAuthOptions<U>> = {},
): { auth: Auth<U>; counter: HashCounter } {
  const counter = new HashCounter();
  const auth = createAuth<U>({
    knex,
    secret: TEST_SECRET,
    hashers: counter.wrap(options.hashers ?? defaultHashers({ logN: 10 })),
    phoneRegion: 'CN',
    ...options,
    ...(options.hashers ? { hashers: counter.wrap(options.hashers) } : {}),
  });
  return { auth, counter };
}
