import type { Auth } from '../../src/auth.js';
import { anonymousUser } from '../../src/anonymous-user.js';
import type { AuthBackend } from '../../src/backends/auth-backend.js';
import { ModelBackend } from '../../src/backends/model-backend.js';
import { ImproperlyConfigured, PermissionDenied } from '../../src/errors.js';
import type { User } from '../../src/models/user.js';
import {
  addUserToGroup,
  ensurePermission,
  grantGroupPermission,
  grantUserPermission,
  removeUserFromGroup,
  revokeUserPermission,
} from '../../src/permissions/permission-admin.js';
import { testAuthOn, countQueries, createTestDb, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
let auth: Auth<User>;
beforeAll(async () => {
  db = await createTestDb('permissions/permissions');
  auth = testAuthOn(db.knex).auth;
  await ensurePermission(db.knex, 'blog.publish_post', 'Can publish posts');
  await ensurePermission(db.knex, 'blog.delete_post');
  await ensurePermission(db.knex, 'shop.refund');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
  await db.knex('auth_group').delete();
});

let n = 0;
const make = (fields: Record<string, unknown> = {}) => auth.users.createUser({ username: `u${++n}`, ...fields }, { skipPasswordValidation: true });
const fresh = async (user: User) => (await auth.users.getById(user.id))!;

it('grants direct and group permissions and reports them apart', async () => {
  const user = await make();
  await grantUserPermission(db.knex, user, 'blog.publish_post');
  await grantGroupPermission(db.knex, 'editors', 'blog.delete_post');
  await addUserToGroup(db.knex, user, 'editors');
  const u = await fresh(user);
  expect(await auth.getUserPermissions(u)).toEqual(new Set(['blog.publish_post']));
  expect(await auth.getGroupPermissions(u)).toEqual(new Set(['blog.delete_post']));
  expect(await auth.getAllPermissions(u)).toEqual(new Set(['blog.publish_post', 'blog.delete_post']));
  expect(await auth.hasPerm(u, 'blog.delete_post')).toBe(true);
  expect(await auth.hasPerm(u, 'shop.refund')).toBe(false);
  expect(await auth.hasPerms(u, ['blog.publish_post', 'blog.delete_post'])).toBe(true);
  expect(await auth.hasPerms(u, ['blog.publish_post', 'shop.refund'])).toBe(false);
  expect(await auth.hasModulePerms(u, 'blog')).toBe(true);
  expect(await auth.hasModulePerms(u, 'shop')).toBe(false);
});

it('loads every permission of a user in one query and caches it on the user', async () => {
  const user = await make();
  await grantUserPermission(db.knex, user, 'blog.publish_post');
  await grantGroupPermission(db.knex, 'staff', 'shop.refund');
  await addUserToGroup(db.knex, user, 'staff');
  const u = await fresh(user);
  const { queries } = await countQueries(db.knex, async () => {
    for (let i = 0; i < 100; i++) await auth.hasPerm(u, i % 2 ? 'blog.publish_post' : 'shop.refund');
    await auth.getAllPermissions(u);
    await auth.hasModulePerms(u, 'blog');
  });
  expect(queries).toHaveLength(1);
});

it('gives an active superuser every permission and an inactive one none', async () => {
  const admin = await auth.users.createSuperuser({ username: 'root' }, { skipPasswordValidation: true });
  expect(await auth.hasPerm(admin, 'anything.at_all')).toBe(true);
  expect(await auth.hasModulePerms(admin, 'nothing')).toBe(true);
  expect(await auth.getAllPermissions(admin)).toEqual(expect.objectContaining({ size: expect.any(Number) }));
  expect((await auth.getAllPermissions(admin)).has('shop.refund')).toBe(true);
  await auth.users.updateUser(admin, { isActive: false });
  const inactive = await fresh(admin);
  expect(await auth.hasPerm(inactive, 'shop.refund')).toBe(false);
  expect(await auth.hasModulePerms(inactive, 'shop')).toBe(false);
  expect(await auth.getAllPermissions(inactive)).toEqual(new Set());
});

it('gives an inactive user none of the permissions granted to them', async () => {
  const user = await make({ isActive: false });
  await grantUserPermission(db.knex, user, 'blog.publish_post');
  const u = await fresh(user);
  const { queries } = await countQueries(db.knex, () => auth.hasPerm(u, 'blog.publish_post'));
  expect(queries).toHaveLength(0);
  expect(await auth.hasPerm(u, 'blog.publish_post')).toBe(false);
});

it('gives the anonymous user nothing', async () => {
  expect(await auth.hasPerm(anonymousUser, 'blog.publish_post')).toBe(false);
  expect(await auth.getAllPermissions(anonymousUser)).toEqual(new Set());
  expect(await auth.hasModulePerms(anonymousUser, 'blog')).toBe(false);
});

it('grants nothing for an object through ModelBackend, but delegates object checks to backends', async () => {
  const user = await make();
  await grantUserPermission(db.knex, user, 'blog.publish_post');
  const post = { id: 7, ownerId: user.id };
  expect(await auth.hasPerm(await fresh(user), 'blog.publish_post', post)).toBe(false);

  const owner: AuthBackend<never, User> = {
    name: 'OwnerBackend',
    accepts: (_c: unknown): _c is never => false,
    authenticate: async () => null,
    getUser: async () => null,
    hasPerm: async (_a, u, perm, obj) => perm === 'blog.change_post' && (obj as typeof post | undefined)?.ownerId === u.id,
  };
  const withOwner = testAuthOn(db.knex, { backends: [new ModelBackend(), owner] }).auth;
  const u = await fresh(user);
  expect(await withOwner.hasPerm(u, 'blog.change_post', post)).toBe(true);
  expect(await withOwner.hasPerm(u, 'blog.change_post', { id: 8, ownerId: -1 })).toBe(false);
});

it('stops at a backend that raises PermissionDenied', async () => {
  const user = await make();
  await grantUserPermission(db.knex, user, 'blog.publish_post');
  const veto: AuthBackend<never, User> = {
    name: 'Veto',
    accepts: (_c: unknown): _c is never => false,
    authenticate: async () => null,
    getUser: async () => null,
    hasPerm: async () => {
      throw new PermissionDenied();
    },
  };
  const vetoed = testAuthOn(db.knex, { backends: [veto, new ModelBackend()] }).auth;
  expect(await vetoed.hasPerm(await fresh(user), 'blog.publish_post')).toBe(false);
});

it('sees grants and revocations after the cache is cleared by the admin helpers', async () => {
  const user = await make();
  expect(await auth.hasPerm(user, 'shop.refund')).toBe(false);
  await grantUserPermission(db.knex, user, 'shop.refund');
  expect(await auth.hasPerm(user, 'shop.refund')).toBe(true);
  await revokeUserPermission(db.knex, user, 'shop.refund');
  expect(await auth.hasPerm(user, 'shop.refund')).toBe(false);
  await grantGroupPermission(db.knex, 'refunders', 'shop.refund');
  await addUserToGroup(db.knex, user, 'refunders');
  expect(await auth.hasPerm(user, 'shop.refund')).toBe(true);
  await removeUserFromGroup(db.knex, user, 'refunders');
  expect(await auth.hasPerm(user, 'shop.refund')).toBe(false);
  await grantUserPermission(db.knex, user, 'shop.refund'); // idempotent
  await grantUserPermission(db.knex, user, 'shop.refund');
});

describe('withPerm', () => {
  it('lists users holding the permission directly, through a group, and superusers', async () => {
    const direct = await make();
    const viaGroup = await make();
    const inactive = await make({ isActive: false });
    await make(); // holds nothing
    const admin = await auth.users.createSuperuser({ username: 'boss' }, { skipPasswordValidation: true });
    await grantUserPermission(db.knex, direct, 'shop.refund');
    await grantUserPermission(db.knex, inactive, 'shop.refund');
    await grantGroupPermission(db.knex, 'cashiers', 'shop.refund');
    await addUserToGroup(db.knex, viaGroup, 'cashiers');
    const ids = async (opts = {}) => (await auth.withPerm('shop.refund', opts)).map((u) => u.id).sort((a, b) => a - b);
    expect(await ids()).toEqual([direct.id, viaGroup.id, admin.id].sort((a, b) => a - b));
    expect(await ids({ includeSuperusers: false })).toEqual([direct.id, viaGroup.id].sort((a, b) => a - b));
    expect(await ids({ isActive: false })).toEqual([inactive.id]);
    expect(await ids({ isActive: null, includeSuperusers: false })).toEqual([direct.id, viaGroup.id, inactive.id].sort((a, b) => a - b));
  });

  it('needs the backend option when several backends are configured, and a well-formed name', async () => {
    class OtherBackend extends ModelBackend<User> {
      override readonly name: string = 'Other';
    }
    const two = testAuthOn(db.knex, { backends: [new ModelBackend(), new OtherBackend()] }).auth;
    await expect(two.withPerm('shop.refund')).rejects.toBeInstanceOf(ImproperlyConfigured);
    await expect(two.withPerm('shop.refund', { backend: 'ModelBackend' })).resolves.toEqual([]);
    await expect(auth.withPerm('no-dot')).rejects.toThrow(/app_label\.permission_codename/);
  });
});
