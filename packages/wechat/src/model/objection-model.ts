/**
 * objection's `Model` base class and camelCase↔snake_case column mappers, reached through
 * @koa-auth/core.
 *
 * Why not `import { Model, snakeCaseMappers } from 'objection'`: @koa-auth/wechat does not list
 * objection among its dependencies yet, and pnpm's strict layout does not let a package import
 * a dependency of another package. core's `Group` extends objection's `Model` directly, so its
 * prototype IS the class core's own models use (one objection instance, one error wrapping).
 * Once objection is a dependency of this package, replace this file's body with
 * `export { Model, snakeCaseMappers } from 'objection'` (and `snakeCaseMappers()` at the use site).
 *
 * Typing: `typeof Group` is the closest nameable type of the base class. Group's own fields
 * (`name`, `permissions`) do not exist on subclasses at runtime: never read them.
 */
import { Group } from '@koa-auth/core';

export const Model = Object.getPrototypeOf(Group) as typeof Group;

/** The same mappers core's models use (stateless apart from a memo cache, so sharing is safe). */
export const snakeCaseColumns: typeof Group.columnNameMappers = Group.columnNameMappers;

/** objection's plain-object type, as taken by `$parseDatabaseJson` / `$formatDatabaseJson`. */
export type Pojo = Parameters<InstanceType<typeof Model>['$parseDatabaseJson']>[0];
