/**
 * Finds and imports the app's configuration file (`--config PATH`, else the first of
 * CONFIG_FILE_NAMES in the folder), and opens the runtime the commands use. Every problem is
 * a CommandError naming the file, never a stack trace.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { coreMigrations, type AbstractUser, type Auth, type Migration } from '@koa-auth/core';
import { redactUrl } from '@koa-auth/core/internal';
import { SessionStore } from '@koa-auth/koa/internal';
import { TokenService } from '@koa-auth/koa';
import { CommandError } from '../io/command-error.js';
import type { CliRuntime } from '../io/command.js';
import { CONFIG_FILE_NAMES, type KoaAuthConfig } from './config-file.js';
import { pluginMigrations } from './plugin-migrations.js';

/** The configuration file to use: `explicit` (resolved against `cwd`), else the conventional name found in `cwd`. */
export function findConfigFile(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new CommandError(`No configuration file at ${file} (--config).`);
    return file;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = resolve(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new CommandError(`No ${CONFIG_FILE_NAMES[0]} in ${cwd}: create one that exports your auth object (see @koa-auth/cli's README), or pass --config PATH.`);
}

/**
 * Imports `file` and returns its configuration: the default export (or the module itself), called
 * first when it is a function. Throws CommandError naming the file when it fails to load, its
 * function throws, or it holds no auth object from createAuth().
 */
export async function loadConfigFile(file: string): Promise<KoaAuthConfig> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CommandError(`${file} could not be loaded: ${messageOf(error)}`);
  }
  let config: unknown = module.default ?? module;
  try {
    if (typeof config === 'function') config = await (config as () => unknown)();
  } catch (error) {
    throw new CommandError(`${file}: its default export failed: ${messageOf(error)}`);
  }
  const auth = (config as { auth?: unknown } | null)?.auth;
  if (!isAuth(auth)) {
    throw new CommandError(`${file} must export the auth object from createAuth(): \`export default { auth }\` or \`export const auth = …\`.`);
  }
  return config as KoaAuthConfig;
}

/**
 * The runtime the commands use for a loaded configuration: its auth, its migrations (else core's
 * plus those of installed plugins), its TokenService (else one on `auth`), a SessionStore with its
 * `sessionPrefix`, and `close()`, which closes the database and the store.
 */
export async function runtimeOf(config: KoaAuthConfig): Promise<CliRuntime> {
  const auth = config.auth as Auth<AbstractUser>;
  const migrations: Migration[] = config.migrations
    ? (config.migrations as (Migration | Migration[])[]).flat()
    : [...coreMigrations, ...(await pluginMigrations())];
  const connection = auth.knex.client.config.connection as { filename?: string } | string | undefined;
  return {
    auth,
    migrations,
    tokens: (config.tokens as TokenService<AbstractUser> | undefined) ?? new TokenService(auth),
    sessions: new SessionStore(auth.store, config.sessionPrefix),
    databaseDescription: describeDatabase(auth.knex.client.config.client as string, connection),
    async close() {
      await Promise.allSettled([auth.knex.destroy(), auth.store.close()]);
    },
  };
}

function describeDatabase(client: string, connection: { filename?: string; host?: string; database?: string } | string | undefined): string {
  if (typeof connection === 'string') return redactUrl(connection);
  if (connection?.filename) return `SQLite ${connection.filename}`;
  if (connection?.host) return `${client} ${connection.host}/${connection.database ?? ''}`;
  return client;
}

function isAuth(value: unknown): value is Auth<AbstractUser> {
  const auth = value as Partial<Auth<AbstractUser>> | null | undefined;
  return typeof auth === 'object' && auth !== null && typeof auth.knex === 'function' && typeof auth.store === 'object' && typeof auth.users === 'object';
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}
