import { Model, snakeCaseMappers, type Pojo } from 'objection';
import { toBoolean, toDate } from './database-values.js';
import { Group } from './group.js';
import { Permission } from './permission.js';
import type { PrimaryKeyType } from './primary-key.js';

/** The fields that identify a user at login (Django's USERNAME_FIELD). */
export type UsernameField = 'username' | 'email' | 'phone';

/**
 * The user model an app extends (Django's AbstractUser plus the fields of a phone login).
 * Subclasses may rename `tableName` or add columns with their own migration; lookups always go
 * through the subclass handed to `createAuth({ userModel })`.
 */
export abstract class AbstractUser extends Model {
  static override tableName = 'auth_user';
  static override columnNameMappers = snakeCaseMappers();
  /** The field users log in with: 'username', 'email' or 'phone'. */
  static USERNAME_FIELD: UsernameField = 'username';
  /** Fields `createsuperuser` prompts for besides USERNAME_FIELD and password. */
  static REQUIRED_FIELDS: string[] = ['email'];
  /**
   * The type of the `id` column: 'integer' (auto-increment, the default), 'uuid' or 'string'.
   * A model with another key type sets its own ids (e.g. in `$beforeInsert`); sessions store
   * the key as a string and read it back in this type.
   */
  static PRIMARY_KEY_TYPE: PrimaryKeyType = 'integer';

  declare id: number;
  declare password: string;
  declare username: string;
  declare email: string | null;
  /** The username's canonical form (unique index; written by the UserManager on every write). */
  declare usernameCanonical: string;
  /** The email's canonical form (unique index; written by the UserManager on every write). */
  declare emailCanonical: string | null;
  declare phone: string | null;
  declare firstName: string;
  declare lastName: string;
  declare nickname: string;
  declare gender: string | null;
  declare birthday: string | null;
  declare avatar: string | null;
  declare isActive: boolean;
  declare isStaff: boolean;
  declare isSuperuser: boolean;
  declare dateJoined: Date;
  declare lastLogin: Date | null;
  declare accountType: string;
  declare groups?: Group[];
  declare userPermissions?: Permission[];

  /** Always true for a real user; AnonymousUser answers false (Django's is_authenticated). */
  get isAuthenticated(): true {
    return true;
  }

  /** Always false for a real user. */
  get isAnonymous(): false {
    return false;
  }

  /** The value of USERNAME_FIELD for this user. */
  getUsername(): string {
    const field = (this.constructor as typeof AbstractUser).USERNAME_FIELD;
    return String(this[field] ?? '');
  }

  /** First and last name with a space between, trimmed. */
  getFullName(): string {
    return `${this.firstName ?? ''} ${this.lastName ?? ''}`.trim();
  }

  /** Nickname, else first name, else username: what a page shows. */
  getShortName(): string {
    return this.nickname || this.firstName || this.username;
  }

  override $parseDatabaseJson(json: Pojo): Pojo {
    const parsed = super.$parseDatabaseJson(json);
    for (const key of ['isActive', 'isStaff', 'isSuperuser']) {
      if (key in parsed) parsed[key] = toBoolean(parsed[key]);
    }
    for (const key of ['dateJoined', 'lastLogin']) {
      if (key in parsed) parsed[key] = toDate(parsed[key]);
    }
    return parsed;
  }

  /** Never serialise the password hash (nor the canonical lookup columns) into API answers. */
  override $formatJson(json: Pojo): Pojo {
    const formatted = super.$formatJson(json);
    delete formatted.password;
    // Derived lookup keys, not part of the user's data.
    delete formatted.usernameCanonical;
    delete formatted.emailCanonical;
    return formatted;
  }

  static override get relationMappings() {
    const table = this.tableName;
    return {
      groups: {
        relation: Model.ManyToManyRelation,
        modelClass: Group,
        join: {
          from: `${table}.id`,
          through: { from: 'auth_user_groups.user_id', to: 'auth_user_groups.group_id' },
          to: 'auth_group.id',
        },
      },
      userPermissions: {
        relation: Model.ManyToManyRelation,
        modelClass: Permission,
        join: {
          from: `${table}.id`,
          through: { from: 'auth_user_user_permissions.user_id', to: 'auth_user_user_permissions.permission_id' },
          to: 'auth_permission.id',
        },
      },
    };
  }
}

/** A concrete user model class: AbstractUser or a subclass of it. */
export type UserModelClass<U extends AbstractUser = AbstractUser> = (new () => U) & Omit<typeof AbstractUser, 'prototype'>;
