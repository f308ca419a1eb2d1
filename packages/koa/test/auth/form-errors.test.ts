/**
 * The auth router's forms report every problem of a submission at once (Django's forms do):
 * registration (format, uniqueness, password validators, the optional confirmation), password
 * change (wrong old password, confirmation, validators) and reset confirmation. Nothing is
 * written when anything is refused. Also the reset-link check shared with pages.
 */
import { createTestDb, type TestDb, createTestStore } from '@koa-auth/core/testing';
import { passwordResetLinkUser } from '@koa-auth/core/internal';
import { startTestApp, type TestApp, type TrpcResult } from '@koa-auth/koa/testing';

const PASSWORD = 'correct horse battery staple';
let db: TestDb;
let t: TestApp;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  db = await createTestDb('koa/form-errors');
  store = createTestStore('form-errors');
  t = await startTestApp(db, { store });
});
afterAll(async () => {
  await t.close();
  await store.close();
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

const codes = (result: TrpcResult) =>
  Object.fromEntries(Object.entries(result.error?.data.fieldErrors ?? {}).map(([field, issues]) => [field, issues.map((i) => i.code)]));

async function userCount(): Promise<number> {
  return Number((await db.knex('auth_user').count({ n: '*' }).first())?.n);
}

describe('auth.register', () => {
  it('reports a mismatch, weak-password issues, a bad email and a taken username together', async () => {
    await t.auth.users.createUser({ username: 'alice', password: PASSWORD });
    const result = await t.client().mutation('auth.register', { username: 'alice', email: 'nope', password: '1234', password2: '12345' });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual({
      email: ['invalid'],
      password: expect.arrayContaining(['password_too_short', 'password_entirely_numeric']),
      username: ['unique'],
      password2: ['password_mismatch'],
    });
    expect(result.error?.message).not.toContain('__all__');
    expect(await userCount()).toBe(1);
  });

  it('refuses a mismatch alone and creates nothing; the same passwords register', async () => {
    const refused = await t.client().mutation('auth.register', { username: 'bob', password: PASSWORD, password2: `${PASSWORD}!` });
    expect(codes(refused)).toEqual({ password2: ['password_mismatch'] });
    expect(await userCount()).toBe(0);
    const accepted = await t.client().mutation('auth.register', { username: 'bob', password: PASSWORD, password2: PASSWORD });
    expect(accepted.status).toBe(200);
    expect(await userCount()).toBe(1);
  });

  it('reports an empty password as required, with the other fields’ problems', async () => {
    await t.auth.users.createUser({ username: 'carol', password: PASSWORD });
    const result = await t.client().mutation('auth.register', { username: 'carol', password: '' });
    expect(codes(result)).toEqual({ password: ['required'], username: ['unique'] });
    expect(await userCount()).toBe(1);
  });
});

describe('auth.changePassword', () => {
  it('reports a wrong old password, a mismatch and validator issues at once, and changes nothing', async () => {
    await t.auth.users.createUser({ username: 'dave', password: PASSWORD });
    const client = t.client();
    await client.mutation('auth.login', { identifier: 'dave', password: PASSWORD });
    const result = await client.mutation('auth.changePassword', { oldPassword: 'wrong', newPassword: '1234', newPassword2: '4321' });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual({
      oldPassword: ['password_incorrect'],
      newPassword2: ['password_mismatch'],
      password: expect.arrayContaining(['password_too_short']),
    });
    const dave = await t.auth.users.getByNaturalKey('dave');
    expect(await t.auth.checkPassword(dave!, PASSWORD)).toBe(true);

    const ok = await client.mutation('auth.changePassword', {
      oldPassword: PASSWORD,
      newPassword: 'a different passphrase',
      newPassword2: 'a different passphrase',
    });
    expect(ok.status).toBe(200);
  });
});

describe('auth.passwordReset.confirm and passwordResetLinkUser', () => {
  it('checks the link, then reports the mismatch and validator issues together', async () => {
    const erin = await t.auth.users.createUser({ username: 'erin', email: 'erin@example.com', password: PASSWORD });
    const uid = Buffer.from(String(erin.id)).toString('base64url');
    const token = t.auth.passwordResetTokens.makeToken(erin);
    expect((await passwordResetLinkUser(t.auth, uid, token))?.id).toBe(erin.id);
    expect(await passwordResetLinkUser(t.auth, uid, `${token}x`)).toBeNull();
    expect(await passwordResetLinkUser(t.auth, 'bogus', token)).toBeNull();
    expect(await passwordResetLinkUser(t.auth, undefined, undefined)).toBeNull();

    const refused = await t.client().mutation('auth.passwordReset.confirm', { uid, token, newPassword: '1234', newPassword2: '5678' });
    expect(codes(refused)).toEqual({ newPassword2: ['password_mismatch'], password: expect.arrayContaining(['password_too_short']) });
    // Refused submissions do not use the link up.
    expect((await passwordResetLinkUser(t.auth, uid, token))?.id).toBe(erin.id);

    const ok = await t.client().mutation('auth.passwordReset.confirm', { uid, token, newPassword: 'another passphrase', newPassword2: 'another passphrase' });
    expect(ok.status).toBe(200);
    // Used: the password changed, so the link no longer names anyone.
    expect(await passwordResetLinkUser(t.auth, uid, token)).toBeNull();
    const bogus = await t.client().mutation('auth.passwordReset.confirm', { uid, token, newPassword: 'x', newPassword2: 'y' });
    expect(bogus.status).toBe(401);
  });
});
