import { MixedLoginBackend } from '@koa-auth/core';
import { ScryptKdfHasher } from '@koa-auth/core/internal';
import { testAuthOn, createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let store: ReturnType<typeof createTestStore>;
let before: TestApp; // the site before the hashing parameters were raised
let after: TestApp; // the same site after (same database and store)

beforeAll(async () => {
  db = await createTestDb('koa/rehash-sessions');
  store = createTestStore('rehash-sessions');
  const backends = [new MixedLoginBackend()];
  before = await startTestApp(db, { store, auth: testAuthOn(db.knex, { store, backends, hashers: [new ScryptKdfHasher({ logN: 8 })] }).auth });
  after = await startTestApp(db, { store, auth: testAuthOn(db.knex, { store, backends, hashers: [new ScryptKdfHasher({ logN: 10 })] }).auth });
});
afterAll(async () => {
  await before.close();
  await after.close();
  await store.close();
  await db.destroy();
});

it('keeps other sessions logged in when a login upgrades the hash, but not after a password change', async () => {
  const alice = await before.auth.users.createUser({ username: 'alice', password: PASSWORD });
  const laptop = before.client();
  expect((await laptop.mutation('auth.login', { identifier: 'alice', password: PASSWORD })).status).toBe(200);

  const phone = after.client();
  expect((await phone.mutation('auth.login', { identifier: 'alice', password: PASSWORD })).status).toBe(200);
  const upgraded = (await after.auth.users.getById(alice.id))!.password;
  expect(upgraded).not.toBe(alice.password); // the login rehashed with the new parameters

  // The laptop's session was made with the old hash: still alice, on either instance.
  expect((await laptop.query('auth.me')).data?.username).toBe('alice');
  const elsewhere = after.client();
  for (const [k, v] of laptop.cookies) elsewhere.cookies.set(k, v);
  expect((await elsewhere.query('auth.me')).data?.username).toBe('alice');

  // A real password change still ends every other session.
  const change = await phone.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: 'another good passphrase' });
  expect(change.status).toBe(200);
  expect((await laptop.query('auth.me')).data).toBeNull();
  expect((await phone.query('auth.me')).data?.username).toBe('alice');
});

it('does not resurrect a session made before a password change through an old upgrade marker', async () => {
  const bob = await before.auth.users.createUser({ username: 'bob', password: PASSWORD });
  const old = before.client();
  await old.mutation('auth.login', { identifier: 'bob', password: PASSWORD });
  await after.auth.changePassword((await after.auth.users.getById(bob.id))!, 'a brand new passphrase');
  expect((await old.query('auth.me')).data).toBeNull();
});
