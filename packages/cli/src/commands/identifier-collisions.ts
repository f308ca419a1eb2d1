/**
 * `identifier-collisions [--sync]`: lists accounts whose emails or usernames differ only by
 * case (or Unicode form) and so would be one account: what `migrate` refuses to apply
 * core/0003_canonical_identifiers over. Works before that migration. Exit code 1 while any
 * exist. `--sync` then rewrites canonical columns that are out of date (rows written by an older
 * version after migrating, or after switching caseSensitiveUsernames); it refuses while
 * collisions exist. The logic is core's (scanIdentifiers, syncCanonicalIdentifiers).
 */
import { formatIdentifierCollisions, scanIdentifiers, syncCanonicalIdentifiers } from '@koa-auth/core/internal';
import { CommandError } from '../io/command-error.js';
import type { Command } from '../io/command.js';
import { parseOptions } from '../io/parse-options.js';
import { withRuntime } from '../io/with-runtime.js';

const USAGE = 'identifier-collisions [--sync]';

export const identifierCollisionsCommand: Command = {
  name: 'identifier-collisions',
  usage: USAGE,
  summary: 'List accounts whose email or username differs only by case (they block `migrate`).',
  async run(io) {
    const { values, positionals } = parseOptions(io, { sync: { type: 'boolean' } }, USAGE);
    if (positionals.length > 0) throw new CommandError(`Unexpected argument ${positionals[0]}.\nUsage: ${io.programName} ${USAGE}`);
    return withRuntime(
      io,
      async ({ auth }) => {
        const knex = auth.knex;
        const options = { table: auth.userModel.tableName, policy: auth.users.identifierPolicy };
        if (!(await knex.schema.hasTable(options.table))) {
          io.out('The database has no user table yet (run `migrate`): no accounts to check.');
          return 0;
        }
        const { collisions, staleRows } = await scanIdentifiers(knex, options);
        if (collisions.length > 0) {
          io.out(`${collisions.length} group(s) of accounts would be one account:`);
          for (const line of formatIdentifierCollisions(collisions)) io.out(`  ${line}`);
          io.out('Nothing is merged or deleted automatically: for each group, change the email or username of all but one');
          io.out('account (or delete accounts nobody uses), then run `migrate` again.');
          return 1;
        }
        io.out('No accounts collide.');
        if (staleRows === 0) return 0;
        if (!values.sync) {
          io.out(`${staleRows} row(s) have out-of-date canonical columns: run \`identifier-collisions --sync\` to rewrite them.`);
          return 1;
        }
        io.out(`Rewrote the canonical columns of ${await syncCanonicalIdentifiers(knex, options)} row(s).`);
        return 0;
      },
      { needsSchema: false },
    );
  },
};
