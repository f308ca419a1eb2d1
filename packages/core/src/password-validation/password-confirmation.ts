import { ValidationError } from '../errors.js';

/**
 * A ValidationError on `field` (code `password_mismatch`, Django's message) when a given
 * confirmation differs from the password, else null. An absent confirmation (undefined) is no
 * mismatch: clients that compare the two fields themselves leave it out.
 */
export function passwordMismatch(field: string, password: string, again: string | undefined): ValidationError | null {
  return again !== undefined && again !== password ? ValidationError.field(field, 'password_mismatch', "The two password fields didn't match.") : null;
}
