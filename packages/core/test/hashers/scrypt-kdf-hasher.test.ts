import { ImproperlyConfigured } from '../../src/errors.js';
import { ScryptKdfHasher } from '../../src/hashers/scrypt-kdf-hasher.js';

describe('ScryptKdfHasher', () => {
  const hasher = new ScryptKdfHasher({ logN: 10 });

  it('encodes as scrypt-kdf$<base64 of a 96-byte key> and verifies', async () => {
    const encoded = await hasher.encode('lètmein');
    expect(encoded).toMatch(/^scrypt-kdf\$[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(encoded.slice('scrypt-kdf$'.length), 'base64')).toHaveLength(96);
    await expect(hasher.verify('lètmein', encoded)).resolves.toBe(true);
    await expect(hasher.verify('lètmeinz', encoded)).resolves.toBe(false);
    await expect(hasher.verify('', encoded)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hasher.encode('same'), hasher.encode('same')]);
    expect(a).not.toBe(b);
  });

  it('hashes the empty password like any other', async () => {
    const encoded = await hasher.encode('');
    await expect(hasher.verify('', encoded)).resolves.toBe(true);
    await expect(hasher.verify(' ', encoded)).resolves.toBe(false);
  });

  it('uses logN 15, r 8, p 1 by default', async () => {
    const standard = new ScryptKdfHasher();
    expect(standard.params).toEqual({ logN: 15, r: 8, p: 1 });
    const encoded = await standard.encode('lètmein');
    await expect(standard.verify('lètmein', encoded)).resolves.toBe(true);
    expect(standard.mustUpdate(encoded)).toBe(false);
    expect(hasher.mustUpdate(encoded)).toBe(true);
  });

  it('must update when logN, r or p differ from the configured ones', async () => {
    const encoded = await hasher.encode('pw');
    expect(hasher.mustUpdate(encoded)).toBe(false);
    expect(new ScryptKdfHasher({ logN: 11 }).mustUpdate(encoded)).toBe(true);
    expect(new ScryptKdfHasher({ logN: 10, r: 4 }).mustUpdate(encoded)).toBe(true);
    expect(new ScryptKdfHasher({ logN: 10, p: 2 }).mustUpdate(encoded)).toBe(true);
    // A hash made with other parameters still verifies: the key carries its own.
    await expect(new ScryptKdfHasher({ logN: 12 }).verify('pw', encoded)).resolves.toBe(true);
  });

  it('rejects malformed hashes with false, never an exception', async () => {
    const encoded = await hasher.encode('pw');
    const body = encoded.slice('scrypt-kdf$'.length);
    for (const bad of ['', 'scrypt-kdf$', 'scrypt-kdf$not base64!', `scrypt-kdf$${body.slice(0, 40)}`, `pbkdf2_sha256$${body}`]) {
      await expect(hasher.verify('pw', bad)).resolves.toBe(false);
      expect(hasher.mustUpdate(bad)).toBe(true);
    }
  });

  it('rejects a key whose HMAC was tampered with', async () => {
    const key = Buffer.from((await hasher.encode('pw')).slice('scrypt-kdf$'.length), 'base64');
    key[70] = (key[70] ?? 0) ^ 1;
    await expect(hasher.verify('pw', `scrypt-kdf$${key.toString('base64')}`)).resolves.toBe(false);
  });

  it('refuses unusable parameters at construction', () => {
    expect(() => new ScryptKdfHasher({ logN: 0 })).toThrow(ImproperlyConfigured);
    expect(() => new ScryptKdfHasher({ logN: 31 })).toThrow(ImproperlyConfigured);
    expect(() => new ScryptKdfHasher({ logN: 10.5 })).toThrow(ImproperlyConfigured);
    expect(() => new ScryptKdfHasher({ r: 0 })).toThrow(ImproperlyConfigured);
    expect(() => new ScryptKdfHasher({ p: -1 })).toThrow(ImproperlyConfigured);
  });
});
