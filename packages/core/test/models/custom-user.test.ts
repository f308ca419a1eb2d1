import type { Knex } from 'knex';
import { z } from 'zod';
import { AbstractUser } from '../../src/models/abstract-user.js';
import type { Migration } from '../../src/migrations/migration.js';
import { MixedLoginBackend } from '../../src/backends/mixed-login-backend.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

/** An app's own user model: phone login plus a column of its own. */
class PhoneUser extends AbstractUser {
  static override USERNAME_FIELD = 'phone' as const;
  static override REQUIRED_FIELDS = ['email'];
  static extraFieldsSchema = z.object({ department: z.string().max(50).nullable() });
  declare department: string | null;
}

const addDepartment: Migration = {
  name: 'app/0001_user_department',
  up: async (knex: Knex) => knex.schema.alterTable('auth_user', (t) => void t.string('department', 50).nullable()),
  down: async (knex: Knex) => knex.schema.alterTable('auth_user', (t) => void t.dropColumn('department')),
};

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('models/custom-user', [addDepartment]);
});
afterAll(async () => {
  await db.destroy();
});

it('lets a subclass add fields with its own migration and log in by phone', async () => {
  const { auth } = testAuthOn<PhoneUser>(db.knex, { userModel: PhoneUser, phoneRegion: 'CN' });
  const user = await auth.users.createUser({ phone: '139 0013 9000', department: 'Sales', password: 'correct horse battery staple' });
  expect(user).toBeInstanceOf(PhoneUser);
  expect(user.username).toBe('+8613900139000'); // mirrors the phone when no username is given
  expect(user.accountType).toBe('phone');
  expect(user.department).toBe('Sales');
  expect(user.getUsername()).toBe('+8613900139000');
  expect((await auth.users.getByNaturalKey('13900139000'))?.id).toBe(user.id);
  expect(await auth.authenticate(null, { phone: '+86 139 0013 9000', password: 'correct horse battery staple' })).toBeInstanceOf(PhoneUser);
  await expect(auth.users.createUser({ phone: '13900139001', department: 'x'.repeat(51) })).rejects.toMatchObject({
    fields: { department: expect.any(Array) },
  });
  await expect(auth.users.createUser({ email: 'no-phone@example.com' })).rejects.toMatchObject({ fields: { phone: expect.any(Array) } });

  const mixed = testAuthOn<PhoneUser>(db.knex, { userModel: PhoneUser, phoneRegion: 'CN', backends: [new MixedLoginBackend()] }).auth;
  expect((await mixed.authenticate(null, { identifier: '13900139000', password: 'correct horse battery staple' }))?.id).toBe(user.id);
});

it('round-trips dates and booleans identically on every database', async () => {
  const { auth } = testAuthOn<PhoneUser>(db.knex, { userModel: PhoneUser, phoneRegion: 'CN' });
  const joined = new Date('2024-03-01T12:34:56.789Z');
  const user = await auth.users.createUser({ phone: '13900139002', birthday: '1990-07-15', dateJoined: joined, isStaff: true });
  const loaded = (await auth.users.getById(user.id))!;
  expect(loaded.dateJoined.toISOString()).toBe(joined.toISOString());
  expect(loaded.birthday).toBe('1990-07-15');
  expect(loaded.isStaff).toBe(true);
  expect(loaded.isActive).toBe(true);
  expect(loaded.lastLogin).toBeNull();
});
