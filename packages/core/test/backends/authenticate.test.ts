import type { Auth } from '../../src/auth.js';
import type { AuthBackend } from '../../src/backends/auth-backend.js';
import { backendOf } from '../../src/backends/backend-of.js';
import { AllowAllUsersModelBackend } from '../../src/backends/allow-all-users-model-backend.js';
import { MixedLoginBackend } from '../../src/backends/mixed-login-backend.js';
import { ModelBackend } from '../../src/backends/model-backend.js';
import { RemoteUserBackend } from '../../src/backends/remote-user-backend.js';
import { PermissionDenied } from '../../src/errors.js';
import { defaultHashers } from '../../src/hashers/default-hashers.js';
import { DjangoPbkdf2Sha256Hasher } from '../../src/hashers/django-pbkdf2-hasher.js';
import { ScryptKdfHasher } from '../../src/hashers/scrypt-kdf-hasher.js';
import type { User } from '../../src/models/user.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('backends/authenticate');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

const PASSWORD = 'correct horse battery staple';

async function seed(auth: Auth<User>) {
  return auth.users.createUser({ username: 'alice', email: 'alice@example.com', phone: '13800138000', password: PASSWORD });
}

/** A backend that records calls and answers as told. */
function fakeBackend(name: string, behaviour: { user?: () => Promise<User | null>; throws?: Error; accepts?: (c: unknown) => boolean }) {
  const calls: unknown[] = [];
  const backend: AuthBackend<unknown, User> = {
    name,
    accepts: (c: unknown): c is unknown => (behaviour.accepts ? behaviour.accepts(c) : true),
    async authenticate(_auth, _req, credentials) {
      calls.push(credentials);
      if (behaviour.throws) throw behaviour.throws;
      return behaviour.user ? behaviour.user() : null;
    },
    async getUser() {
      return null;
    },
  };
  return { backend, calls };
}

describe('the backend chain', () => {
  it('returns the first user found and marks the winning backend', async () => {
    const first = fakeBackend('First', {});
    const { auth } = testAuthOn(db.knex, { backends: [first.backend, new ModelBackend()] });
    await seed(auth);
    const user = await auth.authenticate(null, { username: 'alice', password: PASSWORD });
    expect(user?.username).toBe('alice');
    expect(backendOf(user!)).toBe('ModelBackend');
    expect(first.calls).toHaveLength(1);
  });

  it('skips backends whose credential shape does not match', async () => {
    const picky = fakeBackend('Picky', { accepts: (c) => typeof c === 'object' && c !== null && 'token' in c });
    const { auth } = testAuthOn(db.knex, { backends: [picky.backend, new ModelBackend()] });
    await seed(auth);
    expect(await auth.authenticate(null, { username: 'alice', password: PASSWORD })).not.toBeNull();
    expect(picky.calls).toHaveLength(0);
  });

  it('stops at a backend that throws PermissionDenied, even when a later one would accept', async () => {
    const deny = fakeBackend('Deny', { throws: new PermissionDenied() });
    const { auth } = testAuthOn(db.knex, { backends: [deny.backend, new ModelBackend()] });
    await seed(auth);
    const failures: unknown[] = [];
    auth.events.on('userLoginFailed', (p) => void failures.push(p));
    expect(await auth.authenticate(null, { username: 'alice', password: PASSWORD })).toBeNull();
    expect(failures).toHaveLength(1);
  });

  it('propagates other errors instead of hiding them as a failed login', async () => {
    const broken = fakeBackend('Broken', { throws: new Error('db down') });
    const { auth } = testAuthOn(db.knex, { backends: [broken.backend] });
    await expect(auth.authenticate(null, { username: 'x', password: 'y' })).rejects.toThrow('db down');
  });

  it('emits userLoginFailed with every sensitive value masked', async () => {
    const { auth } = testAuthOn(db.knex);
    await seed(auth);
    const payloads: Record<string, unknown>[] = [];
    auth.events.on('userLoginFailed', (p) => void payloads.push(p.credentials));
    await auth.authenticate(null, { username: 'alice', password: 'wrong-secret-pw', apiKey: 'k-123', token: 't-456', nested: { signature: 's-789' } });
    expect(payloads).toHaveLength(1);
    const text = JSON.stringify(payloads[0]);
    for (const secret of ['wrong-secret-pw', 'k-123', 't-456', 's-789']) expect(text).not.toContain(secret);
    expect(payloads[0]?.username).toBe('alice');
  });

  it('returns null for credentials no backend accepts', async () => {
    const { auth } = testAuthOn(db.knex);
    expect(await auth.authenticate(null, { foo: 'bar' })).toBeNull();
    expect(await auth.authenticate(null, null)).toBeNull();
    expect(await auth.authenticate(null, 'alice')).toBeNull();
  });
});

describe('ModelBackend', () => {
  it('refuses inactive users at login and in getUser; AllowAllUsersModelBackend lets them in', async () => {
    const { auth } = testAuthOn(db.knex);
    const alice = await seed(auth);
    await auth.users.updateUser(alice, { isActive: false });
    expect(await auth.authenticate(null, { username: 'alice', password: PASSWORD })).toBeNull();
    expect(await new ModelBackend<User>().getUser(auth, alice.id)).toBeNull();

    const { auth: allowAll } = testAuthOn(db.knex, { backends: [new AllowAllUsersModelBackend()] });
    expect((await allowAll.authenticate(null, { username: 'alice', password: PASSWORD }))?.id).toBe(alice.id);
    expect((await new AllowAllUsersModelBackend<User>().getUser(allowAll, alice.id))?.id).toBe(alice.id);
  });

  it('costs exactly one hash computation for a right password, a wrong one and an unknown user', async () => {
    const { auth, counter } = testAuthOn(db.knex);
    await seed(auth);
    await auth.hashers.hardenRuntime('warm-up'); // the dummy hash is made once, on first use
    const cases: [string, unknown, boolean][] = [
      ['right password', { username: 'alice', password: PASSWORD }, true],
      ['wrong password', { username: 'alice', password: 'nope' }, false],
      ['unknown user', { username: 'nobody', password: PASSWORD }, false],
    ];
    for (const [, credentials, ok] of cases) {
      counter.reset();
      expect((await auth.authenticate(null, credentials)) !== null).toBe(ok);
      expect(counter.total).toBe(1);
    }
  });

  it('costs one hash computation for a user with an unusable password', async () => {
    const { auth, counter } = testAuthOn(db.knex);
    await auth.users.createUser({ username: 'social' });
    await auth.hashers.hardenRuntime('warm-up');
    counter.reset();
    expect(await auth.authenticate(null, { username: 'social', password: 'anything' })).toBeNull();
    expect(counter.total).toBe(1);
  });

  it('upgrades an outdated hash on a successful login, quietly', async () => {
    const weak = new ScryptKdfHasher({ logN: 8 });
    const { auth: old } = testAuthOn(db.knex, { hashers: [weak] });
    const alice = await seed(old);
    expect(weak.mustUpdate(alice.password)).toBe(false);

    // The same algorithm with stronger parameters: the stored key carries its own parameters.
    const { auth } = testAuthOn(db.knex, { hashers: [new ScryptKdfHasher({ logN: 10 })] });
    const stored = async () => (await db.knex('auth_user').where({ id: alice.id }).first()).password as string;
    expect(await auth.authenticate(null, { username: 'alice', password: 'wrong' })).toBeNull();
    expect(await stored()).toBe(alice.password); // no upgrade on a failed check
    const user = await auth.authenticate(null, { username: 'alice', password: PASSWORD });
    expect(user).not.toBeNull();
    const upgraded = await stored();
    expect(upgraded).not.toBe(alice.password);
    expect(new ScryptKdfHasher({ logN: 10 }).mustUpdate(upgraded)).toBe(false);
    expect(await auth.authenticate(null, { username: 'alice', password: PASSWORD })).not.toBeNull();
  });

  it('logs in a user imported from Django (pbkdf2_sha256) and moves them to scrypt-kdf', async () => {
    const { auth } = testAuthOn(db.knex, { hashers: [new ScryptKdfHasher({ logN: 10 }), new DjangoPbkdf2Sha256Hasher()] });
    const imported = await auth.users.createUser({ username: 'django' }, { skipPasswordValidation: true });
    const djangoHash = 'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=';
    await db.knex('auth_user').where({ id: imported.id }).update({ password: djangoHash });
    expect(await auth.authenticate(null, { username: 'django', password: 'letmein' })).toBeNull();
    expect(await auth.authenticate(null, { username: 'django', password: 'lètmein' })).not.toBeNull();
    const stored = (await db.knex('auth_user').where({ id: imported.id }).first()).password as string;
    expect(stored.startsWith('scrypt-kdf$')).toBe(true);
    expect(await auth.authenticate(null, { username: 'django', password: 'lètmein' })).not.toBeNull();
  });

  it('logs in by the model’s USERNAME_FIELD, without regard to case unless caseSensitiveUsernames', async () => {
    const { auth } = testAuthOn(db.knex);
    const alice = await seed(auth);
    expect((await auth.authenticate(null, { username: 'ALICE', password: PASSWORD }))?.id).toBe(alice.id);
    const exact = testAuthOn(db.knex, { caseSensitiveUsernames: true }).auth;
    expect(await exact.authenticate(null, { username: 'ALICE', password: PASSWORD })).toBeNull(); // Django's behaviour
    expect((await exact.authenticate(null, { username: 'alice', password: PASSWORD }))?.id).toBe(alice.id);
  });
});

describe('MixedLoginBackend', () => {
  const mixed = () => testAuthOn(db.knex, { backends: [new MixedLoginBackend()], phoneRegion: 'CN' });

  it.each([
    ['username', 'alice'],
    ['email', 'alice@example.com'],
    ['email with a capitalised domain', 'alice@Example.COM'],
    ['phone, national format', '138 0013 8000'],
    ['phone, national digits', '13800138000'],
    ['phone, international format', '+86 138-0013-8000'],
    ['phone, E.164', '+8613800138000'],
  ])('finds the user by %s', async (_label, identifier) => {
    const { auth } = mixed();
    const alice = await seed(auth);
    const user = await auth.authenticate(null, { identifier, password: PASSWORD });
    expect(user?.id).toBe(alice.id);
    expect(backendOf(user!)).toBe('MixedLoginBackend');
  });

  it('refuses a wrong password and unknown identifiers with one hash each', async () => {
    const { auth, counter } = mixed();
    await seed(auth);
    await auth.hashers.hardenRuntime('warm-up');
    for (const identifier of ['alice', 'bob@example.com', '13900139000', '', 'x'.repeat(5000)]) {
      counter.reset();
      expect(await auth.authenticate(null, { identifier, password: identifier === 'alice' ? 'wrong' : PASSWORD })).toBeNull();
      expect(counter.total).toBe(1);
    }
  });
});

describe('RemoteUserBackend', () => {
  it('creates unknown users with an unusable password, once, and finds them afterwards', async () => {
    const { auth } = testAuthOn(db.knex, { backends: [new RemoteUserBackend()] });
    const [a, b] = await Promise.all([auth.authenticate(null, { remoteUser: 'sso-user' }), auth.authenticate(null, { remoteUser: 'sso-user' })]);
    expect(a?.id).toBe(b?.id);
    expect(auth.hashers.isPasswordUsable(a!.password)).toBe(false);
    expect(await db.knex('auth_user').where({ username: 'sso-user' }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('does not create users when told not to', async () => {
    const { auth } = testAuthOn(db.knex, { backends: [new RemoteUserBackend({ createUnknownUser: false })] });
    expect(await auth.authenticate(null, { remoteUser: 'stranger' })).toBeNull();
  });
});

it('uses the default hashers when none are given', () => {
  expect(defaultHashers().map((h) => h.algorithm)).toEqual(['scrypt-kdf', 'pbkdf2_sha256', 'pbkdf2_sha1', 'scrypt']);
});
