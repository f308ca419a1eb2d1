// The public API of @koa-auth/cli (the `koa-auth` bin, bin/koa-auth.js, loads dist/bin.js): the
// configuration file's helper, and what an app's own CLI needs (runCli with its own commands).
// Re-exports only.
// test/packaging/surface.test.ts pins the runtime names below: growing this list is deliberate.
export { defineConfig, type KoaAuthConfig } from './config/config-file.js';
export { runCli, type RunCliOptions } from './run-cli.js';
export { STANDARD_COMMANDS } from './commands/standard-commands.js';
export { runMigrations } from './commands/migrate.js';
export type { Command, CommandIo, CliRuntime } from './io/command.js';
export { CommandError } from './io/command-error.js';
