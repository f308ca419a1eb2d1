/**
 * core/0003_canonical_identifiers on a database that already has users: it refuses to apply
 * while accounts would collide (listing them, changing nothing), applies once they are resolved,
 * and never merges or deletes rows. SQLite by default; MariaDB with DATABASE_URL (where DDL is
 * not transactional, so "changes nothing" means the check runs before any DDL).
 */
import type { Knex } from 'knex';
import { MixedLoginBackend } from '../../src/backends/mixed-login-backend.js';
import { coreMigrations, coreMigrationsFor } from '../../src/migrations/core-migrations.js';
import { migrationSource, type Migration } from '../../src/migrations/migration.js';
import { IdentifierCollisionError } from '../../src/users/identifier-collision-error.js';
import { scanIdentifiers } from '../../src/users/identifier-collisions.js';
import { uniqueViolationColumn } from '../../src/users/unique-violation.js';
import { syncCanonicalIdentifiers } from '../../src/users/sync-canonical-identifiers.js';
import { testAuthOn, createTestDb, type TestDb } from '@koa-auth/core/testing';

const BEFORE = coreMigrations.slice(0, 2);
const PASSWORD = 'correct horse battery staple';

let db: TestDb;
beforeEach(async () => {
  db = await createTestDb(`migrations/canonical-identifiers/${expect.getState().currentTestName}`, [], { core: BEFORE });
});
afterEach(async () => {
  await db.destroy();
});

/** Rows as an older version (or a Django import) left them: no canonical columns. */
async function legacyUsers(knex: Knex, users: { username: string; email?: string }[]): Promise<number[]> {
  const ids: number[] = [];
  for (const u of users) {
    const [id] = await knex('auth_user').insert({ password: '!', username: u.username, email: u.email ?? null, date_joined: new Date() });
    ids.push(Number(id));
  }
  return ids;
}

/** Which canonical unique index a raw insert ran into, or null when it was stored. */
async function canonicalConflict(row: Record<string, unknown>): Promise<string | null> {
  const error = await db
    .knex('auth_user')
    .insert(row)
    .then(
      () => null,
      (e: unknown) => e,
    );
  return error === null ? null : uniqueViolationColumn(error, ['username_canonical', 'email_canonical']);
}

const migrate = (migrations: Migration[] = coreMigrations) => db.knex.migrate.latest({ migrationSource: migrationSource(migrations) });
const applied = async () => ((await db.knex('knex_migrations').select('name')) as { name: string }[]).map((r) => r.name);

it('refuses to apply while accounts collide, lists them with what to do, and changes nothing', async () => {
  const [alice, alice2, bob, bob2, carol] = await legacyUsers(db.knex, [
    { username: 'Alice', email: 'alice@example.com' },
    { username: 'alice' },
    { username: 'bob', email: 'Bob@example.com' },
    { username: 'bobby', email: 'BOB@example.com' },
    { username: 'carol', email: 'carol@example.com' },
  ]);
  const before = await db.knex('auth_user').orderBy('id');

  const error = await migrate().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdentifierCollisionError);
  const { collisions, message } = error as IdentifierCollisionError;
  expect(collisions).toEqual([
    { field: 'email', canonical: 'bob@example.com', accounts: [expect.objectContaining({ id: bob }), expect.objectContaining({ id: bob2 })] },
    {
      field: 'username',
      canonical: 'alice',
      accounts: [expect.objectContaining({ id: alice, username: 'Alice' }), expect.objectContaining({ id: alice2, username: 'alice' })],
    },
  ]);
  expect(message).toContain(`username "alice": #${alice} (username "Alice", email "alice@example.com"), #${alice2} (username "alice", email none)`);
  expect(message).toContain(`email "bob@example.com": #${bob} (username "bob", email "Bob@example.com"), #${bob2}`);
  expect(message).toContain('Nothing was changed');
  expect(message).toContain('no account is merged or deleted');
  expect(message).toContain('identifier-collisions');
  expect(message).not.toContain(`#${carol}`);

  // Nothing applied, nothing added, no row merged, dropped or changed.
  expect(await applied()).not.toContain('core/0003_canonical_identifiers');
  expect(await db.knex.schema.hasColumn('auth_user', 'username_canonical')).toBe(false);
  expect(await db.knex.schema.hasColumn('auth_user', 'email_canonical')).toBe(false);
  expect(await db.knex('auth_user').orderBy('id')).toEqual(before);
  // The same list, on demand (what the CLI prints).
  expect((await scanIdentifiers(db.knex)).collisions).toEqual(collisions);

  // Resolved by the operator: it applies, and lookups ignore case.
  await db.knex('auth_user').where('id', alice2).update({ username: 'alice.two' });
  await db.knex('auth_user').where('id', bob2).update({ email: 'bobby@example.com' });
  await migrate();
  expect(await applied()).toContain('core/0003_canonical_identifiers');
  expect(await db.knex('auth_user').where('id', alice).first()).toMatchObject({
    username: 'Alice',
    username_canonical: 'alice',
    email_canonical: 'alice@example.com',
  });
  expect(await db.knex('auth_user').where('id', bob).first()).toMatchObject({ email: 'Bob@example.com', email_canonical: 'bob@example.com' });
  expect(await db.knex('auth_user').where('id', alice2).first()).toMatchObject({ email: null, email_canonical: null });
  expect(await db.knex('auth_user').count({ n: '*' }).first()).toEqual({ n: 5 });

  const { auth } = testAuthOn(db.knex, { backends: [new MixedLoginBackend()] });
  expect((await auth.users.findByIdentifier('username', 'ALICE'))?.id).toBe(alice);
  expect((await auth.users.findByIdentifier('email', 'bob@EXAMPLE.com'))?.id).toBe(bob);
  const error2 = await auth.users.createUser({ username: 'CAROL', password: PASSWORD }).catch((e: unknown) => e);
  expect(error2).toMatchObject({ fields: { username: [{ code: 'unique' }] } });
  expect(await canonicalConflict({ password: '!', username: 'ALICE', username_canonical: 'alice', date_joined: new Date() })).toBe('username_canonical');
});

it('a site with caseSensitiveUsernames migrates with coreMigrationsFor: usernames differing by case stay two accounts', async () => {
  const [upper, lower] = await legacyUsers(db.knex, [
    { username: 'Alice', email: 'a1@example.com' },
    { username: 'alice', email: 'a2@example.com' },
  ]);
  await migrate(coreMigrationsFor({ caseSensitiveUsernames: true }));
  const { auth } = testAuthOn(db.knex, { caseSensitiveUsernames: true });
  expect((await auth.users.findByIdentifier('username', 'Alice'))?.id).toBe(upper);
  expect((await auth.users.findByIdentifier('username', 'alice'))?.id).toBe(lower);
  expect(await auth.users.findByIdentifier('username', 'ALICE')).toBeNull();
  expect((await scanIdentifiers(db.knex, { policy: { caseSensitiveUsernames: true } })).staleRows).toBe(0);
});

it('a site with caseSensitiveUsernames is still refused emails differing only by case', async () => {
  await legacyUsers(db.knex, [
    { username: 'a', email: 'Same@example.com' },
    { username: 'b', email: 'same@example.com' },
  ]);
  await expect(migrate(coreMigrationsFor({ caseSensitiveUsernames: true }))).rejects.toBeInstanceOf(IdentifierCollisionError);
  expect(await db.knex.schema.hasColumn('auth_user', 'email_canonical')).toBe(false);
});

it('applies after a crash half-way (columns added, indexes not) and rolls back cleanly', async () => {
  await legacyUsers(db.knex, [{ username: 'Dave', email: 'Dave@example.com' }]);
  await db.knex.schema.alterTable('auth_user', (t) => {
    t.string('username_canonical', 300).nullable();
    t.string('email_canonical', 254).nullable();
  });
  await migrate();
  expect(await db.knex('auth_user').first()).toMatchObject({ username_canonical: 'dave', email_canonical: 'dave@example.com' });
  expect(await canonicalConflict({ password: '!', username: 'dave', username_canonical: 'dave', date_joined: new Date() })).toBe('username_canonical');
  expect(
    await canonicalConflict({
      password: '!',
      username: 'dave2',
      username_canonical: 'dave2',
      email: 'DAVE@example.com',
      email_canonical: 'dave@example.com',
      date_joined: new Date(),
    }),
  ).toBe('email_canonical');

  await db.knex.migrate.down({ migrationSource: migrationSource(coreMigrations) });
  expect(await db.knex.schema.hasColumn('auth_user', 'username_canonical')).toBe(false);
  expect(await db.knex('auth_user').first()).toMatchObject({ username: 'Dave', email: 'Dave@example.com' });
});

it('syncCanonicalIdentifiers rewrites out-of-date canonical columns, refusing while accounts would collide', async () => {
  await migrate();
  const { auth } = testAuthOn(db.knex);
  const erin = await auth.users.createUser({ username: 'Erin', email: 'Erin@example.com', password: PASSWORD });
  await auth.users.createUser({ username: 'erin.b', password: PASSWORD });
  // A row written by something other than the manager (an older version still running).
  await db.knex('auth_user').where('id', erin.id).update({ username_canonical: null, email_canonical: null });
  expect((await scanIdentifiers(db.knex)).staleRows).toBe(1);
  expect(await syncCanonicalIdentifiers(db.knex)).toBe(1);
  expect(await db.knex('auth_user').where('id', erin.id).first()).toMatchObject({ username_canonical: 'erin', email_canonical: 'erin@example.com' });
  expect((await scanIdentifiers(db.knex)).staleRows).toBe(0);

  // Switching to case-sensitive usernames: every canonical username with a capital is rewritten.
  expect(await syncCanonicalIdentifiers(db.knex, { policy: { caseSensitiveUsernames: true } })).toBe(1);
  expect(await db.knex('auth_user').where('id', erin.id).first()).toMatchObject({ username_canonical: 'Erin' });

  // …and back, refused while two accounts would become one.
  await testAuthOn(db.knex, { caseSensitiveUsernames: true }).auth.users.createUser({ username: 'erin', password: PASSWORD });
  await expect(syncCanonicalIdentifiers(db.knex)).rejects.toBeInstanceOf(IdentifierCollisionError);
  expect(await db.knex('auth_user').where('id', erin.id).first()).toMatchObject({ username_canonical: 'Erin' });
});
