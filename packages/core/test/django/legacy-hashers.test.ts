/**
 * Django's legacy hashers (tests/auth_tests/test_hashers.py test_md5, test_sha1,
 * test_unsalted_md5, test_unsalted_sha1 vectors) and DjangoScryptHasher.decode().
 */
import { defaultHashers } from '../../src/hashers/default-hashers.js';
import {
  DjangoMd5Hasher,
  DjangoSha1Hasher,
  DjangoUnsaltedMd5Hasher,
  DjangoUnsaltedSha1Hasher,
  legacyDjangoHashers,
} from '../../src/hashers/django-legacy-hashers.js';
import { DjangoScryptHasher } from '../../src/hashers/django-scrypt-hasher.js';
import { DjangoPbkdf2Sha256Hasher } from '../../src/hashers/django-pbkdf2-hasher.js';
import { PasswordHashers } from '../../src/hashers/password-hashers.js';
import { ImproperlyConfigured } from '../../src/errors.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

const VECTORS: [string, string, string][] = [
  ['md5', 'md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3', 'md5'],
  ['sha1', 'sha1$seasalt$cff36ea83f5706ce9aa7454e63e431fc726b2dc8', 'sha1'],
  ['unsalted_md5', '88a434c88cca4e900f7874cd98123f43', 'unsalted_md5'],
  ['unsalted_md5 with an empty salt (md5$$)', 'md5$$88a434c88cca4e900f7874cd98123f43', 'unsalted_md5'],
  ['unsalted_sha1', 'sha1$$6d138ca3ae545631b3abd71a4f076ce759c5700b', 'unsalted_sha1'],
];

const hashers = new PasswordHashers([...defaultHashers({ logN: 10 }), ...legacyDjangoHashers()]);

describe("Django's legacy hashers", () => {
  it("encode Django's own vectors", () => {
    expect(new DjangoMd5Hasher().encodeWithSalt('lètmein', 'seasalt')).toBe(VECTORS[0]![1]);
    expect(new DjangoSha1Hasher().encodeWithSalt('lètmein', 'seasalt')).toBe(VECTORS[1]![1]);
    expect(new DjangoUnsaltedMd5Hasher().encodeWithSalt('lètmein')).toBe(VECTORS[2]![1]);
    expect(new DjangoUnsaltedSha1Hasher().encodeWithSalt('lètmein')).toBe(VECTORS[4]![1]);
  });

  it.each(VECTORS)('%s verifies the right password only, and is identified as Django does', async (_name, encoded, algorithm) => {
    expect(hashers.identify(encoded)?.algorithm).toBe(algorithm);
    expect(hashers.isPasswordUsable(encoded)).toBe(true);
    expect(await hashers.checkPassword('lètmein', encoded)).toBe(true);
    expect(await hashers.checkPassword('lètmeinz', encoded)).toBe(false);
  });

  it('are never used for new hashes', async () => {
    for (const hasher of legacyDjangoHashers()) {
      await expect(hasher.encode('lètmein')).rejects.toBeInstanceOf(ImproperlyConfigured);
      expect(() => new PasswordHashers([hasher])).toThrow(ImproperlyConfigured);
    }
    expect((await hashers.makePassword('lètmein')).startsWith('scrypt-kdf$')).toBe(true);
  });

  it('are not accepted unless configured', async () => {
    const stock = new PasswordHashers(defaultHashers({ logN: 10 }));
    for (const [, encoded] of VECTORS) expect(await stock.checkPassword('lètmein', encoded)).toBe(false);
  });
});

describe('legacy hashes at login', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('core/django-legacy-hashers');
  });
  afterAll(async () => {
    await db.destroy();
  });

  it.each(VECTORS)('%s: verified and upgraded to the default hasher on first login', async (name, encoded) => {
    const { auth } = testAuthOn(db.knex, { hashers: [...defaultHashers({ logN: 10 }), ...legacyDjangoHashers()] });
    const user = await auth.users.createUser({ username: `legacy-${name.replace(/\W+/g, '-')}`, password: null });
    await db.knex('auth_user').where('id', user.id).update({ password: encoded });
    const username = user.username;
    expect(await auth.authenticate(null, { username, password: 'wrong' })).toBeNull();
    expect((await auth.users.getById(user.id))!.password).toBe(encoded); // no upgrade on failure
    const loggedIn = await auth.authenticate(null, { username, password: 'lètmein' });
    expect(loggedIn?.id).toBe(user.id);
    const stored = (await auth.users.getById(user.id))!.password;
    expect(stored.startsWith('scrypt-kdf$')).toBe(true);
    expect(await auth.authenticate(null, { username, password: 'lètmein' })).not.toBeNull();
  });
});

describe('DjangoScryptHasher.decode()', () => {
  it('exposes work factor, block size, parallelism, salt and hash like its PBKDF2 siblings', async () => {
    const hasher = new DjangoScryptHasher({ workFactor: 2 ** 10, blockSize: 8, parallelism: 1 });
    const encoded = await hasher.encodeWithSalt('lètmein', 'seasalt');
    const hash = encoded.split('$')[5];
    expect(hasher.decode(encoded)).toEqual({ algorithm: 'scrypt', workFactor: 1024, salt: 'seasalt', blockSize: 8, parallelism: 1, hash });
    expect(hasher.decode('scrypt$3$salt$8$1$abc')).toBeNull(); // work factor not a power of two
    expect(hasher.decode('pbkdf2_sha256$1000$salt$abc')).toBeNull();
    const pbkdf2 = new DjangoPbkdf2Sha256Hasher({ iterations: 1000 });
    const made = await pbkdf2.encodeWithSalt('lètmein', 'seasalt', 1000);
    expect(pbkdf2.decode(made)).toEqual({ algorithm: 'pbkdf2_sha256', iterations: 1000, salt: 'seasalt', hash: made.split('$')[3] });
  });
});
