/**
 * One person, one account: emails (always) and usernames (by default) are unique and found
 * without regard to case, enforced by unique indexes on canonical columns. SQLite by default;
 * MariaDB with DATABASE_URL, where concurrent inserts really race.
 */
import { z } from 'zod';
import { MixedLoginBackend } from '../../src/backends/mixed-login-backend.js';
import { ModelBackend } from '../../src/backends/model-backend.js';
import { ValidationError } from '../../src/errors.js';
import { AbstractUser } from '../../src/models/abstract-user.js';
import { uniqueViolationColumn } from '../../src/users/unique-violation.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('users/case-insensitive-identifiers');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

const PASSWORD = 'correct horse battery staple';
const mixed = (options: { caseSensitiveUsernames?: boolean } = {}) =>
  testAuthOn(db.knex, { backends: [new MixedLoginBackend(), new ModelBackend()], ...options }).auth;

async function refused(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => new Error('expected a ValidationError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

/**
 * The error of a raw insert, or null when it succeeded. (Not `rejects.toThrow()`: better-sqlite3's
 * SqliteError is no Error to jest once the native module was loaded by another test file.)
 */
async function insertError(row: Record<string, unknown>): Promise<unknown> {
  return db
    .knex('auth_user')
    .insert(row)
    .then(
      () => null,
      (e: unknown) => e,
    );
}

async function userCount(): Promise<number> {
  const row = await db.knex('auth_user').count({ n: '*' }).first();
  return Number(row?.n);
}

describe('registration', () => {
  it('stores the email as entered (domain lower-cased) and refuses it in another case, on the email field', async () => {
    const auth = mixed();
    const first = await auth.users.createUser({ username: 'newbie', email: 'NewBie@Example.COM', password: PASSWORD });
    expect(first.email).toBe('NewBie@example.com');
    for (const email of ['newbie@example.com', 'NEWBIE@EXAMPLE.COM', 'nEwBiE@example.com']) {
      const error = await refused(auth.users.createUser({ username: `other${email.length}${email[1]}`, email, password: PASSWORD }));
      expect(error.fields).toEqual({ email: [{ code: 'unique', message: 'A user with that email address already exists.' }] });
    }
    expect(await userCount()).toBe(1);
  });

  it('refuses a username differing only by case or Unicode form, on the username field', async () => {
    const auth = mixed();
    const first = await auth.users.createUser({ username: 'Straße', password: PASSWORD });
    expect(first.username).toBe('Straße'); // stored as entered
    for (const username of ['straße', 'STRASSE', 'strasse', 'ＳＴＲＡＳＳＥ', 'STRAẞE']) {
      const error = await refused(auth.users.createUser({ username, password: PASSWORD }));
      expect(error.fields).toEqual({ username: [{ code: 'unique', message: 'A user with that username already exists.' }] });
    }
    expect(await userCount()).toBe(1);
  });

  it('with caseSensitiveUsernames, usernames differing by case are different accounts (emails still are not)', async () => {
    const auth = mixed({ caseSensitiveUsernames: true });
    const upper = await auth.users.createUser({ username: 'Alice', email: 'alice@example.com', password: PASSWORD });
    const lower = await auth.users.createUser({ username: 'alice', password: PASSWORD });
    expect(upper.id).not.toBe(lower.id);
    expect((await auth.users.findByIdentifier('username', 'Alice'))?.id).toBe(upper.id);
    expect((await auth.users.findByIdentifier('username', 'alice'))?.id).toBe(lower.id);
    expect(await auth.users.findByIdentifier('username', 'ALICE')).toBeNull();
    expect((await auth.users.findByIdentifier('username', 'Ａｌｉｃｅ'))?.id).toBe(upper.id); // NFKC still applies
    const error = await refused(auth.users.createUser({ username: 'alice2', email: 'ALICE@example.com', password: PASSWORD }));
    expect(Object.keys(error.fields)).toEqual(['email']);
  });

  it('reports a conflict on the email (the field typed) when the username mirrors it', async () => {
    class EmailUser extends AbstractUser {
      static override USERNAME_FIELD = 'email' as const;
      static extraFieldsSchema = z.object({});
    }
    const { auth } = testAuthOn<EmailUser>(db.knex, { userModel: EmailUser });
    const user = await auth.users.createUser({ email: 'Mirror@Example.com', password: PASSWORD });
    expect(user.username).toBe('Mirror@example.com');
    const error = await refused(auth.users.createUser({ email: 'mirror@example.com', password: PASSWORD }));
    expect(error.fields).toEqual({ email: [{ code: 'unique', message: 'A user with that email address already exists.' }] });
    expect((await auth.users.getByNaturalKey('MIRROR@EXAMPLE.COM'))?.id).toBe(user.id);
  });
});

describe('login by each identifier in mixed case', () => {
  it('finds the account by email, username and phone however they are capitalised', async () => {
    const auth = mixed();
    const user = await auth.users.createUser({ username: 'NewBie', email: 'newbie@example.com', phone: '13800138000', password: PASSWORD });
    for (const identifier of [
      'Newbie@Example.com',
      'NEWBIE@EXAMPLE.COM',
      ' newbie@example.com ',
      'newbie',
      'NEWBIE',
      'ｎｅｗｂｉｅ',
      '+86 138 0013 8000',
      '13800138000',
    ]) {
      expect((await auth.authenticate(null, { identifier, password: PASSWORD }))?.id).toBe(user.id);
    }
    expect((await auth.authenticate(null, { username: 'nEwBiE', password: PASSWORD }))?.id).toBe(user.id); // ModelBackend
    expect(await auth.authenticate(null, { identifier: 'NEWBIE@example.org', password: PASSWORD })).toBeNull();
    expect(await auth.authenticate(null, { identifier: 'NEWBIE', password: 'wrong password here' })).toBeNull();
  });
});

describe('profile changes', () => {
  it('refuses another account’s email or username in any case, and lets users change the case of their own', async () => {
    const auth = mixed();
    await auth.users.createUser({ username: 'owner', email: 'owner@example.com', password: PASSWORD });
    const other = await auth.users.createUser({ username: 'other', email: 'other@example.com', password: PASSWORD });
    const emailError = await refused(auth.users.updateUser(other, { email: 'OWNER@example.com' }));
    expect(emailError.fields).toEqual({ email: [{ code: 'unique', message: 'A user with that email address already exists.' }] });
    const nameError = await refused(auth.users.updateUser(other, { username: 'OWNER' }));
    expect(nameError.fields).toEqual({ username: [{ code: 'unique', message: 'A user with that username already exists.' }] });

    await auth.users.updateUser(other, { email: 'Other.New@Example.com', username: 'Other' });
    const row = await db.knex('auth_user').where('id', other.id).first();
    expect(row).toMatchObject({ email: 'Other.New@example.com', email_canonical: 'other.new@example.com', username: 'Other', username_canonical: 'other' });
    expect((await auth.users.findByIdentifier('email', 'other.new@EXAMPLE.com'))?.id).toBe(other.id);
    expect(await auth.users.findByIdentifier('email', 'other@example.com')).toBeNull();

    await auth.users.updateUser(other, { email: null });
    expect(await db.knex('auth_user').where('id', other.id).first()).toMatchObject({ email: null, email_canonical: null });
  });
});

describe('the database enforces it', () => {
  it('50 concurrent registrations differing only by the case of the email end with one account', async () => {
    const auth = mixed();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => {
        const email = [...'racer@example.com'].map((c, j) => ((i >> (j % 6)) & 1 ? c.toUpperCase() : c)).join('');
        return auth.users.createUser({ username: `racer${i}`, email, password: PASSWORD }, { skipPasswordValidation: true });
      }),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(ValidationError);
      expect((r.reason as ValidationError).fields).toEqual({ email: [{ code: 'unique', message: 'A user with that email address already exists.' }] });
    }
    expect(await userCount()).toBe(1);
  });

  it('50 concurrent registrations differing only by the case of the username end with one account', async () => {
    const auth = mixed();
    const spellings = ['racer', 'RACER', 'Racer', 'rAcEr', 'ＲＡＣＥＲ'];
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        auth.users.createUser({ username: spellings[i % spellings.length], password: PASSWORD }, { skipPasswordValidation: true }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect((r.reason as ValidationError).fields).toEqual({ username: [{ code: 'unique', message: 'A user with that username already exists.' }] });
    }
    expect(await userCount()).toBe(1);
  });

  it('a write that skips the manager’s pre-check still hits the unique index, reported on the field', async () => {
    const auth = mixed();
    await auth.users.createUser({ username: 'indexed', email: 'indexed@example.com', password: PASSWORD });
    // Straight into the table: the canonical unique indexes are the last line.
    const byUsername = await insertError({ password: '!', username: 'INDEXED', username_canonical: 'indexed', date_joined: new Date() });
    expect(uniqueViolationColumn(byUsername, ['username_canonical', 'email_canonical'])).toBe('username_canonical');
    const byEmail = await insertError({
      password: '!',
      username: 'x2',
      username_canonical: 'x2',
      email: 'INDEXED@example.com',
      email_canonical: 'indexed@example.com',
      date_joined: new Date(),
    });
    expect(uniqueViolationColumn(byEmail, ['username_canonical', 'email_canonical'])).toBe('email_canonical');
    // The manager maps that index's error to the field (a race that passed the pre-check).
    const manager = auth.users as unknown as { mapUniqueError(e: unknown): unknown };
    const raw = await insertError({
      password: '!',
      username: 'x3',
      username_canonical: 'x3',
      email: 'Indexed@example.com',
      email_canonical: 'indexed@example.com',
      date_joined: new Date(),
    });
    expect((manager.mapUniqueError(raw) as ValidationError).fields).toEqual({
      email: [{ code: 'unique', message: 'A user with that email address already exists.' }],
    });
    expect(await userCount()).toBe(1);
  });
});
