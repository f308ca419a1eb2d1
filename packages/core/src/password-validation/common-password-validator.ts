import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldIssue } from '../errors.js';
import type { PasswordValidator } from './password-validator.js';

function normalize(password: string): string {
  return password.toLowerCase().trim();
}

let defaultPasswords: ReadonlySet<string> | undefined;

/**
 * The default list: zxcvbn-ts's `passwords-common` (about 49,000 leaked passwords, a superset in
 * spirit of Django's 20,000), lower-cased and trimmed. Built once, on first use.
 */
export function defaultCommonPasswords(): ReadonlySet<string> {
  defaultPasswords ??= new Set(dictionary['passwords-common'].map(normalize));
  return defaultPasswords;
}

/**
 * Django's CommonPasswordValidator: rejects a password whose lower-cased, trimmed form is in the
 * list, code `password_too_common`. `passwords` replaces the default list; its entries are
 * lower-cased and trimmed too, so any list works.
 */
export class CommonPasswordValidator implements PasswordValidator {
  readonly passwords: ReadonlySet<string>;

  constructor({ passwords }: { passwords?: Iterable<string> } = {}) {
    this.passwords = passwords === undefined ? defaultCommonPasswords() : new Set(Array.from(passwords, normalize));
  }

  validate(password: string): FieldIssue[] {
    if (!this.passwords.has(normalize(password))) return [];
    return [{ code: 'password_too_common', message: 'This password is too common.' }];
  }

  helpText(): string {
    return 'Your password can’t be a commonly used password.';
  }
}
