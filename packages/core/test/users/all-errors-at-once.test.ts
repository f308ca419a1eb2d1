/**
 * A refused createUser / updateUser reports every problem of the submission at once: format
 * errors do not hide "already taken", a bad avatar does not hide a phone conflict, password
 * validator issues come with the rest, and the caller's own findings (`formErrors`) are merged
 * in. Nothing is written when anything is refused.
 */
import { ValidationError } from '../../src/errors.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('users/all-errors-at-once');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

const setup = () => testAuthOn(db.knex, { phoneRegion: 'CN' }).auth;
const strong = 'correct horse battery staple';

async function refusal(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a ValidationError');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const codes = (error: ValidationError) => Object.fromEntries(Object.entries(error.fields).map(([field, issues]) => [field, issues.map((i) => i.code)]));

async function userCount(): Promise<number> {
  return Number((await db.knex('auth_user').count({ n: '*' }).first())?.n);
}

describe('createUser', () => {
  it('reports a taken username together with a bad email, a bad avatar and weak-password issues', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'alice', phone: '138 0013 8000', password: strong });
    const error = await refusal(
      auth.users.createUser({ username: 'alice', email: 'not-an-email', avatar: 'ftp://x', phone: '+86 138 0013 8000', password: '12345' }),
    );
    expect(codes(error)).toEqual({
      email: ['invalid'],
      avatar: [expect.any(String)],
      password: expect.arrayContaining(['password_too_short', 'password_entirely_numeric']),
      username: ['unique'],
      phone: ['unique'],
    });
    expect(await userCount()).toBe(1);
  });

  it('checks the uniqueness of the valid fields even when another field is malformed', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'bob', email: 'bob@example.com', password: strong });
    const error = await refusal(auth.users.createUser({ username: 'bob!!', email: 'bob@example.com', phone: '138 0000', password: strong }));
    expect(codes(error)).toEqual({ username: ['invalid'], phone: ['invalid'], email: ['unique'] });
  });

  it('merges the caller’s formErrors and writes nothing, even when everything else is valid', async () => {
    const auth = setup();
    const mismatch = ValidationError.field('password2', 'password_mismatch', "The two password fields didn't match.");
    const error = await refusal(auth.users.createUser({ username: 'carol', password: '123' }, { formErrors: mismatch }));
    expect(codes(error)).toEqual({ password: expect.arrayContaining(['password_too_short']), password2: ['password_mismatch'] });
    await refusal(auth.users.createUser({ username: 'carol', password: strong }, { formErrors: mismatch }));
    expect(await userCount()).toBe(0);
    // Without the caller's error the same input is accepted.
    await auth.users.createUser({ username: 'carol', password: strong }, { formErrors: null });
    expect(await userCount()).toBe(1);
  });

  it('does not call an invalid username "required" as well', async () => {
    const error = await refusal(setup().users.createUser({ username: 'a b', password: strong }));
    expect(codes(error)).toEqual({ username: ['invalid'] });
  });
});

describe('updateUser', () => {
  it('reports a bad avatar together with a phone number taken by someone else', async () => {
    const auth = setup();
    await auth.users.createUser({ username: 'dave', phone: '139 1234 5678', password: strong });
    const erin = await auth.users.createUser({ username: 'erin', password: strong });
    const error = await refusal(auth.users.updateUser(erin, { avatar: 'not a url', phone: '139 1234 5678', nickname: 'Erin' }));
    expect(codes(error)).toEqual({ avatar: [expect.any(String)], phone: ['unique'] });
    const stored = await auth.users.getById(erin.id);
    expect(stored?.nickname).toBe('');
    expect(stored?.phone).toBeNull();
  });
});

describe('ValidationError', () => {
  it('says every problem in its message, without field keys', () => {
    const error = ValidationError.merge([
      ValidationError.field('__all__', 'last_login_method', 'This WeChat account is your only way to sign in.'),
      ValidationError.field('email', 'invalid', 'Enter a valid email address.'),
      ValidationError.field('email2', 'invalid', 'Enter a valid email address.'),
    ]);
    expect(error.message).toBe('This WeChat account is your only way to sign in. Enter a valid email address.');
    expect(error.message).not.toMatch(/__all__|email:/);
    expect(new ValidationError({}).message).toBe('Invalid input.');
  });

  it('collect runs every check and throws their issues together; other errors stop it', async () => {
    const seen: string[] = [];
    const error = await refusal(
      ValidationError.collect([
        () => {
          seen.push('a');
          throw ValidationError.field('a', 'x', 'A is wrong.');
        },
        async () => {
          seen.push('b');
        },
        async () => {
          seen.push('c');
          throw ValidationError.field('c', 'y', 'C is wrong.');
        },
      ]),
    );
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(codes(error)).toEqual({ a: ['x'], c: ['y'] });
    await expect(ValidationError.collect([() => undefined])).resolves.toBeUndefined();
    await expect(
      ValidationError.collect([
        () => {
          throw new TypeError('boom');
        },
      ]),
    ).rejects.toThrow(TypeError);
  });
});
