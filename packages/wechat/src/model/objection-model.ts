/** objection's base class and the column mappers core's models use, under one import for this package's models. */
import { Model, snakeCaseMappers, type Pojo } from 'objection';

export { Model };

/** camelCase properties over snake_case columns, as in core's models. */
export const snakeCaseColumns = snakeCaseMappers();

export type { Pojo };
