import { jest } from '@jest/globals';
import { ImproperlyConfigured, ValidationError } from '../../src/errors.js';
import { DjangoPbkdf2Sha1Hasher, DjangoPbkdf2Sha256Hasher } from '../../src/hashers/django-pbkdf2-hasher.js';
import { DjangoScryptHasher } from '../../src/hashers/django-scrypt-hasher.js';
import { MAX_PASSWORD_LENGTH, PasswordHashers, UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH } from '../../src/hashers/password-hashers.js';
import { ScryptKdfHasher } from '../../src/hashers/scrypt-kdf-hasher.js';
import { CountingHasher } from './counting-hasher.js';

const PBKDF2_SHA256_VECTOR = 'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=';
const PBKDF2_SHA1_VECTOR = 'pbkdf2_sha1$260000$seasalt2$wAibXvW6jgvatCdONi6SMJ6q7mI=';
const DJANGO_SCRYPT_VECTOR = 'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==';

/** Small parameters keep the suite fast; the real hashing code runs all the same. */
function testHashers(): PasswordHashers {
  return new PasswordHashers([
    new ScryptKdfHasher({ logN: 10 }),
    new DjangoPbkdf2Sha256Hasher({ iterations: 1000 }),
    new DjangoPbkdf2Sha1Hasher({ iterations: 1000 }),
    new DjangoScryptHasher({ workFactor: 2 ** 10 }),
  ]);
}

function upgradeSpy() {
  return jest.fn<(newEncoded: string) => Promise<void>>(async () => undefined);
}

describe('PasswordHashers configuration', () => {
  it('needs at least one hasher', () => {
    expect(() => new PasswordHashers([])).toThrow(ImproperlyConfigured);
  });

  it('refuses two hashers with the same algorithm', () => {
    expect(() => new PasswordHashers([new ScryptKdfHasher(), new ScryptKdfHasher({ logN: 10 })])).toThrow(ImproperlyConfigured);
  });

  it('takes the first hasher as the default', () => {
    const hashers = testHashers();
    expect(hashers.default.algorithm).toBe('scrypt-kdf');
  });

  it('identifies hashers by the prefix before the first $', () => {
    const hashers = testHashers();
    expect(hashers.identify(PBKDF2_SHA256_VECTOR)?.algorithm).toBe('pbkdf2_sha256');
    expect(hashers.identify(PBKDF2_SHA1_VECTOR)?.algorithm).toBe('pbkdf2_sha1');
    expect(hashers.identify(DJANGO_SCRYPT_VECTOR)?.algorithm).toBe('scrypt');
    expect(hashers.identify('scrypt-kdf$abc')?.algorithm).toBe('scrypt-kdf');
    for (const none of [null, undefined, '', '!abc', 'md5$salt$hash', 'scrypt-kdf', '$abc']) {
      expect(hashers.identify(none)).toBeNull();
    }
  });
});

describe('PasswordHashers.makePassword and checkPassword', () => {
  const hashers = testHashers();

  it('hashes with the default hasher and checks the result', async () => {
    const encoded = await hashers.makePassword('lètmein');
    expect(encoded.startsWith('scrypt-kdf$')).toBe(true);
    expect(hashers.isPasswordUsable(encoded)).toBe(true);
    await expect(hashers.checkPassword('lètmein', encoded)).resolves.toBe(true);
    await expect(hashers.checkPassword('lètmeinz', encoded)).resolves.toBe(false);
  });

  it.each([
    ['pbkdf2_sha256', PBKDF2_SHA256_VECTOR],
    ['pbkdf2_sha1', PBKDF2_SHA1_VECTOR],
    ['django scrypt', DJANGO_SCRYPT_VECTOR],
  ])('accepts a Django %s hash and upgrades it to the default on login', async (_name, vector) => {
    const onUpgrade = upgradeSpy();
    await expect(hashers.checkPassword('lètmein', vector, onUpgrade)).resolves.toBe(true);
    expect(onUpgrade).toHaveBeenCalledTimes(1);
    const upgraded = onUpgrade.mock.calls[0]?.[0] ?? '';
    expect(upgraded.startsWith('scrypt-kdf$')).toBe(true);
    expect(hashers.default.mustUpdate(upgraded)).toBe(false);

    // The new hash works and is current: no further upgrade.
    const again = upgradeSpy();
    await expect(hashers.checkPassword('lètmein', upgraded, again)).resolves.toBe(true);
    expect(again).not.toHaveBeenCalled();
  });

  it.each([
    ['pbkdf2_sha256', PBKDF2_SHA256_VECTOR],
    ['pbkdf2_sha1', PBKDF2_SHA1_VECTOR],
    ['django scrypt', DJANGO_SCRYPT_VECTOR],
  ])('does not upgrade a Django %s hash on a wrong password', async (_name, vector) => {
    const onUpgrade = upgradeSpy();
    await expect(hashers.checkPassword('lètmeinz', vector, onUpgrade)).resolves.toBe(false);
    expect(onUpgrade).not.toHaveBeenCalled();
  });

  it('upgrades a scrypt-kdf hash made with older parameters', async () => {
    const old = await new ScryptKdfHasher({ logN: 9 }).encode('lètmein');
    expect(hashers.default.mustUpdate(old)).toBe(true);

    const wrong = upgradeSpy();
    await expect(hashers.checkPassword('nope', old, wrong)).resolves.toBe(false);
    expect(wrong).not.toHaveBeenCalled();

    const onUpgrade = upgradeSpy();
    await expect(hashers.checkPassword('lètmein', old, onUpgrade)).resolves.toBe(true);
    expect(onUpgrade).toHaveBeenCalledTimes(1);
    const upgraded = onUpgrade.mock.calls[0]?.[0] ?? '';
    expect(upgraded).not.toBe(old);
    expect(hashers.default.mustUpdate(upgraded)).toBe(false);
    await expect(hashers.default.verify('lètmein', upgraded)).resolves.toBe(true);
  });

  it('does not call onUpgrade when the hash is current', async () => {
    const encoded = await hashers.makePassword('lètmein');
    const onUpgrade = upgradeSpy();
    await expect(hashers.checkPassword('lètmein', encoded, onUpgrade)).resolves.toBe(true);
    expect(onUpgrade).not.toHaveBeenCalled();
  });

  it('lets an upgrade be skipped by passing no handler', async () => {
    await expect(hashers.checkPassword('lètmein', PBKDF2_SHA256_VECTOR)).resolves.toBe(true);
  });

  it('accepts the empty password like Django when it was set', async () => {
    const encoded = await hashers.makePassword('');
    await expect(hashers.checkPassword('', encoded)).resolves.toBe(true);
    await expect(hashers.checkPassword(' ', encoded)).resolves.toBe(false);
  });
});

describe('unusable passwords', () => {
  const hashers = testHashers();

  it('makePassword(null) gives ! and 40 random letters and digits', async () => {
    const encoded = await hashers.makePassword(null);
    expect(UNUSABLE_PASSWORD_PREFIX).toBe('!');
    expect(encoded).toHaveLength(1 + UNUSABLE_PASSWORD_SUFFIX_LENGTH);
    expect(encoded).toMatch(/^![A-Za-z0-9]{40}$/);
    expect(await hashers.makePassword(null)).not.toBe(encoded);
    expect(hashers.isPasswordUsable(encoded)).toBe(false);
  });

  it('never match, not even themselves', async () => {
    const encoded = await hashers.makePassword(null);
    for (const raw of [encoded, '!', '', 'lètmein']) {
      await expect(hashers.checkPassword(raw, encoded)).resolves.toBe(false);
    }
  });

  it('treats missing, empty and unknown hashes as not matching', async () => {
    expect(hashers.isPasswordUsable(null)).toBe(false);
    expect(hashers.isPasswordUsable(undefined)).toBe(false);
    expect(hashers.isPasswordUsable('')).toBe(false);
    expect(hashers.isPasswordUsable('md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3')).toBe(true);
    for (const encoded of [null, undefined, '', 'md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3']) {
      await expect(hashers.checkPassword('lètmein', encoded)).resolves.toBe(false);
    }
  });
});

describe('input guards', () => {
  const hashers = testHashers();
  const longest = 'a'.repeat(MAX_PASSWORD_LENGTH);

  it('hashes passwords of up to 4096 characters', async () => {
    expect(MAX_PASSWORD_LENGTH).toBe(4096);
    const encoded = await hashers.makePassword(longest);
    await expect(hashers.checkPassword(longest, encoded)).resolves.toBe(true);
  });

  it('refuses to hash a 4097-character password', async () => {
    const error = await hashers.makePassword(`${longest}a`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.password?.[0]?.code).toBe('password_too_long');
    expect((error as ValidationError).message).not.toContain('aaaa');
  });

  it('checks a 4097-character password as false, even against a hash of its first 4096 characters', async () => {
    const encoded = await hashers.makePassword(longest);
    await expect(hashers.checkPassword(`${longest}a`, encoded)).resolves.toBe(false);
  });

  it('refuses to hash non-string raw passwords (ValidationError on password) and checks them as false', async () => {
    for (const raw of [undefined, 123, {}, ['pw']]) {
      const made = await hashers.makePassword(raw as unknown as string).catch((e: unknown) => e);
      expect(made).toBeInstanceOf(ValidationError);
      expect((made as ValidationError).fields.password?.[0]?.code).toBe('invalid');
      await expect(hashers.checkPassword(raw as unknown as string, 'scrypt-kdf$x')).resolves.toBe(false);
    }
  });
});

describe('NUL characters', () => {
  const hashers = testHashers();

  async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ password: [{ code: 'null_characters_not_allowed', message: 'Null characters are not allowed.' }] });
    return error as ValidationError;
  }

  it('are refused when a password is set', async () => {
    for (const raw of ['\0', 'secret\0', 'sec\0ret', '\0secret']) await refusal(hashers.makePassword(raw));
  });

  it("are refused when a password is checked, so 'secret\\0' never matches 'secret' (scrypt ignores trailing NULs)", async () => {
    const encoded = await hashers.makePassword('secret');
    const error = await refusal(hashers.checkPassword('secret\0', encoded));
    expect(error.message).not.toContain('secret');
    await refusal(hashers.checkPassword('secret\0\0', encoded));
    // Legacy (Django) hashes and missing hashes alike: the answer never depends on the account.
    await refusal(hashers.checkPassword('secret\0', PBKDF2_SHA256_VECTOR));
    await refusal(hashers.checkPassword('secret\0', null));
    await refusal(hashers.hardenRuntime('secret\0'));
    await expect(hashers.checkPassword('secret', encoded)).resolves.toBe(true);
  });
});

describe('timing hardening: one default-hasher computation per check', () => {
  const defaultHasher = new CountingHasher(new ScryptKdfHasher({ logN: 10 }));
  const legacy = new CountingHasher(new DjangoPbkdf2Sha256Hasher({ iterations: 1000 }));
  const hashers = new PasswordHashers([defaultHasher, legacy]);
  let known = '';

  beforeAll(async () => {
    known = await hashers.makePassword('correct horse');
    await hashers.warmUp();
  });

  beforeEach(() => {
    defaultHasher.reset();
    legacy.reset();
  });

  async function countFor(run: () => Promise<unknown>): Promise<{ encodes: number; verifies: number }> {
    defaultHasher.reset();
    await run();
    return { encodes: defaultHasher.encodes, verifies: defaultHasher.verifies };
  }

  it('known user, right password: one verify', async () => {
    expect(await countFor(() => hashers.checkPassword('correct horse', known))).toEqual({ encodes: 0, verifies: 1 });
  });

  it('known user, wrong password: one verify', async () => {
    expect(await countFor(() => hashers.checkPassword('wrong', known))).toEqual({ encodes: 0, verifies: 1 });
  });

  it('unknown user (hardenRuntime): one verify', async () => {
    expect(await countFor(() => hashers.hardenRuntime('wrong'))).toEqual({ encodes: 0, verifies: 1 });
  });

  it.each([
    ['an unusable hash', '!abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN'],
    ['a null hash', null],
    ['an empty hash', ''],
    ['an unknown algorithm', 'md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3'],
  ])('%s: one verify, then false', async (_name, encoded) => {
    let result: boolean | undefined;
    const counts = await countFor(async () => {
      result = await hashers.checkPassword('correct horse', encoded);
    });
    expect(result).toBe(false);
    expect(counts).toEqual({ encodes: 0, verifies: 1 });
  });

  it('a 4097-character password: one verify (on the truncated value), then false', async () => {
    const counts = await countFor(() => hashers.checkPassword('x'.repeat(4097), known));
    expect(counts).toEqual({ encodes: 0, verifies: 1 });
  });

  it('a legacy hash is verified by its own hasher, never by the default as well', async () => {
    const legacyHash = await legacy.inner.encode('pw');
    legacy.reset();
    const counts = await countFor(() => hashers.checkPassword('wrong', legacyHash));
    expect(counts).toEqual({ encodes: 0, verifies: 0 });
    expect(legacy.calls).toBe(1);
  });

  it('creates the dummy hash once, with one extra encode, when not warmed up', async () => {
    const fresh = new CountingHasher(new ScryptKdfHasher({ logN: 10 }));
    const cold = new PasswordHashers([fresh]);
    await Promise.all([cold.hardenRuntime('a'), cold.hardenRuntime('b')]);
    expect(fresh.encodes).toBe(1);
    expect(fresh.verifies).toBe(2);
    fresh.reset();
    await cold.checkPassword('a', null);
    expect(fresh.calls).toBe(1);
  });

  it('hardenRuntime never throws on odd input (only on a NUL, like checkPassword)', async () => {
    await expect(hashers.hardenRuntime(undefined as unknown as string)).resolves.toBeUndefined();
    await expect(hashers.hardenRuntime('y'.repeat(10_000))).resolves.toBeUndefined();
  });
});
