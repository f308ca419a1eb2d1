/**
 * NUL characters in passwords, over HTTP: scrypt treats trailing NULs as absent, so without a
 * check `secret\0` logs in as `secret`. Every procedure that sets or checks a password answers a
 * field error instead, the same for known and unknown accounts, and never writes anything.
 */
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { type TrpcResult, startTestApp, type TestApp } from '@koa-auth/koa/testing';

const PASSWORD = 'correct horse battery staple';
const NUL_CODE = 'null_characters_not_allowed';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  db = await createTestDb('koa/null-characters');
  store = createTestStore('null-characters');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
  t.mailer.outbox.length = 0;
});

function expectNulRefused(result: TrpcResult, field: string): void {
  expect(result.status).toBe(400);
  expect(result.error?.data.fieldErrors?.[field]?.[0]?.code).toBe(NUL_CODE);
  expect(JSON.stringify(result.error)).not.toContain(PASSWORD);
}

it('login and token: refused with a field error, for a known and an unknown account alike', async () => {
  await t.auth.users.createUser({ username: 'alice', password: PASSWORD });
  const client = t.client();
  for (const password of [`${PASSWORD}\0`, `${PASSWORD}\0\0`]) {
    const known = await client.mutation('auth.login', { identifier: 'alice', password });
    expectNulRefused(known, 'password');
    const unknown = await client.mutation('auth.login', { identifier: 'nobody', password });
    expectNulRefused(unknown, 'password');
    expect(unknown.error).toEqual(known.error);
    expectNulRefused(await client.mutation('auth.token', { identifier: 'alice', password }), 'password');
  }
  expect((await client.query('auth.me')).data).toBeNull();
  expect((await client.mutation('auth.login', { identifier: 'alice', password: PASSWORD })).status).toBe(200);
});

it('register: refused, and no row is written', async () => {
  const result = await t.client().mutation('auth.register', { username: 'mallory', password: 'Good-Horse-42\0' });
  expectNulRefused(result, 'password');
  expect(await db.knex('auth_user').where({ username: 'mallory' }).first()).toBeUndefined();
});

it('changePassword: a NUL in the old or the new password is refused on that field; nothing changes', async () => {
  await t.auth.users.createUser({ username: 'bob', password: PASSWORD });
  const client = t.client();
  await client.mutation('auth.login', { identifier: 'bob', password: PASSWORD });
  const before = (await t.auth.users.getById((await db.knex('auth_user').where({ username: 'bob' }).first()).id))!.password;
  expectNulRefused(await client.mutation('auth.changePassword', { oldPassword: `${PASSWORD}\0`, newPassword: 'Another-Horse-77' }), 'oldPassword');
  expectNulRefused(await client.mutation('auth.changePassword', { oldPassword: PASSWORD, newPassword: 'Another-Horse-77\0' }), 'password');
  const after = (await db.knex('auth_user').where({ username: 'bob' }).first()).password;
  expect(after).toBe(before);
  expect((await client.query('auth.me')).data?.username).toBe('bob');
});

it('passwordReset.confirm: refused; the token stays unused', async () => {
  const user = await t.auth.users.createUser({ username: 'carol', email: 'carol@example.com', password: PASSWORD });
  const uid = Buffer.from(String(user.id)).toString('base64url');
  const token = t.auth.passwordResetTokens.makeToken(user);
  expectNulRefused(await t.client().mutation('auth.passwordReset.confirm', { uid, token, newPassword: 'Another-Horse-77\0' }), 'password');
  expect((await t.client().mutation('auth.passwordReset.confirm', { uid, token, newPassword: 'Another-Horse-77' })).status).toBe(200);
});
