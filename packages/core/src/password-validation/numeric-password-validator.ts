import type { FieldIssue } from '../errors.js';
import type { PasswordValidator } from './password-validator.js';

/** Unicode decimal digits, the JavaScript counterpart of Python's str.isdigit() that Django uses. */
const ALL_DIGITS = /^\p{Nd}+$/u;

/** Django's NumericPasswordValidator: rejects passwords made only of digits, code `password_entirely_numeric`. */
export class NumericPasswordValidator implements PasswordValidator {
  validate(password: string): FieldIssue[] {
    if (!ALL_DIGITS.test(password)) return [];
    return [{ code: 'password_entirely_numeric', message: 'This password is entirely numeric.' }];
  }

  helpText(): string {
    return 'Your password can’t be entirely numeric.';
  }
}
