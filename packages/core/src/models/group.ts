import { Model, snakeCaseMappers } from 'objection';
import { Permission } from './permission.js';

/** A named set of permissions that users inherit by membership (Django's auth.Group). */
export class Group extends Model {
  static override tableName = 'auth_group';
  static override columnNameMappers = snakeCaseMappers();

  declare id: number;
  declare name: string;
  declare permissions?: Permission[];

  static override get relationMappings() {
    return {
      permissions: {
        relation: Model.ManyToManyRelation,
        modelClass: Permission,
        join: {
          from: 'auth_group.id',
          through: { from: 'auth_group_permissions.group_id', to: 'auth_group_permissions.permission_id' },
          to: 'auth_permission.id',
        },
      },
    };
  }
}
