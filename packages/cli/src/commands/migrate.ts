/**
 * `migrate [--list]` (Django's `manage.py migrate` / `showmigrations`): applies the migrations of
 * @koa-auth/core and of every installed plugin (in the configuration's order), or lists them
 * with `[X]` for applied and `[ ]` for pending.
 */
import { migrationSource } from '@koa-auth/core';
import { CommandError } from '../io/command-error.js';
import type { Command, CommandIo } from '../io/command.js';
import { parseOptions } from '../io/parse-options.js';
import { withRuntime } from '../io/with-runtime.js';

const USAGE = 'migrate [--list]';

/**
 * Applies the runtime's pending migrations in order, printing the database (password redacted) and
 * each applied name; with `list`, only prints every migration as `[X]` applied or `[ ]` pending.
 * Opens and closes the runtime itself (withRuntime); migration errors propagate.
 */
export async function runMigrations(io: CommandIo, list = false): Promise<void> {
  await withRuntime(
    io,
    async (runtime) => {
      const source = migrationSource(runtime.migrations);
      io.out(`Database: ${runtime.databaseDescription}`);
      if (list) {
        const [done, pending] = (await runtime.auth.knex.migrate.list({ migrationSource: source })) as [{ name: string }[], { name: string }[]];
        const applied = new Set(done.map((m) => m.name));
        for (const m of runtime.migrations) io.out(`  [${applied.has(m.name) ? 'X' : ' '}] ${m.name}`);
        if (pending.length > 0) io.out(`${pending.length} migration(s) to apply: run \`migrate\`.`);
        return;
      }
      const [, applied] = (await runtime.auth.knex.migrate.latest({ migrationSource: source })) as [number, string[]];
      if (applied.length === 0) io.out('No migrations to apply.');
      for (const name of applied) io.out(`  Applied ${name}`);
    },
    { needsSchema: false },
  );
}

export const migrateCommand: Command = {
  name: 'migrate',
  usage: USAGE,
  summary: 'Create or update the database tables (core and installed plugins); --list shows them.',
  async run(io) {
    const { values, positionals } = parseOptions(io, { list: { type: 'boolean' } }, USAGE);
    if (positionals.length > 0) throw new CommandError(`Unexpected argument ${positionals[0]}. Usage: ${io.programName} ${USAGE}`);
    await runMigrations(io, values.list === true);
  },
};
