/**
 * `grant <user> <app_label.codename>` and `revoke <user> <app_label.codename>`: give or take a
 * permission directly to a user (what Django's admin does with the user's permission list),
 * e.g. `grant alice auth.view_user` to open the admin page. Both are idempotent.
 */
import { grantUserPermission, revokeUserPermission, ValidationError } from '@koa-auth/core';
import { CommandError } from './command-error.js';
import type { Command } from './command.js';
import { findUser } from './find-user.js';
import { parseOptions } from './parse-options.js';
import { withRuntime } from './with-runtime.js';

function permissionCommand(name: 'grant' | 'revoke'): Command {
  const usage = `${name} <username|email|phone> <app_label.codename>`;
  return {
    name,
    usage,
    summary: name === 'grant' ? 'Give a user a permission (e.g. auth.view_user).' : 'Take a permission away from a user.',
    async run(io) {
      const { positionals } = parseOptions(io.args, {}, usage);
      const [identifier, perm] = positionals;
      if (positionals.length !== 2 || !perm) throw new CommandError(`Usage: koa-auth-demo ${usage}`);
      return withRuntime(io, async ({ auth, knex }) => {
        const user = await findUser(auth, identifier);
        try {
          if (name === 'grant') await grantUserPermission(knex, user, perm);
          else await revokeUserPermission(knex, user, perm);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const known = (await knex('auth_permission').select('app_label', 'codename').orderBy(['app_label', 'codename'])) as { app_label: string; codename: string }[];
          const message = error.fields.permission?.[0]?.message ?? error.message;
          throw new CommandError(`${message}\nKnown permissions: ${known.map((p) => `${p.app_label}.${p.codename}`).join(', ')}`);
        }
        io.out(name === 'grant' ? `Granted ${perm} to '${user.username}'.` : `Revoked ${perm} from '${user.username}'.`);
        return 0;
      });
    },
  };
}

export const grantCommand = permissionCommand('grant');
export const revokeCommand = permissionCommand('revoke');
