import type { Knex } from 'knex';
import { refuseAnonymous } from './anonymous-user.js';
import type { Auth, AnyUser } from './auth.js';
import { authenticate } from './authenticate.js';
import type { AuthBackend, WithPermOptions } from './backends/auth-backend.js';
import { ModelBackend } from './backends/model-backend.js';
import { ImproperlyConfigured } from './errors.js';
import { AuthEvents } from './events.js';
import { defaultHashers } from './hashers/default-hashers.js';
import { PasswordHashers } from './hashers/password-hashers.js';
import type { PasswordHasher } from './hashers/password-hasher.js';
import type { AbstractUser, UserModelClass } from './models/abstract-user.js';
import { User } from './models/user.js';
import { defaultPasswordValidators } from './password-validation/default-validators.js';
import type { PasswordValidator } from './password-validation/password-validator.js';
import { validatePassword } from './password-validation/validate-password.js';
import { parsePermission } from './permissions/parse-permission.js';
import { collectPermissions, hasModulePerms, hasPerm, hasPerms } from './permissions/permission-checks.js';
import { isRehashedSession, rememberRehash } from './rehashed-sessions.js';
import { matchSessionAuthHash, sessionAuthHash, verifySessionAuthHash } from './session-auth-hash.js';
import { MemoryStore } from './store/memory-store.js';
import type { KeyValueStore } from './store/key-value-store.js';
import { PasswordResetTokenGenerator } from './password-reset/password-reset-token.js';
import type { CountryCode } from './users/phone-number.js';
import { UserManager } from './users/user-manager.js';

export interface CreateAuthOptions<U extends AbstractUser> {
  knex: Knex;
  /** The app's user model (AbstractUser subclass). Default: User on `auth_user`. */
  userModel?: UserModelClass<U>;
  /** Ordered backends. Default: [new ModelBackend()]. */
  backends?: AuthBackend<any, U>[];
  /** Password hashers, the first being the default. Default: scrypt-kdf, then Django's formats. */
  hashers?: PasswordHasher[];
  /**
   * Password validators (Django's AUTH_PASSWORD_VALIDATORS), exposed as `auth.passwordValidators`.
   * Default: similarity, minimum length, common, numeric. `[]` turns validation off.
   */
  validators?: PasswordValidator[];
  /** Key-value store for sessions, tokens, throttling. Default: a new MemoryStore. */
  store?: KeyValueStore;
  /** Signing secret (at least 32 characters), Django's SECRET_KEY. */
  secret: string;
  /** Older secrets still accepted when verifying (Django's SECRET_KEY_FALLBACKS). */
  secretFallbacks?: string[];
  /** Region for phone numbers typed in national format, e.g. 'CN'. */
  phoneRegion?: CountryCode;
  /** Password-reset token lifetime in seconds. Default 3 days. */
  passwordResetTimeoutSeconds?: number;
  /**
   * Usernames differing only by case (after NFKC) are different accounts, as in Django. Default
   * false: they are one account, compared by their Unicode case fold. Migrate with
   * `coreMigrationsFor({ caseSensitiveUsernames: true })` to match. Emails never depend on case.
   */
  caseSensitiveUsernames?: boolean;
}

const MIN_SECRET_LENGTH = 32;

/**
 * The auth object everything else takes: user model, backends, hashers, validators, store,
 * secrets, reset tokens, events and the operations on them. Validates the configuration once,
 * here: throws ImproperlyConfigured for a missing knex, a secret shorter than 32 characters, no
 * backend, or two backends with one name. Starts making the dummy hash (PasswordHashers.warmUp).
 */
export function createAuth<U extends AbstractUser = User>(options: CreateAuthOptions<U>): Auth<U> {
  const { knex, secret } = options;
  if (!knex) throw new ImproperlyConfigured('createAuth needs a knex instance.');
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new ImproperlyConfigured(`createAuth needs a secret of at least ${MIN_SECRET_LENGTH} characters.`);
  }
  const userModel = options.userModel ?? (User as unknown as UserModelClass<U>);
  const backends = options.backends ?? [new ModelBackend<U>()];
  if (backends.length === 0) throw new ImproperlyConfigured('createAuth needs at least one backend.');
  const names = new Set<string>();
  for (const backend of backends) {
    if (names.has(backend.name)) throw new ImproperlyConfigured(`Two backends are named ${backend.name}.`);
    names.add(backend.name);
  }
  const hashers = new PasswordHashers(options.hashers ?? defaultHashers());
  // Make the dummy hash now, so that the first login for an unknown account costs one hash
  // computation like every later one (a failure here shows again, and is reported, on use).
  hashers.warmUp().catch(() => undefined);
  // The option had a second name once; a caller still using it must not silently get the
  // defaults instead of the validators it chose.
  if ('passwordValidators' in options)
    throw new ImproperlyConfigured('createAuth: pass password validators as `validators` (`passwordValidators` is not an option).');
  const passwordValidators = options.validators ?? defaultPasswordValidators();
  const secrets = [secret, ...(options.secretFallbacks ?? [])];
  const identifierPolicy = { caseSensitiveUsernames: options.caseSensitiveUsernames === true };
  const users = new UserManager<U>({ knex, userModel, hashers, passwordValidators, phoneRegion: options.phoneRegion, identifierPolicy });

  const store = options.store ?? new MemoryStore();
  const auth: Auth<U> = {
    knex,
    userModel,
    backends,
    hashers,
    passwordValidators,
    store,
    secrets,
    phoneRegion: options.phoneRegion,
    events: new AuthEvents<U>(),
    users,
    passwordResetTokens: new PasswordResetTokenGenerator({
      secret,
      fallbackSecrets: options.secretFallbacks,
      timeoutSeconds: options.passwordResetTimeoutSeconds,
    }),

    authenticate: (request, credentials) => authenticate(auth, request, credentials),
    getBackend: (name) => backends.find((b) => b.name === name),

    async checkPassword(user, raw) {
      refuseAnonymous(user, 'check a password');
      return hashers.checkPassword(raw, user.password, async (upgraded) => {
        // An upgrade keeps the same password: stored quietly, not reported as a change, and
        // the user's other sessions stay logged in (see rehashed-sessions.ts).
        const previous = user.password;
        await userModel
          .query(knex)
          .patch({ password: upgraded } as object)
          .where('id', user.id);
        user.password = upgraded;
        await rememberRehash(store, user.id, previous, upgraded, secret);
      });
    },

    async changePassword(user, raw) {
      refuseAnonymous(user, 'change a password');
      validatePassword(raw, user, passwordValidators);
      await users.setPassword(user, raw);
    },

    validatePassword: (raw, user) => validatePassword(raw, user ?? undefined, passwordValidators),
    sessionAuthHash: (user) => sessionAuthHash(user.password, secret),
    verifySessionAuthHash: (user, stored) => verifySessionAuthHash(stored, user.password, secrets),
    checkSessionAuthHash(user, stored) {
      const index = matchSessionAuthHash(stored, user.password, secrets);
      return index === 0 ? 'current' : index > 0 ? 'fallback' : 'invalid';
    },
    isRehashedSession: (user, stored) => isRehashedSession(store, user.id, stored, user.password, secret),

    hasPerm: (user, perm, obj) => hasPerm(auth, user, perm, obj),
    hasPerms: (user, perms, obj) => hasPerms(auth, user, perms, obj),
    hasModulePerms: (user, appLabel) => hasModulePerms(auth, user, appLabel),
    getAllPermissions: (user: AnyUser<U>, obj?: unknown) => collectPermissions(auth, user, 'getAllPermissions', obj),
    getUserPermissions: (user: AnyUser<U>, obj?: unknown) => collectPermissions(auth, user, 'getUserPermissions', obj),
    getGroupPermissions: (user: AnyUser<U>, obj?: unknown) => collectPermissions(auth, user, 'getGroupPermissions', obj),

    async withPerm(perm, opts: WithPermOptions & { backend?: string } = {}) {
      const { backend: name, ...rest } = opts;
      // The name is checked first, whichever backend answers (Django's with_perm).
      parsePermission(perm);
      let backend: AuthBackend<unknown, U> | undefined;
      if (name) {
        backend = backends.find((b) => b.name === name);
        if (!backend) throw new ImproperlyConfigured(`No backend named ${name} is configured.`);
      } else if (backends.length === 1) {
        backend = backends[0];
      } else {
        throw new ImproperlyConfigured('Several backends are configured: pass the `backend` option to withPerm.');
      }
      return backend?.withPerm ? backend.withPerm(auth, perm, rest) : [];
    },
  };
  return auth;
}
