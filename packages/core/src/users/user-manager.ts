import type { Knex } from 'knex';
import type { ZodObject } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';
import type { PasswordHashers } from '../hashers/password-hashers.js';
import type { AbstractUser, UserModelClass } from '../models/abstract-user.js';
import { validatePassword } from '../password-validation/validate-password.js';
import type { PasswordValidator } from '../password-validation/password-validator.js';
import { fromZodError } from '../validation/zod-errors.js';
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
}

const UNIQUE_MESSAGES: Record<string, string> = {
  username: 'A user with that username already exists.',
  email: 'A user with that email address already exists.',
  phone: 'A user with that phone number already exists.',
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
    if (input.isSuperuser !== undefined && input.isSuperuser !== true) issues.isSuperuser = [{ code: 'invalid', message: 'Superuser must have isSuperuser=true.' }];
    if (Object.keys(issues).length > 0) throw new ValidationError(issues);
    return this.create({ ...input, isStaff: true, isSuperuser: true }, options);
  }

  /** The user whose USERNAME_FIELD equals `value` after normalisation, or null. */
  async getByNaturalKey(value: string): Promise<U | null> {
    const field = this.deps.userModel.USERNAME_FIELD;
    const key = this.normalizeNaturalKey(field, value);
    if (key === null) return null;
    const user = await this.query().findOne(field, key);
    return (user as U | undefined) ?? null;
  }

  /** The user with this primary key, or null. */
  async getById(id: number | string): Promise<U | null> {
    if (!isId(id)) return null;
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
    if ('password' in patch) throw ValidationError.field('password', 'invalid', 'Use setPassword to change a password.');
    const { fields, issues } = this.check(patch);
    await ValidationError.collect([
      () => raise(issues),
      () => this.checkUnique(fields, user.id, options.trx),
      () => raise(options.formErrors),
    ]);
    try {
      await this.query(options.trx).patch(fields as object).where('id', user.id);
    } catch (error) {
      throw this.mapUniqueError(error);
    }
    Object.assign(user, fields);
    return user;
  }

  /** Store a new password hash (validators are the caller's choice: see validatePassword). */
  async setPassword(user: U, raw: string | null, options: { trx?: Knex.Transaction } = {}): Promise<void> {
    const encoded = await this.deps.hashers.makePassword(raw);
    await this.query(options.trx).patch({ password: encoded } as object).where('id', user.id);
    user.password = encoded;
  }

  private async create(input: CreateUserInput, options: CreateUserOptions): Promise<U> {
    const { password, ...rest } = input;
    const { fields, issues } = this.check(rest);
    const usernameField = this.deps.userModel.USERNAME_FIELD;
    await ValidationError.collect([
      () => raise(issues),
      () => {
        // A field already refused as invalid is not also reported as missing.
        if (issues.username || issues[usernameField]) return;
        this.fillUsername(fields);
        if (!fields.username) throw ValidationError.field('username', 'required', 'This field is required.');
        this.refusePhoneLikeUsername(fields);
      },
      () => {
        if (typeof password === 'string' && !options.skipPasswordValidation) validatePassword(password, fields, this.deps.passwordValidators);
      },
      () => this.checkUnique(fields, undefined, options.trx),
      () => raise(options.formErrors),
    ]);
    const encoded = await this.deps.hashers.makePassword(password ?? null);
    const row = { accountType: this.deps.userModel.USERNAME_FIELD, ...fields, password: encoded, dateJoined: fields.dateJoined ?? new Date() };
    try {
      const inserted = await this.query(options.trx).insert(row as object);
      return (await this.query(options.trx).findById((inserted as U).id)) as U;
    } catch (error) {
      throw this.mapUniqueError(error);
    }
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

  /** Phone or email sign-ups have no username of their own: it mirrors USERNAME_FIELD (seed 000). */
  private fillUsername(fields: UserFields): void {
    const field = this.deps.userModel.USERNAME_FIELD;
    if (fields.username || field === 'username') return;
    const value = fields[field];
    if (!value) throw ValidationError.field(field, 'required', 'This field is required.');
    fields.username = value;
  }

  /**
   * A username that is a valid phone number must be the user's own phone: otherwise someone
   * could register another person's number as a username and capture their phone logins.
   */
  private refusePhoneLikeUsername(fields: UserFields): void {
    const asPhone = /^[\d+]+$/.test(fields.username ?? '') ? toE164(fields.username ?? '', this.deps.phoneRegion) : null;
    if (asPhone && asPhone !== fields.phone) {
      throw ValidationError.field('username', 'invalid', 'A username may not be a phone number other than your own.');
    }
  }

  private async checkUnique(fields: UserFields, exceptId?: number, trx?: Knex.Transaction): Promise<void> {
    const issues: Record<string, FieldIssue[]> = {};
    for (const column of ['username', 'email', 'phone'] as const) {
      const value = fields[column];
      if (value === undefined || value === null) continue;
      const query = (trx ?? this.deps.knex)(this.deps.userModel.tableName).where(column, value).first('id');
      if (exceptId !== undefined) query.whereNot('id', exceptId);
      if (await query) issues[column] = [{ code: 'unique', message: UNIQUE_MESSAGES[column] ?? 'Already exists.' }];
    }
    if (Object.keys(issues).length > 0) throw new ValidationError(issues);
  }

  private mapUniqueError(error: unknown): unknown {
    const column = uniqueViolationColumn(error, ['username', 'email', 'phone']);
    if (column === null) return error;
    return ValidationError.field(column, 'unique', UNIQUE_MESSAGES[column] ?? 'A user with that value already exists.');
  }

  private normalizeNaturalKey(field: string, value: string): string | null {
    if (typeof value !== 'string' || value.length === 0 || value.length > 254) return null;
    if (field === 'email') return normalizeEmail(value);
    if (field === 'phone') return toE164(value, this.deps.phoneRegion);
    return normalizeUsername(value);
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

function isId(id: unknown): id is number | string {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0;
  return typeof id === 'string' && /^[1-9]\d{0,15}$/.test(id);
}
