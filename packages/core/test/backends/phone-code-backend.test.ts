/**
 * PhoneCodeBackend in the chain: `authenticate({ phone, code, sessionKey })` logs in the phone's
 * user with a login code of that browser, signs up only when asked, marks the backend, and the
 * failure event masks the code and the binding.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { backendOf } from '../../src/backends/backend-of.js';
import { MixedLoginBackend } from '../../src/backends/mixed-login-backend.js';
import { PhoneCodeBackend } from '../../src/backends/phone-code-backend.js';
import { ImproperlyConfigured } from '../../src/errors.js';
import type { User } from '../../src/models/user.js';
import { createTestDb, testAuthOn, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('backends/phone-code-backend');
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await db.knex('auth_user').delete();
});

const PHONE = '+8613900000000';

function setUp() {
  const backend = new PhoneCodeBackend<User>();
  const { auth } = testAuthOn<User>(db.knex, { backends: [new MixedLoginBackend<User>(), backend] });
  const codes = backend.phoneCodes(auth);
  return { auth, backend, codes };
}

describe('PhoneCodeBackend', () => {
  it('logs in the user with that phone (any format) and is recorded as the backend', async () => {
    const { auth, codes } = setUp();
    const alice = await auth.users.createUser({ username: 'alice', phone: '139 0000 0000', password: null });
    const { code } = await codes.issue({ phone: PHONE, purpose: 'login', binding: 'browser-a' });
    const user = await auth.authenticate(null, { phone: '139-0000-0000', code, sessionKey: 'browser-a' });
    expect(user?.id).toBe(alice.id);
    expect(backendOf(user!)).toBe('PhoneCodeBackend');
    expect(PhoneCodeBackend.signedUp(user!)).toBe(false);
  });

  it('refuses a wrong code, a used code, another browser and codes of other purposes', async () => {
    const { auth, codes } = setUp();
    await auth.users.createUser({ username: 'alice', phone: PHONE, password: null });
    const { code } = await codes.issue({ phone: PHONE, purpose: 'login', binding: 'browser-a' });
    expect(await auth.authenticate(null, { phone: PHONE, code, sessionKey: 'browser-b' })).toBeNull();
    expect(await auth.authenticate(null, { phone: PHONE, code, sessionKey: 'browser-a' })).not.toBeNull();
    expect(await auth.authenticate(null, { phone: PHONE, code, sessionKey: 'browser-a' })).toBeNull();
    const reset = await codes.issue({ phone: PHONE, purpose: 'reset', binding: 'browser-a' });
    expect(await auth.authenticate(null, { phone: PHONE, code: reset.code, sessionKey: 'browser-a' })).toBeNull();
  });

  it('refuses inactive users', async () => {
    const { auth, codes } = setUp();
    await auth.users.createUser({ username: 'alice', phone: PHONE, password: null, isActive: false });
    const { code } = await codes.issue({ phone: PHONE, purpose: 'login', binding: 'browser-a' });
    expect(await auth.authenticate(null, { phone: PHONE, code, sessionKey: 'browser-a', signUp: true })).toBeNull();
    expect(await db.knex('auth_user').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('signs up an unknown phone only with signUp', async () => {
    const { auth, codes } = setUp();
    const first = await codes.issue({ phone: PHONE, purpose: 'login', binding: 'browser-a' });
    expect(await auth.authenticate(null, { phone: PHONE, code: first.code, sessionKey: 'browser-a' })).toBeNull();
    expect(await db.knex('auth_user').count({ n: '*' }).first()).toMatchObject({ n: 0 });

    const second = await codes.issue({ phone: PHONE, purpose: 'login', binding: 'browser-a' });
    const user = await auth.authenticate(null, { phone: PHONE, code: second.code, sessionKey: 'browser-a', signUp: true });
    expect(user).toMatchObject({ phone: PHONE, username: PHONE, accountType: 'phone' });
    expect(PhoneCodeBackend.signedUp(user!)).toBe(true);
    expect(auth.hashers.isPasswordUsable(user!.password)).toBe(false);
    expect(backendOf(user!)).toBe('PhoneCodeBackend');
  });

  it('the failure event masks the code and the browser binding', async () => {
    const { auth } = setUp();
    const failures: unknown[] = [];
    auth.events.on('userLoginFailed', (payload) => {
      failures.push(payload.credentials);
    });
    expect(await auth.authenticate(null, { phone: PHONE, code: '123456', sessionKey: 'browser-secret' })).toBeNull();
    expect(failures).toHaveLength(1);
    const text = JSON.stringify(failures[0]);
    expect(text).toContain(PHONE);
    expect(text).not.toContain('123456');
    expect(text).not.toContain('browser-secret');
  });

  it('does not take password credentials, and is found on the auth', () => {
    const { auth, backend } = setUp();
    expect(backend.accepts({ phone: PHONE, code: '1', sessionKey: 'x', password: 'p' })).toBe(false);
    expect(backend.accepts({ phone: PHONE, code: '1', sessionKey: 'x' })).toBe(true);
    expect(PhoneCodeBackend.of(auth)).toBe(backend);
    expect(backend.phoneCodes(auth)).toBe(backend.phoneCodes(auth));
    expect(() => new PhoneCodeBackend({ maxAttempts: -1 }).phoneCodes(auth)).toThrow(ImproperlyConfigured);
  });
});
