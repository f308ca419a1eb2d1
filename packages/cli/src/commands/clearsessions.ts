/**
 * `clearsessions` (Django's): sessions and token families expire in the store on their own;
 * what outlives them are the per-user indexes that list them ("your sessions", "log out
 * everywhere"). This walks every user and drops the ids of ended sessions and expired token
 * families from those indexes. Meant for a daily cron job; safe while the site runs.
 */
import { MemoryStore } from '@koa-auth/core';
import { CommandError } from '../io/command-error.js';
import type { Command } from '../io/command.js';
import { parseOptions } from '../io/parse-options.js';
import { withRuntime } from '../io/with-runtime.js';

const USAGE = 'clearsessions';
const BATCH = 500;

export const clearsessionsCommand: Command = {
  name: 'clearsessions',
  usage: USAGE,
  summary: 'Remove expired sessions and token families from the store (cron).',
  async run(io) {
    const { positionals } = parseOptions(io, {}, USAGE);
    if (positionals.length > 0) throw new CommandError(`Unexpected argument ${positionals[0]}. Usage: ${io.programName} ${USAGE}`);
    return withRuntime(io, async ({ auth, tokens, sessions }) => {
      if (auth.store instanceof MemoryStore) {
        throw new CommandError(
          "The configuration's store is in memory: sessions live in the server's process, not here. Use a shared store (RedisStore) to manage them from the command line.",
        );
      }
      const table = auth.userModel.tableName;
      let sessionCount = 0;
      let familyCount = 0;
      let users = 0;
      let after: unknown = null;
      for (;;) {
        const query = auth.knex(table).select('id').orderBy('id').limit(BATCH);
        if (after !== null) query.where('id', '>', after as number);
        const ids = ((await query) as { id: unknown }[]).map((row) => row.id);
        if (ids.length === 0) break;
        for (const id of ids) {
          sessionCount += await sessions.clearExpired(String(id));
          familyCount += await tokens.clearExpired(String(id));
        }
        users += ids.length;
        after = ids[ids.length - 1];
      }
      io.out(`Checked ${users} user(s): removed ${sessionCount} expired session(s) and ${familyCount} expired token famil${familyCount === 1 ? 'y' : 'ies'}.`);
      return 0;
    });
  },
};
