import { ImproperlyConfigured } from '../../src/errors.js';
import { DJANGO_SCRYPT_DEFAULTS, DjangoScryptHasher } from '../../src/hashers/django-scrypt-hasher.js';

// Django's tests/auth_tests/test_hashers.py test_scrypt: make_password("lètmein", "seasalt", "scrypt")
// with Django 4.x's parameters (N=2^14, r=8, p=1).
const DJANGO_VECTOR = 'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==';

describe('DjangoScryptHasher', () => {
  const hasher = new DjangoScryptHasher({ workFactor: 2 ** 10, parallelism: 1 });

  it("verifies Django's published vector and rejects a wrong password", async () => {
    await expect(hasher.verify('lètmein', DJANGO_VECTOR)).resolves.toBe(true);
    await expect(hasher.verify('lètmeinz', DJANGO_VECTOR)).resolves.toBe(false);
  });

  it("reproduces Django's vector from the same salt and parameters", async () => {
    const params = { workFactor: 16384, blockSize: 8, parallelism: 1 };
    await expect(hasher.encodeWithSalt('lètmein', 'seasalt', params)).resolves.toBe(DJANGO_VECTOR);
  });

  it('defaults to Django 5.1+ parameters (N=2^14, r=8, p=5)', () => {
    expect(DJANGO_SCRYPT_DEFAULTS).toEqual({ workFactor: 16384, blockSize: 8, parallelism: 5 });
    expect(new DjangoScryptHasher().params).toEqual(DJANGO_SCRYPT_DEFAULTS);
    // The p=1 vector is therefore outdated for the default configuration.
    expect(new DjangoScryptHasher().mustUpdate(DJANGO_VECTOR)).toBe(true);
    expect(new DjangoScryptHasher({ parallelism: 1 }).mustUpdate(DJANGO_VECTOR)).toBe(false);
  });

  it('encodes scrypt$N$salt$r$p$hash with a fresh salt and a 64-byte hash', async () => {
    const encoded = await hasher.encode('pw');
    expect(encoded).toMatch(/^scrypt\$1024\$[A-Za-z0-9]{22}\$8\$1\$[A-Za-z0-9+/]{86}==$/);
    await expect(hasher.verify('pw', encoded)).resolves.toBe(true);
    expect(hasher.mustUpdate(encoded)).toBe(false);
    expect(new DjangoScryptHasher({ workFactor: 2 ** 11, parallelism: 1 }).mustUpdate(encoded)).toBe(true);
    expect(new DjangoScryptHasher({ workFactor: 2 ** 10, blockSize: 4, parallelism: 1 }).mustUpdate(encoded)).toBe(true);
  });

  it('rejects malformed hashes with false', async () => {
    for (const bad of [
      '',
      'scrypt$',
      'scrypt$1000$salt$8$1$hash',
      'scrypt$16384$$8$1$hash',
      'scrypt$16384$salt$0$1$hash',
      'scrypt$1073741824$salt$8$1$hash',
      'scrypt$16384$salt$8$1',
    ]) {
      await expect(hasher.verify('x', bad)).resolves.toBe(false);
      expect(hasher.mustUpdate(bad)).toBe(true);
    }
  });

  it('refuses unusable parameters and salts', async () => {
    expect(() => new DjangoScryptHasher({ workFactor: 1000 })).toThrow(ImproperlyConfigured);
    expect(() => new DjangoScryptHasher({ blockSize: 0 })).toThrow(ImproperlyConfigured);
    await expect(hasher.encodeWithSalt('x', 'a$b')).rejects.toThrow(RangeError);
  });
});
