/**
 * Through the tRPC API: registration refuses an email or username that differs only by case
 * (on the field typed, 400), login finds the account by any identifier in any case, and a
 * password reset asked for in another case reaches the account. SQLite / memory by default;
 * MariaDB / Redis with DATABASE_URL / REDIS_URL.
 */
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { startTestApp, type TestApp } from '@koa-auth/koa/testing';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  db = await createTestDb('koa/case-insensitive-identifiers');
  store = createTestStore('case-insensitive-identifiers');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  await t?.close();
  await store?.close();
  await db?.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
  t.mailer.outbox.length = 0;
});

async function register(input: Record<string, string>) {
  return t.client().mutation('auth.register', { password: PASSWORD, ...input });
}

it('registration refuses an email or username differing only by case, on the field typed', async () => {
  const first = await register({ username: 'newbie', email: 'newbie@example.com', phone: '13800138000' });
  expect(first.status).toBe(200);

  const byEmail = await register({ username: 'someone-else', email: 'NEWBIE@example.com' });
  expect(byEmail.status).toBe(400);
  expect(byEmail.error?.data.fieldErrors).toEqual({ email: [{ code: 'unique', message: 'A user with that email address already exists.' }] });

  const byUsername = await register({ username: 'NewBie' });
  expect(byUsername.status).toBe(400);
  expect(byUsername.error?.data.fieldErrors).toEqual({ username: [{ code: 'unique', message: 'A user with that username already exists.' }] });

  // Both taken: each on its own field, never form-wide.
  const both = await register({ username: 'NEWBIE', email: 'Newbie@Example.com' });
  expect(both.status).toBe(400);
  expect(both.error?.data.fieldErrors).toEqual({
    username: [{ code: 'unique', message: 'A user with that username already exists.' }],
    email: [{ code: 'unique', message: 'A user with that email address already exists.' }],
  });

  expect(await db.knex('auth_user').count({ n: '*' }).first()).toEqual({ n: 1 });
});

it('logs in by email, username or phone in any case', async () => {
  const { data: user } = await register({ username: 'MixedCase', email: 'Mixed.Case@Example.com', phone: '13800138001' });
  for (const identifier of ['mixed.case@example.com', 'MIXED.CASE@EXAMPLE.COM', 'mixedcase', 'MIXEDCASE', '+86 138 0013 8001']) {
    const login = await t.client().mutation('auth.login', { identifier, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.data).toMatchObject({ id: user.id, username: 'MixedCase', email: 'Mixed.Case@example.com' });
  }
});

it('a password reset asked for in another case reaches the account, at the address as stored', async () => {
  const { data: user } = await register({ username: 'resetter', email: 'Resetter@example.com' });
  const request = await t.client().mutation('auth.passwordReset.request', { email: 'RESETTER@EXAMPLE.COM' });
  expect(request.status).toBe(200);
  for (let i = 0; i < 100 && t.mailer.outbox.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(t.mailer.outbox).toHaveLength(1);
  const mail = t.mailer.outbox[0]!;
  expect(mail.to).toBe('Resetter@example.com');
  const [, uid, token] = /uid=([\w-]+)&token=([\w-]+)/.exec(mail.text)!;
  const confirm = await t.client().mutation('auth.passwordReset.confirm', { uid, token, newPassword: 'a brand new passphrase' });
  expect(confirm.status).toBe(200);
  const login = await t.client().mutation('auth.login', { identifier: 'resetter@EXAMPLE.com', password: 'a brand new passphrase' });
  expect(login.data).toMatchObject({ id: user.id });

  // An address nobody has, in any case: same answer, no mail.
  t.mailer.outbox.length = 0;
  expect((await t.client().mutation('auth.passwordReset.request', { email: 'NOBODY@example.com' })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 50));
  expect(t.mailer.outbox).toHaveLength(0);
});
