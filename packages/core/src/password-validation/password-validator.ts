import type { FieldIssue } from '../errors.js';

/**
 * The user facts a validator may compare a password with. Every field is optional: a validator
 * skips what is missing, so the same validators serve sign-up (no user row yet) and password change.
 */
export interface PasswordUserAttributes {
  username?: string | null;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  nickname?: string | null;
}

/**
 * One password rule (Django's AUTH_PASSWORD_VALIDATORS entry). Synchronous on purpose:
 * validation runs inside request handlers and must not hide I/O.
 */
export interface PasswordValidator {
  /** The problems with `password` (empty when it passes). Issues never contain the password. */
  validate(password: string, user?: PasswordUserAttributes | null): FieldIssue[];
  /** One sentence telling users what the rule wants, for forms (Django's get_help_text). */
  helpText(): string;
  /**
   * Optional (Django's password_changed): told once each time a user's password is stored (at
   * creation with a password and at every setPassword), never for a hash upgrade at login.
   * May do I/O, e.g. a password-history validator remembering the new hash. `user` is the
   * stored user, whose `password` is already the new hash.
   */
  passwordChanged?(password: string, user: PasswordUserAttributes & { id: unknown; password: string }): void | Promise<void>;
}
