import { MixedLoginBackend } from '../../src/backends/mixed-login-backend.js';
import { ValidationError } from '../../src/errors.js';
import { classifyIdentifier } from '../../src/users/identifier.js';
import { createTestAuth } from '../helpers/test-auth.js';
import { createTestDb, type TestDb } from '../helpers/test-db.js';

describe('classifyIdentifier', () => {
  it.each([
    ['Alice@Example.COM', 'email', 'alice@example.com'],
    ['  bob@example.com ', 'email', 'bob@example.com'],
    ['alice@localhost', 'email', 'alice@localhost'],
    ['138 0013 8000', 'phone', '+8613800138000'],
    ['138-0013-8000', 'phone', '+8613800138000'],
    ['+86 138.0013.8000', 'phone', '+8613800138000'],
    ['008613800138000', 'phone', '+8613800138000'],
    ['+1 650 253 0000', 'phone', '+16502530000'],
    ['Alice', 'username', 'alice'],
    ['ａｌｉｃｅ', 'username', 'alice'],
    ['12345', 'username', '12345'],
    ['1-800-flowers', 'username', '1-800-flowers'],
    ['', 'username', ''],
  ] as const)('reads %p as %s %p (region CN)', (value, kind, canonical) => {
    expect(classifyIdentifier(value, { region: 'CN' })).toEqual({ kind, canonical });
  });

  it('reads national phone formats only in the given region', () => {
    expect(classifyIdentifier('13800138000').kind).toBe('username');
    expect(classifyIdentifier('13800138000', { region: 'CN' }).kind).toBe('phone');
    expect(classifyIdentifier('+8613800138000').kind).toBe('phone');
  });

  it('keeps the case of usernames under a case-sensitive policy, never of emails', () => {
    expect(classifyIdentifier('Alice', { policy: { caseSensitiveUsernames: true } }).canonical).toBe('Alice');
    expect(classifyIdentifier('Alice@Example.com', { policy: { caseSensitiveUsernames: true } }).canonical).toBe('alice@example.com');
  });
});

describe('the users of classifyIdentifier', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb('users/identifier');
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db.knex('auth_user').delete();
  });
  const strong = 'correct horse battery staple';

  it('UserManager.classifyIdentifier applies the auth’s phone region and username policy', () => {
    const { auth } = createTestAuth(db.knex, { phoneRegion: 'CN', caseSensitiveUsernames: true });
    expect(auth.users.classifyIdentifier('138 0013 8000')).toEqual({ kind: 'phone', canonical: '+8613800138000' });
    expect(auth.users.classifyIdentifier('Alice')).toEqual({ kind: 'username', canonical: 'Alice' });
  });

  it('UserManager refuses a username that logins would read as somebody else’s phone, in any spelling', async () => {
    const { auth } = createTestAuth(db.knex, { phoneRegion: 'CN' });
    for (const username of ['13800138000', '138-0013-8000', '+86.138.0013.8000']) {
      const error = await auth.users.createUser({ username, password: strong }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields.username?.[0]?.code).toBe('invalid');
    }
    // The user's own phone is fine as a username.
    await auth.users.createUser({ username: '138-0013-8000', phone: '13800138000', password: strong });
  });

  it('MixedLoginBackend finds one account by every spelling classifyIdentifier reads alike', async () => {
    const { auth } = createTestAuth(db.knex, { phoneRegion: 'CN', backends: [new MixedLoginBackend()] });
    const alice = await auth.users.createUser({ username: 'alice', email: 'alice@example.com', phone: '13800138000', password: strong });
    const backend = new MixedLoginBackend();
    for (const spelling of ['alice', 'ALICE', 'Alice@Example.com', '138 0013 8000', '+86-138-0013-8000', '008613800138000']) {
      expect((await backend.findUser(auth, spelling))?.id).toBe(alice.id);
    }
    expect(await backend.findUser(auth, '139 0013 8000')).toBeNull();
  });
});
