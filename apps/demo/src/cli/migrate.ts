/** `migrate`: applies the migrations of @koa-auth/core and @koa-auth/wechat (Django's `manage.py migrate`). */
import { migrate } from '../setup/database.js';
import type { Command, CommandIo } from './command.js';
import { withRuntime } from './with-runtime.js';

export async function runMigrations(io: CommandIo): Promise<void> {
  await withRuntime(
    io,
    async (runtime) => {
      io.out(`Database: ${runtime.databaseDescription}`);
      const applied = await migrate(runtime.knex);
      if (applied.length === 0) io.out('No migrations to apply.');
      for (const name of applied) io.out(`  Applied ${name}`);
    },
    { needsSchema: false },
  );
}

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'Create or update the database tables.',
  run: runMigrations,
};
