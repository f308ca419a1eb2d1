import { ImproperlyConfigured, ValidationError } from '../../src/errors.js';
import { MinimumLengthValidator } from '../../src/password-validation/minimum-length-validator.js';
import { createTestAuth } from '../helpers/test-auth.js';
import { createTestDb, type TestDb } from '../helpers/test-db.js';

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
    const { auth } = createTestAuth(db.knex, { validators: [validator] });
    expect(auth.passwordValidators).toEqual([validator]);
    expect(() => auth.validatePassword('only nineteen chars')).toThrow(ValidationError);
    expect(() => auth.validatePassword('twenty characters ok')).not.toThrow();
  });

  it('default to Django’s four, and [] turns validation off', () => {
    expect(createTestAuth(db.knex).auth.passwordValidators).toHaveLength(4);
    expect(() => createTestAuth(db.knex, { validators: [] }).auth.validatePassword('1')).not.toThrow();
  });

  it('refuses the removed second name instead of silently using the defaults', () => {
    const options = { passwordValidators: [] } as unknown as Parameters<typeof createTestAuth>[1];
    expect(() => createTestAuth(db.knex, options)).toThrow(ImproperlyConfigured);
    expect(() => createTestAuth(db.knex, options)).toThrow(/`validators`/);
  });
});
