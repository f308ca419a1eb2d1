import type { Knex } from 'knex';
import type { AnonymousUser } from './anonymous-user.js';
import type { AuthBackend, AuthRequest, WithPermOptions } from './backends/auth-backend.js';
import type { AuthEvents } from './events.js';
import type { PasswordHashers } from './hashers/password-hashers.js';
import type { AbstractUser, UserModelClass } from './models/abstract-user.js';
import type { PasswordValidator } from './password-validation/password-validator.js';
import type { KeyValueStore } from './store/key-value-store.js';
import type { PasswordResetTokenGenerator } from './password-reset/password-reset-token.js';
import type { CountryCode } from './users/phone-number.js';
import type { UserManager } from './users/user-manager.js';

/** Anything a permission check may be asked about: a user or the anonymous user. */
export type AnyUser<U extends AbstractUser = AbstractUser> = U | AnonymousUser;

/**
 * The auth object built by `createAuth`: configuration plus the operations every other package
 * uses (Django's auth module functions and PermissionsMixin methods, with the user passed in).
 */
export interface Auth<U extends AbstractUser = AbstractUser> {
  readonly knex: Knex;
  readonly userModel: UserModelClass<U>;
  readonly backends: readonly AuthBackend<any, U>[];
  readonly hashers: PasswordHashers;
  readonly passwordValidators: readonly PasswordValidator[];
  readonly store: KeyValueStore;
  /** The signing secret first, then fallbacks still accepted for verification. */
  readonly secrets: readonly string[];
  readonly phoneRegion: CountryCode | undefined;
  readonly events: AuthEvents<U>;
  readonly users: UserManager<U>;
  readonly passwordResetTokens: PasswordResetTokenGenerator;

  /** Try each backend whose credential shape matches; the first user found wins. */
  authenticate(request: AuthRequest | null, credentials: unknown): Promise<U | null>;
  /** The configured backend with this name. */
  getBackend(name: string): AuthBackend<unknown, U> | undefined;
  /**
   * Check a raw password against the user's hash, upgrading the stored hash when outdated. A
   * null `raw` is false (after one dummy hash); the anonymous user throws AnonymousUserError.
   */
  checkPassword(user: U, raw: string | null): Promise<boolean>;
  /** Validate (configured validators) and store a new password. */
  changePassword(user: U, raw: string): Promise<void>;
  /** Throw a ValidationError on `password` when the configured validators refuse `raw`. */
  validatePassword(raw: string, user?: Partial<U> | null): void;
  /** The HMAC of the user's password hash stored in sessions. */
  sessionAuthHash(user: U): string;
  /** True when a stored session hash still matches the user (current or fallback secret). */
  verifySessionAuthHash(user: U, stored: unknown): boolean;
  /**
   * Which secret a stored session hash matches: 'current', 'fallback' (the session must get a
   * new id and the current hash, as Django's get_user does) or 'invalid'.
   */
  checkSessionAuthHash(user: U, stored: unknown): 'current' | 'fallback' | 'invalid';
  /**
   * True when `stored` belongs to a password hash that was only upgraded (same password) to the
   * user's current one: such a session stays valid and should store the current hash.
   */
  isRehashedSession(user: U, stored: unknown): Promise<boolean>;

  hasPerm(user: AnyUser<U>, perm: string, obj?: unknown): Promise<boolean>;
  hasPerms(user: AnyUser<U>, perms: Iterable<string>, obj?: unknown): Promise<boolean>;
  hasModulePerms(user: AnyUser<U>, appLabel: string): Promise<boolean>;
  getAllPermissions(user: AnyUser<U>, obj?: unknown): Promise<Set<string>>;
  getUserPermissions(user: AnyUser<U>, obj?: unknown): Promise<Set<string>>;
  getGroupPermissions(user: AnyUser<U>, obj?: unknown): Promise<Set<string>>;
  /** Users who have `perm` through the given (or only) backend. */
  withPerm(perm: string, options?: WithPermOptions & { backend?: string }): Promise<U[]>;
}
