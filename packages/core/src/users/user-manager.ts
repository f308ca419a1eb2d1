import type { Knex } from 'knex';
import type { ZodObject } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';
import type { PasswordHashers } from '../hashers/password-hashers.js';
import type { AbstractUser, UserModelClass, UsernameField } from '../models/abstract-user.js';
import { toPrimaryKey } from '../models/primary-key.js';
import { refuseAnonymous } from '../anonymous-user.js';
import { passwordChanged, validatePassword } from '../password-validation/validate-password.js';
import type { PasswordValidator } from '../password-validation/password-validator.js';
import { fromZodError } from '../validation/zod-errors.js';
import { CANONICAL_COLUMNS, canonicalIdentifier, type CanonicalField, type IdentifierPolicy } from './canonical-identifier.js';
import { classifyIdentifier, type ClassifiedIdentifier } from './identifier.js';
import { identifierCondition } from './identifier-lookup.js';
import { normalizeEmail, normalizeUsername } from './normalize.js';
import { formatPhone, toE164, type CountryCode } from './phone-number.js';
import { checkUserFields, type CheckedUserFields, type UserFields } from './user-fields.js';
import { uniqueViolationColumn } from './unique-violation.js';

/** Fields accepted by createUser: the user fields plus a raw password (null/absent = unusable). */
export type CreateUserInput = UserFields & { password?: string | null } & Record<string, unknown>;

export interface CreateUserOptions {
  /** Skip the configured password validators (imports, fixtures). Default false. */
  skipPasswordValidation?: boolean;
  /** Run inside this transaction. */
  trx?: Knex.Transaction;
  /**
   * Problems the caller's own checks found (e.g. a form's password confirmation): refused
   * together with every problem createUser finds itself, in one ValidationError, and nothing
   * is written.
   */
  formErrors?: ValidationError | null;
}

/** Options of updateUser. */
export interface UpdateUserOptions {
  /** Run inside this transaction. */
  trx?: Knex.Transaction;
  /** As in CreateUserOptions: refused together with updateUser's own findings. */
  formErrors?: ValidationError | null;
}

/** What the manager needs from the auth object. */
export interface UserManagerDeps<U extends AbstractUser> {
  knex: Knex;
  userModel: UserModelClass<U>;
  hashers: PasswordHashers;
  passwordValidators: readonly PasswordValidator[];
  phoneRegion?: CountryCode;
  /** How usernames compare (emails always ignore case). Default: without regard to case. */
  identifierPolicy?: IdentifierPolicy;
}

const UNIQUE_MESSAGES: Record<string, string> = {
  username: 'A user with that username already exists.',
  email: 'A user with that email address already exists.',
  phone: 'A user with that phone number already exists.',
};

/** Unique columns, canonical ones first, with the field a conflict on each is reported on. */
const UNIQUE_COLUMNS: Record<string, 'username' | 'email' | 'phone'> = {
  [CANONICAL_COLUMNS.username]: 'username',
  [CANONICAL_COLUMNS.email]: 'email',
  username: 'username',
  email: 'email',
  phone: 'phone',
};

/** A subclass may declare a zod object for the columns its own migration adds. */
type WithExtraFields = { extraFieldsSchema?: ZodObject };

/**
 * Creating and finding users (Django's UserManager): every write is validated and normalised
 * first, and uniqueness conflicts, including races between concurrent creates, come back as a
 * ValidationError on the field. A refused write reports every problem at once (formats,
 * password validators, uniqueness of the fields that are valid), never one phase at a time.
 */
export class UserManager<U extends AbstractUser = AbstractUser> {
  constructor(private readonly deps: UserManagerDeps<U>) {}

  /** Lower-case an email's domain part. */
  normalizeEmail(email: string): string {
    return normalizeEmail(email);
  }

  /** NFKC-normalise a username. */
  normalizeUsername(username: string): string {
    return normalizeUsername(username);
  }

  /** The canonical form of a username or email under this auth's policy (see canonicalIdentifier). */
  canonicalIdentifier(field: CanonicalField, value: string): string {
    return canonicalIdentifier(field, value, this.identifierPolicy);
  }

  /**
   * What a login identifier is read as under this auth's phone region and username policy
   * (see classifyIdentifier): email, phone or username, with its canonical form.
   */
  classifyIdentifier(value: string): ClassifiedIdentifier {
    return classifyIdentifier(value, { region: this.deps.phoneRegion, policy: this.identifierPolicy });
  }

  /**
   * The user whose `field` matches `value` the way logins compare it (emails and, by default,
   * usernames without regard to case; phones in E.164), or null. Every lookup of a user by an
   * identifier goes through here.
   */
  async findByIdentifier(field: UsernameField, value: string, options: { trx?: Knex.Transaction } = {}): Promise<U | null> {
    const condition = identifierCondition(field, value, { policy: this.identifierPolicy, phoneRegion: this.deps.phoneRegion });
    if (!condition) return null;
    const user = await this.query(options.trx).findOne(`${this.deps.userModel.tableName}.${condition.column}`, condition.value);
    return (user as U | undefined) ?? null;
  }

  /** A phone number in E.164 using the configured default region, or null when invalid. */
  normalizePhone(phone: string): string | null {
    return toE164(phone, this.deps.phoneRegion);
  }

  /** A stored phone number for display: national format in the configured region, else international. */
  formatPhone(e164: string): string {
    return formatPhone(e164, this.deps.phoneRegion);
  }

  /** Create a regular user (is_staff and is_superuser false unless given). */
  async createUser(input: CreateUserInput, options: CreateUserOptions = {}): Promise<U> {
    return this.create({ isStaff: false, isSuperuser: false, ...input }, options);
  }

  /** Create a superuser; refuses isStaff or isSuperuser set to anything but true. */
  async createSuperuser(input: CreateUserInput, options: CreateUserOptions = {}): Promise<U> {
    const issues: Record<string, FieldIssue[]> = {};
    if (input.isStaff !== undefined && input.isStaff !== true) issues.isStaff = [{ code: 'invalid', message: 'Superuser must have isStaff=true.' }];
    if (input.isSuperuser !== undefined && input.isSuperuser !== true)
      issues.isSuperuser = [{ code: 'invalid', message: 'Superuser must have isSuperuser=true.' }];
    if (Object.keys(issues).length > 0) throw new ValidationError(issues);
    return this.create({ ...input, isStaff: true, isSuperuser: true }, options);
  }

  /** The user whose USERNAME_FIELD matches `value` (see findByIdentifier), or null. */
  async getByNaturalKey(value: string): Promise<U | null> {
    return this.findByIdentifier(this.deps.userModel.USERNAME_FIELD, value);
  }

  /** The user with this primary key (in the model's PRIMARY_KEY_TYPE, or its string form), or null. */
  async getById(value: number | string): Promise<U | null> {
    const id = toPrimaryKey(this.deps.userModel.PRIMARY_KEY_TYPE, value);
    if (id === null) return null;
    // Every request that reads its user runs this: a plain knex select and objection's own row
    // parsing cost about half of a findById query builder (see bench/README.md).
    const row = await this.deps.knex(this.deps.userModel.tableName).where('id', id).first();
    return row ? (this.deps.userModel.fromDatabaseJson(row) as U) : null;
  }

  /**
   * Change stored fields of a user (profile edits): same validation and uniqueness rules as
   * creation. The password is not changed here (use setPassword).
   */
  async updateUser(user: U, patch: Record<string, unknown>, options: UpdateUserOptions = {}): Promise<U> {
    refuseAnonymous(user, 'update a user');
    if ('password' in patch) throw ValidationError.field('password', 'invalid', 'Use setPassword to change a password.');
    const checked = this.check(patch);
    const fields = this.withCanonical(checked.fields);
    await ValidationError.collect([() => raise(checked.issues), () => this.checkUnique(fields, user.id, options.trx), () => raise(options.formErrors)]);
    try {
      await this.query(options.trx)
        .patch(fields as object)
        .where('id', user.id);
    } catch (error) {
      throw this.mapUniqueError(error);
    }
    Object.assign(user, fields);
    return user;
  }

  /**
   * Store a new password hash (validators are the caller's choice: see validatePassword), then
   * run the validators' `passwordChanged` hooks once (not for null: an unusable password).
   */
  async setPassword(user: U, raw: string | null, options: { trx?: Knex.Transaction } = {}): Promise<void> {
    refuseAnonymous(user, 'set a password');
    const encoded = await this.deps.hashers.makePassword(raw);
    await this.query(options.trx)
      .patch({ password: encoded } as object)
      .where('id', user.id);
    user.password = encoded;
    if (typeof raw === 'string') await passwordChanged(raw, user, this.deps.passwordValidators);
  }

  private async create(input: CreateUserInput, options: CreateUserOptions): Promise<U> {
    const { password, ...rest } = input;
    const { fields: cleaned, issues } = this.check(rest);
    const usernameField = this.deps.userModel.USERNAME_FIELD;
    let mirroredFrom: 'email' | 'phone' | null = null;
    // Every problem at once; the checks run in order (collect awaits each before the next).
    await ValidationError.collect([
      () => raise(issues),
      () => {
        // A field already refused as invalid is not also reported as missing.
        if (issues.username || issues[usernameField]) return;
        mirroredFrom = this.fillUsername(cleaned);
        if (!cleaned.username) throw ValidationError.field('username', 'required', 'This field is required.');
        this.refusePhoneLikeUsername(cleaned);
      },
      () => {
        if (typeof password === 'string' && !options.skipPasswordValidation) validatePassword(password, cleaned, this.deps.passwordValidators);
      },
      () => this.checkUnique(this.withCanonical(cleaned), undefined, options.trx, mirroredFrom),
      () => raise(options.formErrors),
    ]);
    const fields = this.withCanonical(cleaned);
    const encoded = await this.deps.hashers.makePassword(password ?? null);
    const row = { accountType: this.deps.userModel.USERNAME_FIELD, ...fields, password: encoded, dateJoined: fields.dateJoined ?? new Date() };
    let created: U;
    try {
      const inserted = await this.query(options.trx).insert(row as object);
      created = (await this.query(options.trx).findById((inserted as U).id)) as U;
    } catch (error) {
      throw this.mapUniqueError(error, mirroredFrom);
    }
    if (typeof password === 'string') await passwordChanged(password, created, this.deps.passwordValidators);
    return created;
  }

  /** The valid fields (normalised) and the issues of the others, the model's own extra columns included. */
  private check(input: Record<string, unknown>): CheckedUserFields & { fields: UserFields & Record<string, unknown> } {
    const schema = (this.deps.userModel as unknown as WithExtraFields).extraFieldsSchema;
    const extraKeys = schema ? Object.keys(schema.shape) : [];
    const { fields, issues } = checkUserFields(input, this.deps.phoneRegion, extraKeys);
    if (schema) {
      const extra = schema.partial().safeParse(Object.fromEntries(extraKeys.filter((k) => k in input).map((k) => [k, input[k]])));
      if (extra.success) Object.assign(fields, extra.data);
      else Object.assign(issues, fromZodError(extra.error).fields);
    }
    return { fields, issues };
  }

  /**
   * Phone or email sign-ups have no username of their own: it mirrors USERNAME_FIELD.
   * Returns the field it was copied from (a conflict on it is reported there), or null.
   */
  private fillUsername(fields: UserFields): 'email' | 'phone' | null {
    const field = this.deps.userModel.USERNAME_FIELD;
    if (fields.username || field === 'username') return null;
    const value = fields[field];
    if (!value) throw ValidationError.field(field, 'required', 'This field is required.');
    fields.username = value;
    return field;
  }

  /** The fields plus the canonical columns of the identifiers among them (written on every write). */
  private withCanonical(fields: UserFields & Record<string, unknown>): UserFields & Record<string, unknown> {
    const out: UserFields & Record<string, unknown> = { ...fields };
    if (typeof fields.username === 'string') out.usernameCanonical = this.canonicalIdentifier('username', fields.username);
    if (fields.email !== undefined) out.emailCanonical = fields.email === null ? null : this.canonicalIdentifier('email', fields.email);
    return out;
  }

  /**
   * A username that logins read as a phone number (classifyIdentifier) must be the user's own
   * phone: otherwise someone could register another person's number as a username, in any
   * spelling, and capture their phone logins.
   */
  private refusePhoneLikeUsername(fields: UserFields): void {
    const asLogin = fields.username ? this.classifyIdentifier(fields.username) : null;
    if (asLogin?.kind === 'phone' && asLogin.canonical !== fields.phone) {
      throw ValidationError.field('username', 'invalid', 'A username may not be a phone number other than your own.');
    }
  }

  /**
   * A friendly answer before the insert; the unique indexes on the canonical columns are what
   * really decide (a concurrent create that passes this check fails there: mapUniqueError).
   */
  private async checkUnique(
    fields: Record<string, unknown>,
    exceptId?: number,
    trx?: Knex.Transaction,
    mirroredFrom: 'email' | 'phone' | null = null,
  ): Promise<void> {
    const issues: Record<string, FieldIssue[]> = {};
    const checks = [
      ['username', CANONICAL_COLUMNS.username, fields.usernameCanonical],
      ['email', CANONICAL_COLUMNS.email, fields.emailCanonical],
      ['phone', 'phone', fields.phone],
    ] as const;
    for (const [name, column, value] of checks) {
      if (value === undefined || value === null) continue;
      const query = (trx ?? this.deps.knex)(this.deps.userModel.tableName)
        .where(column, value as string)
        .first('id');
      if (exceptId !== undefined) query.whereNot('id', exceptId);
      if (await query) {
        const field = name === 'username' && mirroredFrom ? mirroredFrom : name;
        issues[field] = [{ code: 'unique', message: UNIQUE_MESSAGES[field] ?? 'Already exists.' }];
      }
    }
    if (Object.keys(issues).length > 0) throw new ValidationError(issues);
  }

  /** A unique-index failure as a ValidationError on the field the user typed; other errors unchanged. */
  private mapUniqueError(error: unknown, mirroredFrom: 'email' | 'phone' | null = null): unknown {
    const column = uniqueViolationColumn(error, Object.keys(UNIQUE_COLUMNS));
    if (column === null) return error;
    const named = UNIQUE_COLUMNS[column];
    // A unique index of an app's own column: still a 400, on no field we could name.
    if (!named) return ValidationError.field('__all__', 'unique', 'A user with that value already exists.');
    const field = named === 'username' && mirroredFrom ? mirroredFrom : named;
    return ValidationError.field(field, 'unique', UNIQUE_MESSAGES[field] ?? 'A user with that value already exists.');
  }

  /** How this manager compares usernames (createAuth's `caseSensitiveUsernames`). */
  get identifierPolicy(): IdentifierPolicy {
    return { caseSensitiveUsernames: this.deps.identifierPolicy?.caseSensitiveUsernames === true };
  }

  private query(trx?: Knex.Transaction) {
    return this.deps.userModel.query(trx ?? this.deps.knex);
  }
}

/** Throws `found` (an error, or issues by field) unless it is empty. */
function raise(found: ValidationError | Record<string, FieldIssue[]> | null | undefined): void {
  if (!found) return;
  if (found instanceof ValidationError) throw found;
  if (Object.keys(found).length > 0) throw new ValidationError(found);
}
