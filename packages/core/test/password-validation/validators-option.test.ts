import { ImproperlyConfigured, ValidationError } from '../../src/errors.js';
import { MinimumLengthValidator } from '../../src/password-validation/minimum-length-validator.js';
import { createTestDb, testAuthOn, type TestDb } from '@koa-auth/core/testing';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb('password-validation/validators-option');
});
afterAll(async () => {
  await db.destroy();
});

describe("createAuth's `validators`", () => {
  it('are the validators the auth checks passwords with', () => {
    const validator = new MinimumLengthValidator({ minLength: 20 });
    const { auth } = testAuthOn(db.knex, { validators: [validator] });
    expect(auth.passwordValidators).toEqual([validator]);
    expect(() => auth.validatePassword('only nineteen chars')).toThrow(ValidationError);
    expect(() => auth.validatePassword('twenty characters ok')).not.toThrow();
  });

  it('default to Django’s four, and [] turns validation off', () => {
    expect(testAuthOn(db.knex).auth.passwordValidators).toHaveLength(4);
    expect(() => testAuthOn(db.knex, { validators: [] }).auth.validatePassword('1')).not.toThrow();
  });

  it('refuses the removed second name instead of silently using the defaults', () => {
    const options = { passwordValidators: [] } as unknown as Parameters<typeof testAuthOn>[1];
    expect(() => testAuthOn(db.knex, options)).toThrow(ImproperlyConfigured);
    expect(() => testAuthOn(db.knex, options)).toThrow(/`validators`/);
  });
});
