/**
 * Runs `fn` with the database, store and auth object open, and closes them afterwards. Commands
 * that read or write users need an up-to-date schema: they stop with a hint otherwise.
 */
import { secretKeyWarning } from '../config/secret-key.js';
import { pendingMigrations } from '../setup/database.js';
import { openRuntime, type DemoRuntime } from '../setup/runtime.js';
import { CommandError } from './command-error.js';
import type { CommandIo } from './command.js';

export async function withRuntime<T>(io: CommandIo, fn: (runtime: DemoRuntime) => Promise<T>, options: { needsSchema?: boolean } = {}): Promise<T> {
  const runtime = openRuntime(io.config());
  // Said once, when the key file is created; the server repeats it on every start.
  if (runtime.secretKey.source === 'generated') io.err(`WARNING: ${secretKeyWarning(runtime.secretKey)}`);
  try {
    if (options.needsSchema !== false) {
      const pending = await pendingMigrations(runtime.knex);
      if (pending.length > 0) throw new CommandError(`The database (${runtime.databaseDescription}) is not migrated: run the \`migrate\` command first.`);
    }
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}
