/**
 * The app's configuration for the CLI: a module the CLI imports (plain JavaScript, so Node
 * loads it without a TypeScript loader; the app's server imports the same file). Its default
 * export — or its named exports — give at least `auth`.
 *
 * ```js
 * // koa-auth.config.mjs
 * import { createAuth, createKnex } from '@koa-auth/core';
 * export const auth = createAuth({ knex: createKnex(process.env.DATABASE_URL), secret: process.env.SECRET_KEY });
 * export default { auth };
 * ```
 */
import type { AbstractUser, Auth, Migration } from '@koa-auth/core';
import type { TokenService } from '@koa-auth/koa';

/** What a configuration file exports (as its default export, a function returning it, or named exports). */
export interface KoaAuthConfig {
  /** The auth object the app's server uses (createAuth). */
  auth: Auth<AbstractUser> | Auth<never>;
  /** Every migration, in order. Default: @koa-auth/core's, then each installed plugin's (@koa-auth/wechat). */
  migrations?: Migration[] | Migration[][];
  /** The app's TokenService, when it has options of its own (key prefix). Default: new TokenService(auth). */
  tokens?: TokenService<AbstractUser> | TokenService<never>;
  /** The session key prefix given to session() / koaAuth({ session: { prefix } }). Default 'sess:'. */
  sessionPrefix?: string;
}

/** The file names looked for in the current folder, in this order. */
export const CONFIG_FILE_NAMES = ['koa-auth.config.mjs', 'koa-auth.config.js', 'koa-auth.config.cjs'] as const;

/** Types a configuration object (an identity function, for editors). */
export function defineConfig(config: KoaAuthConfig): KoaAuthConfig {
  return config;
}
