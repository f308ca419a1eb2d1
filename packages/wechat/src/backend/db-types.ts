/**
 * knex types, named through @koa-auth/core (this package does not depend on knex directly).
 */
import type { Auth, CreateUserOptions } from '@koa-auth/core';

export type Knex = Auth['knex'];
export type Transaction = NonNullable<CreateUserOptions['trx']>;
/** A connection to run a query on: the app's knex or an open transaction. */
export type Db = Knex | Transaction;
