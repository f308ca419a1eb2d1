/**
 * What both the server and the CLI open: the database, the store and the auth object, from the
 * configuration. `close()` releases the database pool and the store's connections, so a CLI
 * command's process can end on its own.
 */
import { redactUrl } from '@koa-auth/core/internal';
import type { Auth, KeyValueStore, User } from '@koa-auth/core';
import type { DemoConfig } from '../config/config.js';
import { resolveSecretKey, type SecretKey } from '../config/secret-key.js';
import { createDemoAuth } from './auth.js';
import { openDatabase, type Knex } from './database.js';
import { openStore } from './store.js';

export interface DemoRuntime {
  config: DemoConfig;
  knex: Knex;
  store: KeyValueStore;
  auth: Auth<User>;
  secretKey: SecretKey;
  /** For messages: the database URL without its password. */
  databaseDescription: string;
  storeDescription: string;
  close(): Promise<void>;
}

export function openRuntime(config: DemoConfig): DemoRuntime {
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  const knex = openDatabase(config.databaseUrl);
  const { store, description } = openStore(config.redisUrl, config.redisPrefix);
  const auth = createDemoAuth({ knex, store, secret: secretKey.value });
  return {
    config,
    knex,
    store,
    auth,
    secretKey,
    databaseDescription: redactUrl(config.databaseUrl),
    storeDescription: description,
    async close() {
      await Promise.allSettled([knex.destroy(), store.close()]);
    },
  };
}
