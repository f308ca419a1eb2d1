// The public API of @koa-auth/core. Re-exports only.
export type { Auth, AnyUser } from './auth.js';
export { createAuth, type CreateAuthOptions } from './create-auth.js';
export { authenticate } from './authenticate.js';
export { AnonymousUser, anonymousUser } from './anonymous-user.js';
export { AuthEvents, type AuthEventMap } from './events.js';
export {
  AuthError,
  ValidationError,
  PermissionDenied,
  InvalidCredentials,
  ImproperlyConfigured,
  ServiceUnavailable,
  AnonymousUserError,
  type FieldIssue,
} from './errors.js';
export { fromZodError } from './validation/zod-errors.js';
export { sessionAuthHash, verifySessionAuthHash, matchSessionAuthHash } from './session-auth-hash.js';

export { createKnex, knexConfig, redactUrl, type CreateKnexOptions } from './db/create-knex.js';
export { isDatabaseUnavailable, databaseUnavailable } from './db/database-errors.js';
export { migrationSource, isMysql, type Migration } from './migrations/migration.js';
export { coreMigrations, coreMigrationsFor } from './migrations/core-migrations.js';

export { AbstractUser, type UserModelClass, type UsernameField } from './models/abstract-user.js';
export { User } from './models/user.js';
export { Group } from './models/group.js';
export { Permission } from './models/permission.js';
export { toBoolean, toDate } from './models/database-values.js';

export { UserManager, type CreateUserInput, type CreateUserOptions } from './users/user-manager.js';
export { cleanUserFields, type UserFields } from './users/user-fields.js';
export { normalizeEmail, normalizeUsername } from './users/normalize.js';
export { foldCase } from './users/fold-case.js';
export { canonicalIdentifier, CANONICAL_COLUMNS, type CanonicalField, type IdentifierPolicy } from './users/canonical-identifier.js';
export { classifyIdentifier, type ClassifiedIdentifier, type ClassifyIdentifierOptions, type IdentifierKind } from './users/identifier.js';
export {
  scanIdentifiers,
  formatIdentifierCollisions,
  type IdentifierScan,
  type IdentifierCollision,
  type CollidingAccount,
  type ScanOptions,
} from './users/identifier-collisions.js';
export { IdentifierCollisionError } from './users/identifier-collision-error.js';
export { syncCanonicalIdentifiers } from './users/sync-canonical-identifiers.js';
export { formatPhone, toE164, type CountryCode } from './users/phone-number.js';
export { uniqueViolationColumn } from './users/unique-violation.js';

export type { AuthBackend, AuthRequest, WithPermOptions } from './backends/auth-backend.js';
export { BaseBackend } from './backends/base-backend.js';
export { UserTableBackend } from './backends/user-table-backend.js';
export { ModelBackend, type PasswordCredentials } from './backends/model-backend.js';
export { AllowAllUsersModelBackend } from './backends/allow-all-users-model-backend.js';
export { MixedLoginBackend, type IdentifierCredentials } from './backends/mixed-login-backend.js';
export { RemoteUserBackend, AllowAllUsersRemoteUserBackend, type RemoteUserCredentials, type RemoteUserBackendOptions } from './backends/remote-user-backend.js';
export { markBackend, backendOf } from './backends/backend-of.js';
export { cleanseCredentials } from './backends/sensitive.js';

export { loadPermissions, clearPermissionCache, type PermissionSets } from './permissions/permission-cache.js';
export { parsePermission, PERMISSION_FORMAT_MESSAGE } from './permissions/parse-permission.js';
export { isUserActive } from './models/user-is-active.js';
export {
  ensurePermission,
  ensureGroup,
  grantUserPermission,
  revokeUserPermission,
  grantGroupPermission,
  revokeGroupPermission,
  addUserToGroup,
  removeUserFromGroup,
} from './permissions/permission-admin.js';

export type { PasswordHasher } from './hashers/password-hasher.js';
export { PasswordHashers, UNUSABLE_PASSWORD_PREFIX, MAX_PASSWORD_LENGTH, type PasswordUpgradeHandler } from './hashers/password-hashers.js';
export { ScryptKdfHasher, type ScryptKdfParams } from './hashers/scrypt-kdf-hasher.js';
export { DjangoPbkdf2Sha256Hasher, DjangoPbkdf2Sha1Hasher, DJANGO_PBKDF2_ITERATIONS, type DecodedPbkdf2 } from './hashers/django-pbkdf2-hasher.js';
export { DjangoScryptHasher, type DjangoScryptParams, type DecodedDjangoScrypt } from './hashers/django-scrypt-hasher.js';
export {
  DjangoMd5Hasher,
  DjangoSha1Hasher,
  DjangoUnsaltedMd5Hasher,
  DjangoUnsaltedSha1Hasher,
  legacyDjangoHashers,
} from './hashers/django-legacy-hashers.js';
export { defaultHashers } from './hashers/default-hashers.js';
export { randomString } from './hashers/random-string.js';
export { constantTimeEqual } from './hashers/constant-time.js';

export type { PasswordValidator, PasswordUserAttributes } from './password-validation/password-validator.js';
export { MinimumLengthValidator } from './password-validation/minimum-length-validator.js';
export { CommonPasswordValidator, defaultCommonPasswords } from './password-validation/common-password-validator.js';
export { NumericPasswordValidator } from './password-validation/numeric-password-validator.js';
export { UserAttributeSimilarityValidator } from './password-validation/user-attribute-similarity-validator.js';
export { validatePassword, passwordValidatorsHelpTexts, passwordChanged } from './password-validation/validate-password.js';
export { defaultPasswordValidators } from './password-validation/default-validators.js';
export { passwordMismatch } from './password-validation/password-confirmation.js';

export { PasswordResetTokenGenerator, type ResetTokenUser, type PasswordResetTokenOptions } from './password-reset/password-reset-token.js';
export { requestPasswordReset, type PasswordResetRequest, type PasswordResetRequested } from './password-reset/request-password-reset.js';
export { confirmPasswordReset, type PasswordResetConfirmation } from './password-reset/confirm-password-reset.js';
export { passwordResetLinkUser, passwordResetGrant } from './password-reset/password-reset-link.js';
export { passwordResetPageUrl } from './password-reset/password-reset-page.js';

export type { MailSender, MailMessage } from './mail/mail-sender.js';
export { ConsoleMailSender } from './mail/console-mail-sender.js';
export { MemoryMailSender } from './mail/memory-mail-sender.js';

export type { KeyValueStore } from './store/key-value-store.js';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export { RedisStore, type RedisStoreOptions, type RedisStoreUrlOptions } from './store/redis-store.js';
export type { RedisConnection } from './store/redis-connection.js';

export { PhoneCodeBackend, type PhoneCodeCredentials, type PhoneCodeBackendOptions } from './backends/phone-code-backend.js';
export { PhoneCodes, type PhoneCodesOptions, type PhoneCodeRequest, type PhoneCodeCheck, type IssuedPhoneCode } from './sms/phone-codes.js';
export { SMS_PURPOSES, isSmsPurpose, type SmsPurpose } from './sms/sms-purpose.js';
export type { SmsSender, SmsMessage } from './sms/sms-sender.js';
export { smsText } from './sms/sms-text.js';
export { ConsoleSmsSender } from './sms/console-sms-sender.js';
export { MemorySmsSender } from './sms/memory-sms-sender.js';
