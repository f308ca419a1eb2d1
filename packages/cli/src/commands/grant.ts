/**
 * `grant <user> <app_label.codename>` / `grant --group <name> <app_label.codename>` and the same
 * for `revoke`: give or take a permission directly to a user, or to a group (what Django's admin
 * does with the permission lists), e.g. `grant alice auth.view_user`. Both are idempotent;
 * granting to a group that does not exist yet creates it.
 */
import {
  grantGroupPermission,
  grantUserPermission,
  revokeGroupPermission,
  revokeUserPermission,
  ValidationError,
  type AbstractUser,
  type Auth,
} from '@koa-auth/core';
import { CommandError } from '../io/command-error.js';
import type { Command } from '../io/command.js';
import { findUser } from '../io/find-user.js';
import { parseOptions } from '../io/parse-options.js';
import { withRuntime } from '../io/with-runtime.js';

function permissionCommand(name: 'grant' | 'revoke'): Command {
  const usage = `${name} (<username|email|phone> | --group <name>) <app_label.codename>`;
  const toFrom = name === 'grant' ? 'to' : 'from';
  return {
    name,
    usage,
    summary: name === 'grant' ? 'Give a user or a group a permission (e.g. auth.view_user).' : 'Take a permission away from a user or a group.',
    async run(io) {
      const { values, positionals } = parseOptions(io, { group: { type: 'string' } }, usage);
      const group = values.group;
      const expected = group === undefined ? 2 : 1;
      const perm = positionals[expected - 1];
      if (positionals.length !== expected || !perm)
        throw new CommandError(
          `Name ${group === undefined ? 'a user' : 'no user (--group names the group)'} and one permission. Usage: ${io.programName} ${usage}`,
        );
      return withRuntime(io, async ({ auth }) => {
        const knex = auth.knex;
        let target: string;
        try {
          if (group !== undefined) {
            target = `group '${group}'`;
            if (name === 'grant') await grantGroupPermission(knex, group, perm);
            else await revokeGroupPermission(knex, group, perm);
          } else {
            const user = await findUser(auth, positionals[0]);
            target = `'${user.username}'`;
            if (name === 'grant') await grantUserPermission(knex, user, perm);
            else await revokeUserPermission(knex, user, perm);
          }
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const message = Object.values(error.fields).flat()[0]?.message ?? error.message;
          throw new CommandError(`${message} Known permissions: ${(await knownPermissions(knex)).join(', ')}`);
        }
        io.out(name === 'grant' ? `Granted ${perm} ${toFrom} ${target}.` : `Revoked ${perm} ${toFrom} ${target}.`);
        return 0;
      });
    },
  };
}

type Knex = Auth<AbstractUser>['knex'];

async function knownPermissions(knex: Knex): Promise<string[]> {
  const rows = (await knex('auth_permission').select('app_label', 'codename').orderBy(['app_label', 'codename'])) as { app_label: string; codename: string }[];
  return rows.map((p) => `${p.app_label}.${p.codename}`);
}

export const grantCommand = permissionCommand('grant');
export const revokeCommand = permissionCommand('revoke');
