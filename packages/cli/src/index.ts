// The public API of @koa-auth/cli (the `koa-auth` bin, bin/koa-auth.js, loads dist/bin.js). Re-exports only.
export { runCli, type RunCliOptions } from './run-cli.js';
export { STANDARD_COMMANDS } from './commands/standard-commands.js';
export { runMigrations } from './commands/migrate.js';
export type { Command, CommandIo, CliRuntime } from './io/command.js';
export { CommandError } from './io/command-error.js';
export { parseOptions } from './io/parse-options.js';
export { withRuntime, pendingMigrations } from './io/with-runtime.js';
export { Prompter } from './io/prompter.js';
export { defineConfig, CONFIG_FILE_NAMES, type KoaAuthConfig } from './config/config-file.js';
export { findConfigFile, loadConfigFile, runtimeOf } from './config/load-config.js';
