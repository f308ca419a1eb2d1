/**
 * Runs `fn` with the app's auth object open, and closes it afterwards. Commands that read or
 * write users need an up-to-date schema: they stop with a hint otherwise.
 */
import { migrationSource } from '@koa-auth/core';
import { CommandError } from './command-error.js';
import type { CliRuntime, CommandIo } from './command.js';

/**
 * Opens the runtime, runs `fn` with it and closes it (database and store) whatever happens; resolves
 * to `fn`'s result. Unless `needsSchema` is false, throws CommandError first when migrations are pending.
 */
export async function withRuntime<T>(io: CommandIo, fn: (runtime: CliRuntime) => Promise<T>, options: { needsSchema?: boolean } = {}): Promise<T> {
  const runtime = await io.openRuntime();
  try {
    if (options.needsSchema !== false) {
      const pending = await pendingMigrations(runtime);
      if (pending.length > 0) throw new CommandError(`The database (${runtime.databaseDescription}) is not migrated: run the \`migrate\` command first.`);
    }
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** Names of the runtime's migrations not applied yet. */
export async function pendingMigrations(runtime: CliRuntime): Promise<string[]> {
  const [, pending] = (await runtime.auth.knex.migrate.list({ migrationSource: migrationSource(runtime.migrations) })) as [unknown[], { name: string }[]];
  return pending.map((m) => m.name);
}
