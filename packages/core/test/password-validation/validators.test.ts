import { ImproperlyConfigured, ValidationError } from '../../src/errors.js';
import { CommonPasswordValidator, defaultCommonPasswords } from '../../src/password-validation/common-password-validator.js';
import { defaultPasswordValidators } from '../../src/password-validation/default-validators.js';
import { MinimumLengthValidator } from '../../src/password-validation/minimum-length-validator.js';
import { NumericPasswordValidator } from '../../src/password-validation/numeric-password-validator.js';
import type { PasswordUserAttributes } from '../../src/password-validation/password-validator.js';
import { UserAttributeSimilarityValidator } from '../../src/password-validation/user-attribute-similarity-validator.js';
import { passwordValidatorsHelpTexts, validatePassword } from '../../src/password-validation/validate-password.js';

const codes = (issues: { code: string }[]) => issues.map((issue) => issue.code);

describe('MinimumLengthValidator', () => {
  it('needs 8 characters by default', () => {
    const validator = new MinimumLengthValidator();
    expect(validator.validate('1234567')).toEqual([
      {
        code: 'password_too_short',
        message: 'This password is too short. It must contain at least 8 characters.',
      },
    ]);
    expect(validator.validate('12345678')).toEqual([]);
    expect(validator.helpText()).toBe('Your password must contain at least 8 characters.');
  });

  it('takes a custom minimum and says "character" for one', () => {
    const validator = new MinimumLengthValidator({ minLength: 1 });
    expect(validator.validate('')[0]?.message).toBe('This password is too short. It must contain at least 1 character.');
    expect(validator.helpText()).toBe('Your password must contain at least 1 character.');
    expect(validator.validate('x')).toEqual([]);
  });

  it('counts code points, as Python does', () => {
    const validator = new MinimumLengthValidator();
    expect(validator.validate('😀'.repeat(8))).toEqual([]);
    expect(codes(validator.validate('😀'.repeat(7)))).toEqual(['password_too_short']);
  });

  it('refuses a bad minimum', () => {
    expect(() => new MinimumLengthValidator({ minLength: -1 })).toThrow(ImproperlyConfigured);
  });
});

describe('NumericPasswordValidator', () => {
  const validator = new NumericPasswordValidator();

  it('rejects entirely numeric passwords', () => {
    expect(validator.validate('42424242')).toEqual([{ code: 'password_entirely_numeric', message: 'This password is entirely numeric.' }]);
    // Other scripts' digits count too, as with Python's str.isdigit().
    expect(codes(validator.validate('١٢٣٤٥٦٧٨'))).toEqual(['password_entirely_numeric']);
  });

  it('accepts anything with a non-digit', () => {
    expect(validator.validate('a-034sfid')).toEqual([]);
    expect(validator.validate('1234 5678')).toEqual([]);
    expect(validator.validate('')).toEqual([]);
    expect(validator.helpText()).toBe('Your password can’t be entirely numeric.');
  });
});

describe('CommonPasswordValidator', () => {
  it('ships a list of at least 20,000 common passwords', () => {
    expect(defaultCommonPasswords().size).toBeGreaterThanOrEqual(20_000);
  });

  it.each(['password', 'qwerty123', 'letmein', 'iloveyou', '123456', 'trustno1'])('rejects %s', (password) => {
    expect(new CommonPasswordValidator().validate(password)).toEqual([{ code: 'password_too_common', message: 'This password is too common.' }]);
  });

  it('compares lower-cased and trimmed, like Django', () => {
    const validator = new CommonPasswordValidator();
    expect(codes(validator.validate('  PassWord '))).toEqual(['password_too_common']);
  });

  it('accepts an uncommon password', () => {
    expect(new CommonPasswordValidator().validate('a-034sfid-Tr7q')).toEqual([]);
    expect(new CommonPasswordValidator().helpText()).toBe('Your password can’t be a commonly used password.');
  });

  it('takes a custom list, normalised the same way', () => {
    const validator = new CommonPasswordValidator({ passwords: ['  From-My-List ', 'other'] });
    expect(codes(validator.validate('from-my-list'))).toEqual(['password_too_common']);
    expect(validator.validate('password')).toEqual([]);
  });
});

describe('UserAttributeSimilarityValidator', () => {
  // The user of Django's own test_validators.py.
  const user: PasswordUserAttributes = {
    username: 'testclient',
    email: 'testclient@example.com',
    firstName: 'Test',
    lastName: 'Client',
  };
  const tooSimilar = (to: string) => [{ code: 'password_too_similar', message: `The password is too similar to the ${to}.` }];

  it('passes without a user', () => {
    expect(new UserAttributeSimilarityValidator().validate('testclient')).toEqual([]);
    expect(new UserAttributeSimilarityValidator().validate('testclient', null)).toEqual([]);
  });

  it('rejects a password like the username', () => {
    expect(new UserAttributeSimilarityValidator().validate('testclient', user)).toEqual(tooSimilar('username'));
    expect(new UserAttributeSimilarityValidator().validate('TestClient1', user)).toEqual(tooSimilar('username'));
  });

  it('rejects a password like a part of the email', () => {
    expect(new UserAttributeSimilarityValidator().validate('example.com', user)).toEqual(tooSimilar('email address'));
  });

  it('follows maxSimilarity and the chosen attributes', () => {
    const loose = new UserAttributeSimilarityValidator({ userAttributes: ['firstName'], maxSimilarity: 0.3 });
    expect(loose.validate('testclient', user)).toEqual(tooSimilar('first name'));
    const firstNameOnly = new UserAttributeSimilarityValidator({ userAttributes: ['firstName'] });
    expect(firstNameOnly.validate('testclient', user)).toEqual([]);
    // maxSimilarity 1 still rejects a password identical to the value.
    const exact = new UserAttributeSimilarityValidator({ userAttributes: ['firstName'], maxSimilarity: 1 });
    expect(exact.validate('Test', user)).toEqual(tooSimilar('first name'));
  });

  it('refuses maxSimilarity below 0.1', () => {
    expect(() => new UserAttributeSimilarityValidator({ maxSimilarity: 0.09 })).toThrow(ImproperlyConfigured);
  });

  it('compares a phone number with its digits too', () => {
    const withPhone: PasswordUserAttributes = { phone: '(555) 123-4567' };
    expect(new UserAttributeSimilarityValidator().validate('5551234567', withPhone)).toEqual(tooSimilar('phone number'));
    // Against the formatted value alone the ratio is 2*10/24 ≈ 0.83; only the digits reach 0.9.
    const strict = new UserAttributeSimilarityValidator({ maxSimilarity: 0.9 });
    expect(strict.validate('5551234567', withPhone)).toEqual(tooSimilar('phone number'));
    expect(strict.validate('5551234567', { username: '(555) 123-4567' })).toEqual([]);
  });

  it('never matches a value far shorter than the password (where Django skips the comparison)', () => {
    // 'ab' is less than a tenth of the password and could never reach 0.7.
    expect(new UserAttributeSimilarityValidator().validate('ab'.repeat(15), { username: 'ab' })).toEqual([]);
  });

  it('ignores missing and empty attributes', () => {
    expect(new UserAttributeSimilarityValidator().validate('testclient', { username: null, email: '' })).toEqual([]);
  });

  it('has Django’s help text', () => {
    expect(new UserAttributeSimilarityValidator().helpText()).toBe('Your password can’t be too similar to your other personal information.');
  });
});

describe('validatePassword', () => {
  it('returns quietly when every validator passes', () => {
    expect(() => validatePassword('a-034sfid-Tr7q', { username: 'alice' })).not.toThrow();
  });

  it('throws one ValidationError on password carrying every failing issue', () => {
    const error = (() => {
      try {
        validatePassword('1234567', null);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).fields.password ?? [];
    expect(codes(issues)).toEqual(['password_too_short', 'password_too_common', 'password_entirely_numeric']);
    expect(Object.keys((error as ValidationError).fields)).toEqual(['password']);
  });

  it('passes the user to the validators', () => {
    expect(() => validatePassword('alice-liddell', { username: 'alice.liddell' })).toThrow(ValidationError);
  });

  it('uses the given validators only', () => {
    expect(() => validatePassword('1234', null, [new MinimumLengthValidator({ minLength: 4 })])).not.toThrow();
    expect(() => validatePassword('1234', null, [])).not.toThrow();
  });

  it('rejects a non-string password', () => {
    expect(() => validatePassword(undefined as unknown as string)).toThrow(ValidationError);
  });
});

describe('help texts and defaults', () => {
  it('lists one help text per validator, in order', () => {
    expect(passwordValidatorsHelpTexts(defaultPasswordValidators())).toEqual([
      'Your password can’t be too similar to your other personal information.',
      'Your password must contain at least 8 characters.',
      'Your password can’t be a commonly used password.',
      'Your password can’t be entirely numeric.',
    ]);
  });

  it('defaults to the four Django validators', () => {
    expect(defaultPasswordValidators().map((validator) => validator.constructor.name)).toEqual([
      'UserAttributeSimilarityValidator',
      'MinimumLengthValidator',
      'CommonPasswordValidator',
      'NumericPasswordValidator',
    ]);
  });
});
