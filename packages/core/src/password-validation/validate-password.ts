import type { FieldIssue } from '../errors.js';
import { ValidationError } from '../errors.js';
import { defaultPasswordValidators } from './default-validators.js';
import type { PasswordUserAttributes, PasswordValidator } from './password-validator.js';

/**
 * Django's validate_password: runs every validator and throws one ValidationError whose
 * `password` field carries all their issues; returns normally when all pass. `validators`
 * defaults to `defaultPasswordValidators()`. A non-string password fails with code `invalid`.
 */
export function validatePassword(
  password: string,
  user?: PasswordUserAttributes | null,
  validators: readonly PasswordValidator[] = defaultPasswordValidators(),
): void {
  if (typeof password !== 'string') {
    throw ValidationError.field('password', 'invalid', 'The password must be a string.');
  }
  const issues: FieldIssue[] = [];
  for (const validator of validators) issues.push(...validator.validate(password, user ?? null));
  if (issues.length > 0) throw new ValidationError({ password: issues });
}

/**
 * Django's password_changed: tell every validator that has a `passwordChanged` hook that
 * `user`'s password is now `password`, in order, awaiting each.
 */
export async function passwordChanged(
  password: string,
  user: PasswordUserAttributes & { id: unknown; password: string },
  validators: readonly PasswordValidator[],
): Promise<void> {
  for (const validator of validators) await validator.passwordChanged?.(password, user);
}

/** Django's password_validators_help_texts: one sentence per validator, in order. */
export function passwordValidatorsHelpTexts(validators: readonly PasswordValidator[] = defaultPasswordValidators()): string[] {
  return validators.map((validator) => validator.helpText());
}
