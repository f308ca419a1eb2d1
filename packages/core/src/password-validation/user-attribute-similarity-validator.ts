import difflib from 'difflib';
import type { FieldIssue } from '../errors.js';
import { ImproperlyConfigured } from '../errors.js';
import type { PasswordUserAttributes, PasswordValidator } from './password-validator.js';

export type UserAttributeName = keyof PasswordUserAttributes;

/** Django's DEFAULT_USER_ATTRIBUTES plus the phone number. */
export const DEFAULT_USER_ATTRIBUTES: readonly UserAttributeName[] = Object.freeze(['username', 'email', 'phone', 'firstName', 'lastName']);

/** Names shown in the message, as Django's verbose_name of each field. */
const VERBOSE_NAMES: Record<UserAttributeName, string> = {
  username: 'username',
  email: 'email address',
  phone: 'phone number',
  firstName: 'first name',
  lastName: 'last name',
  nickname: 'nickname',
};

/** Python's `\W+` on str: runs of characters that are not letters, numbers or `_`. */
const NON_WORD = /[^\p{L}\p{N}_]+/u;

/**
 * Django's exceeds_maximum_length_ratio: a value at most a tenth as long as the password can
 * never reach `maxSimilarity` (quick_ratio ≤ 2·len(value)/len(password)), so skip the comparison.
 */
function exceedsMaximumLengthRatio(passwordLength: number, maxSimilarity: number, valueLength: number): boolean {
  const lengthBoundSimilarity = (maxSimilarity / 2) * passwordLength;
  return passwordLength >= 10 * valueLength && valueLength < lengthBoundSimilarity;
}

/**
 * Django's UserAttributeSimilarityValidator, code `password_too_similar`. For each attribute
 * that is a non-empty string, the password (lower-cased) is compared with the whole value and
 * with each part of it split on non-word characters (so both `jo.smith@example.com` and `smith`
 * count); a phone number is also compared by its digits alone. A comparison fails when difflib's
 * `SequenceMatcher.quick_ratio()` is at least `maxSimilarity`. Lengths count code points, as in Python.
 */
export class UserAttributeSimilarityValidator implements PasswordValidator {
  readonly userAttributes: readonly UserAttributeName[];
  readonly maxSimilarity: number;

  /** Throws ImproperlyConfigured when `maxSimilarity` is below 0.1 (Django's DoS guard). */
  constructor({
    userAttributes = DEFAULT_USER_ATTRIBUTES,
    maxSimilarity = 0.7,
  }: { userAttributes?: readonly UserAttributeName[]; maxSimilarity?: number } = {}) {
    if (!(maxSimilarity >= 0.1)) {
      throw new ImproperlyConfigured('UserAttributeSimilarityValidator: maxSimilarity must be at least 0.1.');
    }
    this.userAttributes = Object.freeze([...userAttributes]);
    this.maxSimilarity = maxSimilarity;
  }

  validate(password: string, user?: PasswordUserAttributes | null): FieldIssue[] {
    if (!user) return [];
    const passwordChars = Array.from(password.toLowerCase());
    for (const attribute of this.userAttributes) {
      const value = user[attribute];
      if (!value || typeof value !== 'string') continue;
      if (this.isSimilar(passwordChars, this.valueParts(attribute, value))) {
        return [
          {
            code: 'password_too_similar',
            message: `The password is too similar to the ${VERBOSE_NAMES[attribute] ?? attribute}.`,
          },
        ];
      }
    }
    return [];
  }

  helpText(): string {
    return 'Your password can’t be too similar to your other personal information.';
  }

  private valueParts(attribute: UserAttributeName, value: string): string[] {
    const lower = value.toLowerCase();
    const parts = [...lower.split(NON_WORD), lower];
    if (attribute === 'phone') {
      const digits = lower.replace(/[^0-9]/g, '');
      if (digits) parts.push(digits);
    }
    return parts;
  }

  private isSimilar(passwordChars: string[], parts: string[]): boolean {
    for (const part of parts) {
      const partChars = Array.from(part);
      if (exceedsMaximumLengthRatio(passwordChars.length, this.maxSimilarity, partChars.length)) continue;
      const matcher = new difflib.SequenceMatcher<string[]>(null, passwordChars, partChars);
      if (matcher.quickRatio() >= this.maxSimilarity) return true;
    }
    return false;
  }
}
