/**
 * @koa-auth/core/internal — plumbing that koa-auth's own packages (@koa-auth/koa, @koa-auth/wechat,
 * @koa-auth/cli), its demo, bench and tests share. NOT part of the public API and NOT covered by
 * semver: any of these names may change or disappear in a minor or patch release. Apps import
 * from `@koa-auth/core` (and `@koa-auth/core/testing` in tests) instead. Re-exports only.
 */

// The anonymous user and credential markers.
export { anonymousUser } from './anonymous-user.js';
export { markBackend, backendOf } from './backends/backend-of.js';
export { UserTableBackend } from './backends/user-table-backend.js';
export { ScryptKdfHasher } from './hashers/scrypt-kdf-hasher.js';
export { coreMigrationsFor } from './migrations/core-migrations.js';
export { isUserActive } from './models/user-is-active.js';

// Errors and validation.
export { AnonymousUserError } from './errors.js';
export { IdentifierCollisionError } from './users/identifier-collision-error.js';
export { fromZodError } from './validation/zod-errors.js';
export { databaseUnavailable } from './db/database-errors.js';

// Database helpers.
export { knexConfig, redactUrl } from './db/create-knex.js';
export { isMysql } from './migrations/migration.js';
export { toDate } from './models/database-values.js';
export { uniqueViolationColumn } from './users/unique-violation.js';

// Secrets: random strings, constant-time comparison, session auth hashes.
export { randomString } from './hashers/random-string.js';
export { constantTimeEqual } from './hashers/constant-time.js';
export { sessionAuthHash, matchSessionAuthHash } from './session-auth-hash.js';

// Users: fields, phone numbers, canonical identifiers and their collisions (the CLI's checks).
export { cleanUserFields, type UserFields } from './users/user-fields.js';
export { toE164 } from './users/phone-number.js';
export { classifyIdentifier, type ClassifiedIdentifier, type ClassifyIdentifierOptions, type IdentifierKind } from './users/identifier.js';

// Password reset plumbing the koa router and the demo's pages share.
export { passwordResetLinkUser, passwordResetGrant } from './password-reset/password-reset-link.js';
export { passwordResetPageUrl } from './password-reset/password-reset-page.js';
export { passwordMismatch } from './password-validation/password-confirmation.js';
export { CANONICAL_COLUMNS, type CanonicalField } from './users/canonical-identifier.js';
export {
  scanIdentifiers,
  formatIdentifierCollisions,
  type IdentifierScan,
  type IdentifierCollision,
  type CollidingAccount,
  type ScanOptions,
} from './users/identifier-collisions.js';
export { syncCanonicalIdentifiers } from './users/sync-canonical-identifiers.js';

// SMS codes: issuing and checking (the koa router), purposes and the default text.
export { PhoneCodes, type PhoneCodesOptions, type PhoneCodeRequest, type PhoneCodeCheck, type IssuedPhoneCode } from './sms/phone-codes.js';
export { SMS_PURPOSES, isSmsPurpose } from './sms/sms-purpose.js';
export { smsText } from './sms/sms-text.js';

// Permission loading (the bench measures it).
export { loadPermissions, clearPermissionCache, type PermissionSets } from './permissions/permission-cache.js';
