import { CommonPasswordValidator } from './common-password-validator.js';
import { MinimumLengthValidator } from './minimum-length-validator.js';
import { NumericPasswordValidator } from './numeric-password-validator.js';
import type { PasswordValidator } from './password-validator.js';
import { UserAttributeSimilarityValidator } from './user-attribute-similarity-validator.js';

/**
 * Django's recommended AUTH_PASSWORD_VALIDATORS, in Django's order, each with its defaults:
 * similarity to user attributes, minimum length 8, common passwords, entirely numeric.
 * Returns new instances each call (the common-password list itself is shared).
 */
export function defaultPasswordValidators(): PasswordValidator[] {
  return [new UserAttributeSimilarityValidator(), new MinimumLengthValidator(), new CommonPasswordValidator(), new NumericPasswordValidator()];
}
