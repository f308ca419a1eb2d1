/**
 * Django edge cases: check_password(None), AnonymousUser's refusals, password_changed.
 */
import { anonymousUser, AnonymousUser } from '../../src/anonymous-user.js';
import { AnonymousUserError } from '../../src/errors.js';
import { defaultHashers } from '../../src/hashers/default-hashers.js';
import { legacyDjangoHashers } from '../../src/hashers/django-legacy-hashers.js';
import { addUserToGroup, grantUserPermission, removeUserFromGroup, revokeUserPermission, ensurePermission } from '../../src/permissions/permission-admin.js';
import type { PasswordValidator } from '../../src/password-validation/password-validator.js';
import { MinimumLengthValidator } from '../../src/password-validation/minimum-length-validator.js';
import type { User } from '../../src/models/user.js';
import { testAuthOn, countQueries, createTestDb, type TestDb } from '@koa-auth/core/testing';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('core/django-edges');
});
afterAll(async () => {
  await db.destroy();
});

it('checkPassword(null, …) is false after exactly one dummy hash, without throwing', async () => {
  const { auth, counter } = testAuthOn(db.knex);
  const user = await auth.users.createUser({ username: 'null-password', password: PASSWORD });
  await auth.hashers.warmUp();
  counter.reset();
  await expect(auth.hashers.checkPassword(null, user.password)).resolves.toBe(false);
  expect(counter.verifies).toBe(1);
  expect(counter.encodes).toBe(0);
  counter.reset();
  await expect(auth.checkPassword(user, null)).resolves.toBe(false);
  expect(counter.total).toBe(1);
  expect((await auth.users.getById(user.id))!.password).toBe(user.password);
});

describe('AnonymousUser', () => {
  it('refuses save, delete, setPassword and checkPassword', () => {
    const anonymous = new AnonymousUser();
    expect(() => anonymous.save()).toThrow(AnonymousUserError);
    expect(() => anonymous.delete()).toThrow(AnonymousUserError);
    expect(() => anonymous.setPassword()).toThrow(AnonymousUserError);
    expect(() => anonymous.checkPassword()).toThrow(AnonymousUserError);
    expect(Object.isFrozen(anonymousUser)).toBe(true);
  });

  it('is refused by every manager and permission write, before any SQL runs, and stays unchanged', async () => {
    const { auth } = testAuthOn(db.knex);
    await ensurePermission(db.knex, 'shop.refund');
    const anon = anonymousUser as unknown as User;
    const writes: [string, () => Promise<unknown>][] = [
      ['updateUser', () => auth.users.updateUser(anon, { firstName: 'Mallory' })],
      ['setPassword', () => auth.users.setPassword(anon, PASSWORD)],
      ['setPassword(null)', () => auth.users.setPassword(anon, null)],
      ['auth.checkPassword', () => auth.checkPassword(anon, PASSWORD)],
      ['auth.changePassword', () => auth.changePassword(anon, PASSWORD)],
      ['grantUserPermission', () => grantUserPermission(db.knex, anon, 'shop.refund')],
      ['revokeUserPermission', () => revokeUserPermission(db.knex, anon, 'shop.refund')],
      ['addUserToGroup', () => addUserToGroup(db.knex, anon, 'staff')],
      ['removeUserFromGroup', () => removeUserFromGroup(db.knex, anon, 'staff')],
    ];
    for (const [name, write] of writes) {
      const { result, queries } = await countQueries(db.knex, () =>
        write().then(
          () => 'no error',
          (e: unknown) => e,
        ),
      );
      expect([name, result]).toEqual([name, expect.any(AnonymousUserError)]);
      expect([name, queries]).toEqual([name, []]);
    }
    expect(anonymousUser.toJSON()).toEqual({ id: null, isAuthenticated: false, isAnonymous: true });
    expect((anonymousUser as unknown as Record<string, unknown>).firstName).toBeUndefined();
  });
});

describe('passwordChanged hook', () => {
  class HistoryValidator implements PasswordValidator {
    readonly changes: [unknown, string][] = [];
    validate() {
      return [];
    }
    helpText() {
      return 'Remembers your passwords.';
    }
    async passwordChanged(password: string, user: { id: unknown; password: string }) {
      expect(user.password.startsWith('scrypt-kdf$')).toBe(true); // already the new hash
      this.changes.push([user.id, password]);
    }
  }

  it('runs once per save: at creation with a password and at each setPassword, never for upgrades or unusable passwords', async () => {
    const history = new HistoryValidator();
    const { auth } = testAuthOn<User>(db.knex, { validators: [new MinimumLengthValidator(), history] });
    const user = await auth.users.createUser({ username: 'history', password: PASSWORD });
    expect(history.changes).toEqual([[user.id, PASSWORD]]);
    await auth.changePassword(user, 'another long passphrase');
    expect(history.changes).toEqual([
      [user.id, PASSWORD],
      [user.id, 'another long passphrase'],
    ]);
    await auth.users.setPassword(user, null);
    await auth.users.createUser({ username: 'history-unusable', password: null });
    expect(history.changes).toHaveLength(2);

    // A hash upgrade at login is not a password change.
    await db.knex('auth_user').where('id', user.id).update({ password: 'md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3' });
    const legacy = testAuthOn<User>(db.knex, {
      validators: [history],
      hashers: [...defaultHashers({ logN: 10 }), ...legacyDjangoHashers()],
    }).auth;
    expect(await legacy.authenticate(null, { username: 'history', password: 'lètmein' })).not.toBeNull();
    expect(history.changes).toHaveLength(2);
  });
});
