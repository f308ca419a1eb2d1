/**
 * The demo's CLI: @koa-auth/cli's commands (migrate, createsuperuser, changepassword,
 * grant/revoke, clearsessions) on the demo's runtime (settings from the environment, core and
 * WeChat migrations), plus the demo's own `start` and `serve`.
 */
import { runCli, type CliRuntime } from '@koa-auth/cli';
import { SessionStore } from '@koa-auth/koa/internal';
import { TokenService } from '@koa-auth/koa';
import { loadConfig } from '../config/config.js';
import { secretKeyWarning } from '../config/secret-key.js';
import { demoMigrations } from '../setup/database.js';
import { openRuntime } from '../setup/runtime.js';
import { DEMO_COMMANDS } from './commands.js';

export function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  return runCli(argv, {
    programName: 'koa-auth-demo',
    commands: DEMO_COMMANDS,
    env,
    openRuntime: async ({ err }) => demoCliRuntime(env, err),
    helpFooter: [
      'Settings come from the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, PORT, DATA_DIR,',
      'WECHAT_APPID/WECHAT_SECRET, …): see apps/demo/README.md.',
    ],
  });
}

function demoCliRuntime(env: Record<string, string | undefined>, err: (line: string) => void): CliRuntime {
  const runtime = openRuntime(loadConfig(env));
  // Said once, when the key file is created; the server repeats it on every start.
  if (runtime.secretKey.source === 'generated') err(`WARNING: ${secretKeyWarning(runtime.secretKey)}`);
  return {
    auth: runtime.auth,
    migrations: demoMigrations,
    tokens: new TokenService(runtime.auth),
    sessions: new SessionStore(runtime.auth.store),
    databaseDescription: runtime.databaseDescription,
    close: () => runtime.close(),
  };
}
