import { ValidationError } from '../../src/errors.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('users/user-manager');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

const setup = () => testAuthOn(db.knex, { phoneRegion: 'CN' }).auth;
const strong = 'correct horse battery staple';

async function fieldError(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a ValidationError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

async function userCount(): Promise<number> {
  const row = await db.knex('auth_user').count({ n: '*' }).first();
  return Number(row?.n);
}

describe('createUser', () => {
  it('stores a user with normalised fields, a hashed password and sane defaults', async () => {
    const auth = setup();
    const user = await auth.users.createUser({
      username: 'ａｌｉｃｅ',
      email: 'Alice@EXAMPLE.Com',
      phone: '138 0013 8000',
      password: strong,
      nickname: '小明🐱',
    });
    expect(user.username).toBe('alice'); // NFKC folds full-width letters
    expect(user.email).toBe('Alice@example.com'); // only the domain is lower-cased
    expect(user.phone).toBe('+8613800138000');
    expect(user.nickname).toBe('小明🐱');
    expect(user.password.startsWith('scrypt-kdf$')).toBe(true);
    expect(user.isActive).toBe(true);
    expect(user.isStaff).toBe(false);
    expect(user.isSuperuser).toBe(false);
    expect(user.dateJoined).toBeInstanceOf(Date);
    expect(user.lastLogin).toBeNull();
    expect(await auth.checkPassword(user, strong)).toBe(true);
    expect(JSON.stringify(user)).not.toContain('scrypt-kdf$'); // the hash never serialises
  });

  it('gives users without a password an unusable one', async () => {
    const auth = setup();
    const user = await auth.users.createUser({ username: 'social' });
    expect(user.password.startsWith('!')).toBe(true);
    expect(auth.hashers.isPasswordUsable(user.password)).toBe(false);
    expect(await auth.checkPassword(user, '')).toBe(false);
  });

  it('applies the password validators and writes nothing when they refuse', async () => {
    const auth = setup();
    const error = await fieldError(auth.users.createUser({ username: 'bob', password: '123' }));
    const codes = error.fields.password?.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['password_too_short', 'password_entirely_numeric']));
    expect(await userCount()).toBe(0);
  });

  it.each([
    ['username', { username: 'has space' }],
    ['username', { username: 'x'.repeat(151) }],
    ['username', { username: '' }],
    ['username', { username: 42 }],
    ['email', { username: 'a', email: 'not-an-email' }],
    ['email', { username: 'a', email: 'a@b' }],
    ['phone', { username: 'a', phone: '12345' }],
    ['phone', { username: 'a', phone: 'call me' }],
    ['birthday', { username: 'a', birthday: '2020-02-30' }],
    ['avatar', { username: 'a', avatar: 'javascript:alert(1)' }],
    ['isStaff', { username: 'a', isStaff: 'yes' }],
    ['color', { username: 'a', color: 'red' }],
  ])('refuses a bad %s with a ValidationError naming it, writing nothing', async (field, input) => {
    const auth = setup();
    const error = await fieldError(auth.users.createUser({ password: strong, ...(input as Record<string, unknown>) }));
    expect(Object.keys(error.fields)).toContain(field);
    expect(await userCount()).toBe(0);
  });

  it('refuses 10 MB strings on every field without touching the database', async () => {
    const auth = setup();
    const huge = 'a'.repeat(10 * 1024 * 1024);
    for (const field of ['username', 'email', 'phone', 'nickname', 'firstName', 'avatar']) {
      const error = await fieldError(auth.users.createUser({ username: 'ok', password: strong, [field]: huge }));
      expect(Object.keys(error.fields)).toContain(field);
    }
    const error = await fieldError(auth.users.createUser({ username: 'ok', password: huge }));
    expect(Object.keys(error.fields)).toEqual(['password']);
    expect(await userCount()).toBe(0);
  });

  it('refuses input that is not an object', async () => {
    const auth = setup();
    for (const input of [null, 'bob', 42, []]) {
      await fieldError(auth.users.createUser(input as never));
    }
  });

  it('reports uniqueness conflicts on the field', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'carol', email: 'carol@example.com', phone: '+8613800138001', password: strong });
    for (const [field, input] of [
      ['username', { username: 'carol' }],
      ['email', { username: 'c2', email: 'carol@EXAMPLE.com' }],
      ['phone', { username: 'c3', phone: '13800138001' }],
    ] as const) {
      const error = await fieldError(auth.users.createUser({ password: strong, ...input }));
      expect(error.fields[field]?.[0]?.code).toBe('unique');
    }
    expect(await userCount()).toBe(1);
  });

  it('turns concurrent creates of one username into exactly one user and field errors', async () => {
    const auth = setup();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => auth.users.createUser({ username: 'racer', password: strong }, { skipPasswordValidation: true })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(ValidationError);
      expect((r.reason as ValidationError).fields.username?.[0]?.code).toBe('unique');
    }
    expect(await userCount()).toBe(1);
  });

  it('refuses a username that is somebody else’s phone number', async () => {
    const auth = setup();
    const error = await fieldError(auth.users.createUser({ username: '13800138000', password: strong }));
    expect(error.fields.username?.[0]?.code).toBe('invalid');
    await auth.users.createUser({ username: '+8613800138000', phone: '+86 138 0013 8000', password: strong });
  });
});

describe('createSuperuser', () => {
  it('creates a staff superuser', async () => {
    const auth = setup();
    const admin = await auth.users.createSuperuser({ username: 'admin', email: 'admin@example.com', password: strong });
    expect(admin.isStaff).toBe(true);
    expect(admin.isSuperuser).toBe(true);
  });

  it('refuses isStaff or isSuperuser false', async () => {
    const auth = setup();
    expect((await fieldError(auth.users.createSuperuser({ username: 'a1', password: strong, isStaff: false }))).fields.isStaff).toBeDefined();
    expect((await fieldError(auth.users.createSuperuser({ username: 'a2', password: strong, isSuperuser: false }))).fields.isSuperuser).toBeDefined();
    expect(await userCount()).toBe(0);
  });
});

describe('getByNaturalKey and updateUser', () => {
  it('finds by the normalised USERNAME_FIELD', async () => {
    const auth = setup();
    const user = await auth.users.createUser({ username: 'dave', password: strong });
    expect((await auth.users.getByNaturalKey('ｄａｖｅ'))?.id).toBe(user.id);
    expect(await auth.users.getByNaturalKey('nobody')).toBeNull();
    expect(await auth.users.getByNaturalKey('x'.repeat(10000))).toBeNull();
  });

  it('updates with the same validation and uniqueness rules', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'erin', phone: '13800138002', password: strong });
    const frank = await auth.users.createUser({ username: 'frank', password: strong });
    await auth.users.updateUser(frank, { nickname: 'Frankie', phone: '+86 138 0013 8003' });
    expect((await auth.users.getById(frank.id))?.phone).toBe('+8613800138003');
    const error = await fieldError(auth.users.updateUser(frank, { phone: '13800138002' }));
    expect(error.fields.phone?.[0]?.code).toBe('unique');
    await fieldError(auth.users.updateUser(frank, { password: 'x' }));
    expect((await auth.users.getById(frank.id))?.nickname).toBe('Frankie');
  });
});
