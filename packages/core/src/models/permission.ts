import { Model, snakeCaseMappers } from 'objection';

/** A permission: `appLabel.codename` (e.g. `auth.change_user`), Django's auth.Permission. */
export class Permission extends Model {
  static override tableName = 'auth_permission';
  // camelCase properties over snake_case columns, per model so the app's knex is untouched.
  static override columnNameMappers = snakeCaseMappers();

  declare id: number;
  declare name: string;
  declare appLabel: string;
  declare codename: string;

  /** The permission's string form used by every check: `app_label.codename`. */
  get key(): string {
    return `${this.appLabel}.${this.codename}`;
  }
}
