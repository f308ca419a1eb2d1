import { DjangoPbkdf2Sha1Hasher, DjangoPbkdf2Sha256Hasher } from './django-pbkdf2-hasher.js';
import { DjangoScryptHasher } from './django-scrypt-hasher.js';
import type { PasswordHasher } from './password-hasher.js';
import { ScryptKdfHasher, type ScryptKdfParams } from './scrypt-kdf-hasher.js';

/**
 * scrypt-kdf for new hashes, then Django's formats so that users imported from a Django site
 * log in and are moved to scrypt-kdf on their first login.
 */
export function defaultHashers(scrypt: Partial<ScryptKdfParams> = {}): PasswordHasher[] {
  return [new ScryptKdfHasher(scrypt), new DjangoPbkdf2Sha256Hasher(), new DjangoPbkdf2Sha1Hasher(), new DjangoScryptHasher()];
}
