// The public API of @koa-auth/core: what an app calls (Django's contrib.auth surface — the auth
// object, the models, the backends, the hashers, the validators, permission admin, the stores
// and the errors). Re-exports only. Plumbing shared with the sibling packages lives in
// ./internal.ts (`@koa-auth/core/internal`), test helpers in ./testing.ts (`@koa-auth/core/testing`).
// test/packaging/surface.test.ts pins the runtime names below: growing this list is deliberate.

// Set-up.
export type { Auth, AnyUser } from './auth.js';
export { createAuth, type CreateAuthOptions } from './create-auth.js';
export { createKnex, type CreateKnexOptions } from './db/create-knex.js';
export { migrationSource, type Migration } from './migrations/migration.js';
export { coreMigrations } from './migrations/core-migrations.js';
export type { IdentifierPolicy } from './users/canonical-identifier.js';

// Errors.
export {
  AuthError,
  ValidationError,
  PermissionDenied,
  InvalidCredentials,
  ImproperlyConfigured,
  ServiceUnavailable,
  type FieldIssue,
} from './errors.js';

// Models and users (auth.users is the UserManager).
export { AbstractUser, type UserModelClass, type UsernameField } from './models/abstract-user.js';
export { User } from './models/user.js';
export { Group } from './models/group.js';
export { Permission } from './models/permission.js';
export type { AnonymousUser } from './anonymous-user.js';
export type { UserManager, CreateUserInput, CreateUserOptions } from './users/user-manager.js';
export type { CountryCode } from './users/phone-number.js';
export type { AuthEvents, AuthEventMap } from './events.js';

// Authentication backends (tried in order by auth.authenticate).
export type { AuthBackend, AuthRequest, WithPermOptions } from './backends/auth-backend.js';
export { BaseBackend } from './backends/base-backend.js';
export { ModelBackend, type PasswordCredentials } from './backends/model-backend.js';
export { AllowAllUsersModelBackend } from './backends/allow-all-users-model-backend.js';
export { MixedLoginBackend, type IdentifierCredentials } from './backends/mixed-login-backend.js';
export {
  RemoteUserBackend,
  AllowAllUsersRemoteUserBackend,
  type RemoteUserCredentials,
  type RemoteUserBackendOptions,
} from './backends/remote-user-backend.js';

// Permission admin (what Django's admin does through the ORM); checks are auth.hasPerm & co.
export {
  ensurePermission,
  grantUserPermission,
  revokeUserPermission,
  grantGroupPermission,
  revokeGroupPermission,
  addUserToGroup,
  removeUserFromGroup,
} from './permissions/permission-admin.js';

// Password hashers (auth.hashers) and validators (auth.validatePassword).
export type { PasswordHasher } from './hashers/password-hasher.js';
export type { PasswordHashers } from './hashers/password-hashers.js';
export type { ScryptKdfHasher, ScryptKdfParams } from './hashers/scrypt-kdf-hasher.js';
export { defaultHashers } from './hashers/default-hashers.js';
export { legacyDjangoHashers } from './hashers/django-legacy-hashers.js';
export type { PasswordValidator, PasswordUserAttributes } from './password-validation/password-validator.js';
export { MinimumLengthValidator } from './password-validation/minimum-length-validator.js';
export { CommonPasswordValidator } from './password-validation/common-password-validator.js';
export { NumericPasswordValidator } from './password-validation/numeric-password-validator.js';
export { UserAttributeSimilarityValidator } from './password-validation/user-attribute-similarity-validator.js';
export { defaultPasswordValidators } from './password-validation/default-validators.js';

// Password reset (Django's PasswordResetForm / SetPasswordForm; koaAuth's tRPC router calls these).
export type { PasswordResetTokenGenerator } from './password-reset/password-reset-token.js';
export { requestPasswordReset, type PasswordResetRequest, type PasswordResetRequested } from './password-reset/request-password-reset.js';
export { confirmPasswordReset, type PasswordResetConfirmation } from './password-reset/confirm-password-reset.js';
export type { MailSender, MailMessage } from './mail/mail-sender.js';
export { ConsoleMailSender } from './mail/console-mail-sender.js';

// Key-value stores (sessions, tokens, throttling).
export type { KeyValueStore } from './store/key-value-store.js';
export type { RedisConnection } from './store/redis-connection.js';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.js';
export { RedisStore, type RedisStoreOptions, type RedisStoreUrlOptions } from './store/redis-store.js';
