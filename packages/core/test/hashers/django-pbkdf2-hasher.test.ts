import { ImproperlyConfigured } from '../../src/errors.js';
import { DJANGO_PBKDF2_ITERATIONS, DjangoPbkdf2Sha1Hasher, DjangoPbkdf2Sha256Hasher } from '../../src/hashers/django-pbkdf2-hasher.js';

// Published in Django's tests/auth_tests/test_hashers.py (test_pbkdf2, test_low_level_pbkdf2,
// test_low_level_pbkdf2_sha1) across releases; each was checked against node:crypto.
const SHA256_VECTORS = [
  ['seasalt', 390000, 'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c='],
  ['seasalt', 600000, 'pbkdf2_sha256$600000$seasalt$OAXyhAQ/4ZDA9V5RMExt3C1OwQdUpLZ99vm1McFlLRA='],
  ['seasalt2', 600000, 'pbkdf2_sha256$600000$seasalt2$OSllgFdJjYQjb0RfMzrx8u0XYl4Fkt+wKpI1yq4lZlo='],
] as const;
const SHA1_VECTORS = [
  ['seasalt2', 260000, 'pbkdf2_sha1$260000$seasalt2$wAibXvW6jgvatCdONi6SMJ6q7mI='],
  ['seasalt2', 600000, 'pbkdf2_sha1$600000$seasalt2$2CLsaL1MZhq6JOG6QOHtVbiopHE='],
] as const;

describe('DjangoPbkdf2Sha256Hasher', () => {
  const hasher = new DjangoPbkdf2Sha256Hasher({ iterations: 1000 });

  it.each(SHA256_VECTORS)('verifies Django vector (salt %s, %i iterations)', async (salt, iterations, encoded) => {
    await expect(hasher.verify('lètmein', encoded)).resolves.toBe(true);
    await expect(hasher.verify('lètmeinz', encoded)).resolves.toBe(false);
    await expect(hasher.encodeWithSalt('lètmein', salt, iterations)).resolves.toBe(encoded);
  });

  it("uses Django 5.2's 1,000,000 iterations by default", () => {
    expect(DJANGO_PBKDF2_ITERATIONS).toBe(1_000_000);
    expect(new DjangoPbkdf2Sha256Hasher().iterations).toBe(1_000_000);
  });

  it('encodes with a fresh 22-character salt and the configured iterations', async () => {
    const encoded = await hasher.encode('lètmein');
    expect(encoded).toMatch(/^pbkdf2_sha256\$1000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    await expect(hasher.verify('lètmein', encoded)).resolves.toBe(true);
    expect(hasher.mustUpdate(encoded)).toBe(false);
    expect(await hasher.encode('lètmein')).not.toBe(encoded);
  });

  it('must update when the iterations differ or the salt is weak (Django)', async () => {
    expect(hasher.mustUpdate(await hasher.encodeWithSalt('x', 'abcdefghijklmnopqrstuv', 999))).toBe(true);
    expect(hasher.mustUpdate(await hasher.encodeWithSalt('x', 'iodizedsalt', 1000))).toBe(true);
    expect(hasher.mustUpdate(await hasher.encodeWithSalt('x', 'abcdefghijklmnopqrstuv', 1000))).toBe(false);
  });

  it('rejects malformed hashes with false', async () => {
    for (const bad of [
      '',
      'pbkdf2_sha256$',
      'pbkdf2_sha256$abc$salt$hash',
      'pbkdf2_sha256$0$salt$hash',
      'pbkdf2_sha256$1000$$hash',
      'pbkdf2_sha256$99999999999$salt$hash',
      'pbkdf2_sha1$1000$salt$hash',
      'pbkdf2_sha256$1000$salt$hash$extra',
    ]) {
      await expect(hasher.verify('x', bad)).resolves.toBe(false);
      expect(hasher.mustUpdate(bad)).toBe(true);
    }
  });

  it('refuses salts Django refuses', async () => {
    await expect(hasher.encodeWithSalt('x', '')).rejects.toThrow(RangeError);
    await expect(hasher.encodeWithSalt('x', 'sea$salt')).rejects.toThrow(RangeError);
  });

  it('refuses bad iteration counts at construction', () => {
    expect(() => new DjangoPbkdf2Sha256Hasher({ iterations: 0 })).toThrow(ImproperlyConfigured);
    expect(() => new DjangoPbkdf2Sha256Hasher({ iterations: 1.5 })).toThrow(ImproperlyConfigured);
  });

  it('hardens the runtime of a wrong password against a weaker hash without throwing', async () => {
    const weak = await new DjangoPbkdf2Sha256Hasher({ iterations: 10 }).encode('x');
    await expect(hasher.hardenRuntime('y', weak)).resolves.toBeUndefined();
    await expect(hasher.hardenRuntime('y', 'garbage')).resolves.toBeUndefined();
  });
});

describe('DjangoPbkdf2Sha1Hasher', () => {
  const hasher = new DjangoPbkdf2Sha1Hasher({ iterations: 1000 });

  it.each(SHA1_VECTORS)('verifies Django vector (salt %s, %i iterations)', async (salt, iterations, encoded) => {
    await expect(hasher.verify('lètmein', encoded)).resolves.toBe(true);
    await expect(hasher.verify('lètmeinz', encoded)).resolves.toBe(false);
    await expect(hasher.encodeWithSalt('lètmein', salt, iterations)).resolves.toBe(encoded);
  });

  it('writes a 20-byte key under pbkdf2_sha1', async () => {
    const encoded = await hasher.encode('pw');
    expect(encoded).toMatch(/^pbkdf2_sha1\$1000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{27}=$/);
    await expect(hasher.verify('pw', encoded)).resolves.toBe(true);
    // The sha256 hasher does not read sha1 hashes.
    await expect(new DjangoPbkdf2Sha256Hasher({ iterations: 1000 }).verify('pw', encoded)).resolves.toBe(false);
  });
});
