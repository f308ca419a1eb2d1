/**
 * Custom user models Django supports: primary keys that are UUIDs or strings (the session keeps
 * the key as a string and reads it back in the model's type), and a model without an isActive
 * column (every user counts as active). Runs on SQLite, and on MariaDB with DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import { AbstractUser, ensurePermission, grantUserPermission, MixedLoginBackend, ModelBackend, type Auth, type Migration, type User } from '@koa-auth/core';
import { isMysql } from '@koa-auth/core/internal';
import { testAuthOn, createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';
import { SESSION_KEY } from '../../src/session/session-keys.js';

/** A model whose key is a UUID it assigns itself (Django: `id = UUIDField(default=uuid4)`). */
class UuidUser extends AbstractUser {
  static override tableName = 'uuid_user';
  static override PRIMARY_KEY_TYPE = 'uuid' as const;
  override $beforeInsert(): void {
    const self = this as unknown as { id?: string };
    self.id ??= randomUUID();
  }
}

/** A model keyed by an employee code (Django: `CharField(primary_key=True)`). */
class EmployeeUser extends AbstractUser {
  static override tableName = 'employee_user';
  static override PRIMARY_KEY_TYPE = 'string' as const;
  override $beforeInsert(): void {
    const self = this as unknown as { id?: string; username: string };
    self.id ??= `emp-${self.username}`;
  }
}

/** A model on a table without an is_active column (Django's AbstractBaseUser: is_active = True). */
class NoActiveFlagUser extends AbstractUser {
  static override tableName = 'no_active_flag_user';
}

// knex is core's dependency, not this package's: its types through core's Migration.
type Knex = Parameters<Migration['up']>[0];
type TableBuilder = Parameters<NonNullable<Parameters<Knex['schema']['createTable']>[1]>>[0];

function userColumns(knex: Knex, t: TableBuilder, withIsActive: boolean): void {
  if (isMysql(knex)) t.charset('utf8mb4');
  t.string('password', 255).notNullable();
  t.string('username', 150).notNullable().unique();
  t.string('email', 254).nullable().unique();
  t.string('phone', 32).nullable().unique();
  t.string('first_name', 150).notNullable().defaultTo('');
  t.string('last_name', 150).notNullable().defaultTo('');
  t.string('nickname', 150).notNullable().defaultTo('');
  t.string('gender', 16).nullable();
  t.string('birthday', 10).nullable();
  t.string('avatar', 1024).nullable();
  if (withIsActive) t.boolean('is_active').notNullable().defaultTo(true);
  t.boolean('is_staff').notNullable().defaultTo(false);
  t.boolean('is_superuser').notNullable().defaultTo(false);
  t.datetime('date_joined', { precision: 3 }).notNullable();
  t.datetime('last_login', { precision: 3 }).nullable();
  t.string('account_type', 32).notNullable().defaultTo('username');
  // The manager keeps the case-insensitive forms of username and email (core migration 0003).
  t.string('username_canonical', 300).nullable().unique();
  t.string('email_canonical', 254).nullable().unique();
}

const customTables: Migration = {
  name: 'test/custom_user_tables',
  async up(knex) {
    await knex.schema.createTable('uuid_user', (t) => {
      t.string('id', 36).primary();
      userColumns(knex, t, true);
    });
    await knex.schema.createTable('employee_user', (t) => {
      t.string('id', 64).primary();
      userColumns(knex, t, true);
    });
    await knex.schema.createTable('no_active_flag_user', (t) => {
      t.increments('id').primary();
      userColumns(knex, t, false);
    });
  },
  async down(knex) {
    for (const name of ['uuid_user', 'employee_user', 'no_active_flag_user']) await knex.schema.dropTableIfExists(name);
  },
};

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
const apps: TestApp[] = [];

beforeAll(async () => {
  db = await createTestDb('koa/custom-user-models', [customTables]);
  store = createTestStore('custom-user-models');
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await store.close();
  await db.destroy();
});

function authFor<U extends AbstractUser>(userModel: new () => U): Auth<U> {
  return testAuthOn<U>(db.knex, { userModel: userModel as never, store, backends: [new MixedLoginBackend<U>(), new ModelBackend<U>()] }).auth;
}

async function appFor<U extends AbstractUser>(auth: Auth<U>): Promise<TestApp> {
  const app = await startTestApp(db, {
    store,
    auth: auth as unknown as Auth<User>,
    extend(koa) {
      koa.use(async (ctx, next) => {
        if (ctx.path !== '/whoami') return next();
        const user = await ctx.state.user;
        ctx.body = { id: user.id, username: user.isAuthenticated ? user.username : null };
      });
    },
  });
  apps.push(app);
  return app;
}

async function storedSession(sessionId: string): Promise<Record<string, unknown>> {
  return JSON.parse((await store.get(`sess:${sessionId}`))!) as Record<string, unknown>;
}

describe('UUID and string primary keys', () => {
  it('getById accepts the model key type (UUID): the key, its upper-case form; never an integer', async () => {
    const auth = authFor(UuidUser);
    const user = await auth.users.createUser({ username: 'uuid-person', password: PASSWORD });
    const id = user.id as unknown as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await auth.users.getById(id))?.username).toBe('uuid-person');
    expect((await auth.users.getById(id.toUpperCase()))?.username).toBe('uuid-person');
    expect(await auth.users.getById(1)).toBeNull();
    expect(await auth.users.getById(`${id}x`)).toBeNull();
    expect(await auth.users.getById('')).toBeNull();
  });

  it('getById accepts the model key type (string); integer models refuse strings that are not integers', async () => {
    const auth = authFor(EmployeeUser);
    const user = await auth.users.createUser({ username: 'alice', password: PASSWORD });
    expect(user.id).toBe('emp-alice');
    expect((await auth.users.getById('emp-alice'))?.username).toBe('alice');
    expect(await auth.users.getById('emp-nobody')).toBeNull();
    expect(await auth.users.getById('')).toBeNull();

    const stock = testAuthOn(db.knex, { store }).auth;
    const first = await stock.users.createUser({ username: 'integer-person', password: PASSWORD });
    expect((await stock.users.getById(String(first.id)))?.username).toBe('integer-person');
    // MySQL would compare '<id>abc' equal to <id>: refused before any SQL.
    expect(await stock.users.getById(`${first.id}abc`)).toBeNull();
    expect(await stock.users.getById(`${first.id}.0`)).toBeNull();
  });

  it.each([
    ['UUID', UuidUser],
    ['string', EmployeeUser],
  ] as const)('%s keys: the session stores the key as a string and resolves it back to the user', async (_kind, model) => {
    const auth = authFor(model as new () => AbstractUser);
    const user = await auth.users.createUser({ username: `session-${_kind.toLowerCase()}`, password: PASSWORD });
    const app = await appFor(auth);
    const client = app.client();
    expect((await client.mutation('auth.login', { identifier: user.username, password: PASSWORD })).status).toBe(200);
    expect((await storedSession(client.sessionId()!))[SESSION_KEY]).toBe(String(user.id));
    expect(await (await client.fetch('/whoami')).json()).toEqual({ id: user.id, username: user.username });
    expect((await client.query('auth.me')).data.username).toBe(user.username);
  });

  it('integer keys are stored in the session as strings too, and resolve back', async () => {
    const auth = testAuthOn<User>(db.knex, { store, backends: [new MixedLoginBackend(), new ModelBackend()] }).auth;
    const user = await auth.users.createUser({ username: 'session-integer', password: PASSWORD });
    const app = await appFor(auth);
    const client = app.client();
    await client.mutation('auth.login', { identifier: 'session-integer', password: PASSWORD });
    expect((await storedSession(client.sessionId()!))[SESSION_KEY]).toBe(String(user.id));
    expect(await (await client.fetch('/whoami')).json()).toEqual({ id: user.id, username: 'session-integer' });
  });

  it('a UUID user never gets the permissions of the integer user its key starts like', async () => {
    const stock = testAuthOn(db.knex, { store }).auth;
    const victim = await stock.users.createUser({ username: 'perm-victim', password: PASSWORD });
    await ensurePermission(db.knex, 'shop.refund');
    await grantUserPermission(db.knex, victim, 'shop.refund');
    const auth = authFor(UuidUser);
    const lookalike = await auth.users.createUser({ username: 'perm-lookalike', password: PASSWORD });
    // '<victim id>aaaa…': MySQL would read it as the number <victim id> against an integer column.
    const head = String(victim.id);
    const id = `${head}${'a'.repeat(8 - head.length)}-aaaa-4aaa-8aaa-aaaaaaaaaaaa`;
    await db.knex('uuid_user').where('id', lookalike.id).update({ id });
    const loaded = (await auth.users.getById(id))!;
    expect(await auth.hasPerm(loaded, 'shop.refund')).toBe(false);
    expect(await auth.getAllPermissions(loaded)).toEqual(new Set());
    expect((await auth.withPerm('shop.refund', { includeSuperusers: false, backend: 'ModelBackend' })).map((u) => u.username)).toEqual([]);
    expect(await stock.hasPerm(victim, 'shop.refund')).toBe(true);
  });
});

describe('a user model without an isActive column', () => {
  it('counts every user as active: login, session, superuser permissions', async () => {
    const auth = authFor(NoActiveFlagUser);
    const user = await auth.users.createUser({ username: 'no-flag', password: PASSWORD });
    expect(user.isActive).toBeUndefined();
    expect((await auth.authenticate(null, { username: 'no-flag', password: PASSWORD }))?.id).toBe(user.id);
    const app = await appFor(auth);
    const client = app.client();
    expect((await client.mutation('auth.login', { identifier: 'no-flag', password: PASSWORD })).status).toBe(200);
    expect(await (await client.fetch('/whoami')).json()).toEqual({ id: user.id, username: 'no-flag' });
    expect((await client.query('auth.me')).data.isActive).toBe(true);
    const boss = await auth.users.createSuperuser({ username: 'no-flag-boss', password: PASSWORD });
    expect(await auth.hasPerm(boss, 'anything.at_all')).toBe(true);
    expect(await auth.hasModulePerms(boss, 'anything')).toBe(true);
  });
});
