import type { FieldIssue } from '../errors.js';
import { ImproperlyConfigured } from '../errors.js';
import type { PasswordValidator } from './password-validator.js';

function characters(count: number): string {
  return count === 1 ? '1 character' : `${count} characters`;
}

/**
 * Django's MinimumLengthValidator: at least `minLength` characters (Unicode code points, like
 * Python's len), code `password_too_short`.
 */
export class MinimumLengthValidator implements PasswordValidator {
  readonly minLength: number;

  /** `minLength` defaults to 8; throws ImproperlyConfigured when not a non-negative integer. */
  constructor({ minLength = 8 }: { minLength?: number } = {}) {
    if (!Number.isInteger(minLength) || minLength < 0) {
      throw new ImproperlyConfigured('MinimumLengthValidator: minLength must be a non-negative integer.');
    }
    this.minLength = minLength;
  }

  validate(password: string): FieldIssue[] {
    if ([...password].length >= this.minLength) return [];
    return [
      {
        code: 'password_too_short',
        message: `This password is too short. It must contain at least ${characters(this.minLength)}.`,
      },
    ];
  }

  helpText(): string {
    return `Your password must contain at least ${characters(this.minLength)}.`;
  }
}
