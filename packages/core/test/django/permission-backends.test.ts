/**
 * Permission backends as Django has them (tests/auth_tests/test_auth_backends.py: BaseBackendTest,
 * AnonymousUserBackendTest, InActiveUserBackendTest, and UserManager.with_perm's name check).
 */
import { anonymousUser } from '../../src/anonymous-user.js';
import type { AnyUser } from '../../src/auth.js';
import type { Auth } from '../../src/auth.js';
import { BaseBackend } from '../../src/backends/base-backend.js';
import { ModelBackend } from '../../src/backends/model-backend.js';
import { ValidationError } from '../../src/errors.js';
import type { User } from '../../src/models/user.js';
import { grantUserPermission, ensurePermission } from '../../src/permissions/permission-admin.js';
import { PERMISSION_FORMAT_MESSAGE } from '../../src/permissions/parse-permission.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

/** Django's SimpleBackend: only the two "get" methods. */
class SimpleBackend extends BaseBackend<never, User> {
  readonly name = 'SimpleBackend';
  override async getUserPermissions(): Promise<Set<string>> {
    return new Set(['user_perm']);
  }
  override async getGroupPermissions(): Promise<Set<string>> {
    return new Set(['group_perm']);
  }
}

/** An object-level permission, django-guardian style. */
class Document {
  constructor(readonly id: number) {}
}

/** Django's SimpleRowlevelBackend: grants on objects only, to anonymous and inactive users too. */
class RowLevelBackend extends BaseBackend<never, User> {
  readonly name = 'RowLevelBackend';
  override async getAllPermissions(_auth: Auth<User>, user: AnyUser<User>, obj?: unknown): Promise<Set<string>> {
    if (!(obj instanceof Document)) return new Set();
    if (user.isAnonymous) return new Set(['anon']);
    if (!user.isActive) return new Set(['inactive']);
    return new Set(['simple']);
  }
  async hasModulePerms(_auth: Auth<User>, user: AnyUser<User>, appLabel: string): Promise<boolean> {
    // Anonymous users get app1; inactive users nothing (Django's test backend).
    return (user.isAnonymous || user.isActive) && appLabel === 'app1';
  }
}

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('core/django-permission-backends');
});
afterAll(async () => {
  await db.destroy();
});

describe('BaseBackend', () => {
  it('a backend with getUserPermissions/getGroupPermissions gets getAllPermissions (their union) and hasPerm', async () => {
    const { auth } = testAuthOn(db.knex, { backends: [new SimpleBackend()] });
    const user = await auth.users.createUser({ username: 'base-backend-user', password: PASSWORD });
    expect(await auth.getUserPermissions(user)).toEqual(new Set(['user_perm']));
    expect(await auth.getGroupPermissions(user)).toEqual(new Set(['group_perm']));
    expect(await auth.getAllPermissions(user)).toEqual(new Set(['user_perm', 'group_perm']));
    expect(await auth.hasPerm(user, 'user_perm')).toBe(true);
    expect(await auth.hasPerm(user, 'group_perm')).toBe(true);
    expect(await auth.hasPerm(user, 'other_perm')).toBe(false);
    // By default it authenticates nobody and loads nobody.
    const backend = new SimpleBackend();
    expect(backend.accepts({ username: 'x', password: 'y' })).toBe(false);
    expect(await backend.getUser(auth, user.id)).toBeNull();
  });
});

describe('per-object checks reach every backend for anonymous and inactive users', () => {
  let auth: Auth<User>;
  let inactive: User;
  let active: User;
  beforeAll(async () => {
    auth = testAuthOn(db.knex, { backends: [new ModelBackend(), new RowLevelBackend()] }).auth;
    inactive = await auth.users.createUser({ username: 'inactive-rowlevel', password: PASSWORD, isActive: false });
    active = await auth.users.createUser({ username: 'active-rowlevel', password: PASSWORD });
    await ensurePermission(db.knex, 'app1.change_doc');
    await grantUserPermission(db.knex, inactive, 'app1.change_doc');
  });

  it('anonymous user: ModelBackend says no, a custom backend may grant', async () => {
    expect(await auth.hasPerm(anonymousUser, 'perm', new Document(1))).toBe(false);
    expect(await auth.hasPerm(anonymousUser, 'anon', new Document(1))).toBe(true);
    expect(await auth.hasPerms(anonymousUser, ['anon'], new Document(1))).toBe(true);
    expect(await auth.hasPerms(anonymousUser, ['anon', 'perm'], new Document(1))).toBe(false);
    expect(await auth.hasPerm(anonymousUser, 'anon')).toBe(false); // not without the object
    expect(await auth.getAllPermissions(anonymousUser, new Document(1))).toEqual(new Set(['anon']));
    expect(await auth.hasModulePerms(anonymousUser, 'app1')).toBe(true);
    expect(await auth.hasModulePerms(anonymousUser, 'app2')).toBe(false);
  });

  it('inactive user: ModelBackend says no (even for a granted permission), a custom backend may grant', async () => {
    expect(await auth.hasPerm(inactive, 'app1.change_doc')).toBe(false);
    expect(await auth.getAllPermissions(inactive)).toEqual(new Set());
    expect(await auth.hasPerm(inactive, 'perm', new Document(1))).toBe(false);
    expect(await auth.hasPerm(inactive, 'inactive', new Document(1))).toBe(true);
    expect(await auth.getAllPermissions(inactive, new Document(1))).toEqual(new Set(['inactive']));
  });

  it('hasModulePerms is false for inactive users', async () => {
    expect(await auth.hasModulePerms(inactive, 'app1')).toBe(false);
    expect(await auth.hasModulePerms(inactive, 'app2')).toBe(false);
    expect(await auth.hasModulePerms(active, 'app1')).toBe(true); // through the row-level backend
    const modelOnly = testAuthOn(db.knex).auth;
    const superInactive = await modelOnly.users.createSuperuser({ username: 'inactive-super', password: PASSWORD, isActive: false });
    expect(await modelOnly.hasModulePerms(superInactive, 'app1')).toBe(false);
    expect(await modelOnly.hasPerm(superInactive, 'app1.change_doc')).toBe(false);
  });
});

describe('withPerm permission names', () => {
  it("withPerm('too.many.dots') and other malformed names are refused with Django's message", async () => {
    const { auth } = testAuthOn(db.knex);
    expect(PERMISSION_FORMAT_MESSAGE).toBe('Permission name should be in the form app_label.permission_codename.');
    for (const name of ['too.many.dots', 'nodots', '.codename', 'app.', '', '.']) {
      const error = await auth.withPerm(name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields.permission?.[0]?.message).toBe(PERMISSION_FORMAT_MESSAGE);
    }
    // Checked before the backend is chosen, as Django.
    const two = testAuthOn(db.knex, { backends: [new ModelBackend(), new SimpleBackend()] }).auth;
    await expect(two.withPerm('too.many.dots')).rejects.toThrow(PERMISSION_FORMAT_MESSAGE);
    await expect(auth.withPerm(42 as unknown as string)).rejects.toBeInstanceOf(ValidationError);
    await expect(auth.withPerm('app1.change_doc')).resolves.toEqual(expect.any(Array));
  });
});
